import { createRoute } from '@hono/zod-openapi';
import { ApiError } from '../http/errors';
import { clearSessionCookie, type SessionCookieOptions } from '../http/middleware/session';
import { signedIn } from '../http/middleware/signed-in';
import { errorResponses, newRouter } from '../http/router';
import type { Services } from '../services';
import type { Account } from '../backends/ldap/directory';
import { LoginThrottle } from './login-throttle';
import { toMe } from './me';
import { passwordMarker } from './password-marker';
import { recordSignIn } from './sign-in-history';
import { startSession } from './start-session';
import { LoginSchema, SessionInfoSchema } from './schemas';

const signIn = createRoute({
  method: 'post',
  path: '/session',
  summary: 'Sign in with the directory password, by login name or any address',
  request: { body: { required: true, content: { 'application/json': { schema: LoginSchema } } } },
  responses: {
    200: { description: 'Signed in; sets the session cookie', content: { 'application/json': { schema: SessionInfoSchema } } },
    ...errorResponses(400, 401, 403, 415, 429, 503),
  },
});

const signOut = createRoute({
  method: 'delete',
  path: '/session',
  summary: 'Sign out: ends the session on every instance, clears the cookie and closes the user’s back-end connections',
  responses: { 204: { description: 'Signed out' }, ...errorResponses(403) },
});

const me = createRoute({
  method: 'get',
  path: '/me',
  middleware: [signedIn] as const,
  summary: 'The signed-in user: login name, display name, addresses',
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: SessionInfoSchema } } },
    ...errorResponses(401, 503),
  },
});

export function authRoutes(services: Services, cookie: SessionCookieOptions) {
  const { directory, throttle, sieve, imap, logger, sessionStore, config } = services;
  /** The signed-in user as the SPA needs them: who, which addresses, and which of the site's optional pages are theirs. */
  const meOf = async (account: Account) => ({
    ...toMe(account),
    quarantine: services.quarantine !== null,
    helpdesk: (await services.helpdeskAccess.role(account)) !== null,
  });
  const audit = logger.child({ log: 'auth' });
  // A login that matches nobody still costs one bind, against an entry that cannot exist, so
  // an unknown user and a wrong password take the same time.
  const nobodyDn = `cn=emailng-no-such-user,${config.ldap.peopleDn}`;
  const markerKey = config.session.keys[0]!;

  return newRouter()
    .openapi(signIn, async (c) => {
      const { username, password } = c.req.valid('json');
      const client = c.get('clientAddress');

      const byAddress = await throttle.admitAddress(client);
      if (!byAddress.allowed) {
        audit.warn({ event: 'login_throttled', reason: 'address', client });
        throw new ApiError('rate_limited', 'too many failed sign-ins from your address', { retryAfter: byAddress.retryAfterSeconds });
      }

      const account = await directory.findAccountByLogin(username);
      const attempt = await throttle.begin(LoginThrottle.accountKey(account?.uid ?? username), client);
      if (!attempt.allowed) {
        audit.warn({ event: 'login_throttled', reason: attempt.reason, client, uid: account?.uid });
        if (account) recordSignIn(services, c, account.uid, 'password', 'throttled');
        const whose = attempt.reason === 'address' ? 'from your address' : 'for this account';
        throw new ApiError('rate_limited', `too many failed sign-ins ${whose}`, { retryAfter: attempt.retryAfterSeconds });
      }

      let valid: boolean;
      try {
        valid = await directory.verifyPassword(account?.dn ?? nobodyDn, password);
      } catch (error) {
        await attempt.abandoned();
        throw error;
      }
      if (!account || !valid) {
        await attempt.failed();
        audit.info({ event: 'login_failed', client, uid: account?.uid });
        if (account) recordSignIn(services, c, account.uid, 'password', 'wrong-password');
        throw new ApiError('invalid_credentials', 'wrong user name or password');
      }

      await attempt.succeeded();
      const session = await startSession(c, services, cookie, account, 'password');
      recordSignIn(services, c, account.uid, 'password', 'success');
      const previous = await sessionStore.swapPasswordMarker(account.uid, passwordMarker(markerKey, account.uid, password));
      if (previous !== null && previous !== passwordMarker(markerKey, account.uid, password)) {
        const ended = await sessionStore.endOthers(account.uid, session.sid);
        audit.info({ event: 'password_changed_sessions_ended', uid: account.uid, client, ended });
      }
      c.header('Cache-Control', 'no-store');
      return c.json({ me: await meOf(account), csrfToken: session.csrf }, 200);
    })
    .openapi(signOut, async (c) => {
      const session = c.get('session');
      clearSessionCookie(c, cookie);
      c.set('session', null);
      if (session) {
        await sessionStore.end(session.uid, session.sid);
        // Close this user's pooled back-end connections now rather than at idle expiry.
        await Promise.all([sieve.release(session.uid), imap.release(session.uid)]);
        audit.info({ event: 'logout', client: c.get('clientAddress'), uid: session.uid });
      }
      return c.body(null, 204);
    })
    .openapi(me, async (c) => {
      const session = c.var.user;
      const account = await directory.getAccount(session.uid);
      if (!account) {
        clearSessionCookie(c, cookie);
        throw new ApiError('unauthenticated', 'your account no longer exists');
      }
      c.header('Cache-Control', 'no-store');
      return c.json({ me: await meOf(account), csrfToken: session.csrf }, 200);
    });
}
