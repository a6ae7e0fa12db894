import type { Context } from 'hono';
import { ManageSieveError } from '../backends/managesieve';
import type { Account } from '../backends/ldap/directory';
import { ApiError } from '../http/errors';
import { writeSessionCookie, type SessionCookieOptions } from '../http/middleware/session';
import type { Services } from '../services';
import type { Session } from './session';
import { cleanUserAgent, newSessionHandle, type SignInMethod } from './session-store';

/**
 * Opens a session for an account whose identity is already proven (password bind, or a
 * single sign-on token): opens and keeps the user's ManageSieve connection through the master
 * user — which proves a director answers, and the first settings page then needs no new
 * connection — then stores the session's server-side record and sets the session cookie.
 * Throws `mail_unavailable` when no director answers.
 */
export async function startSession(
  c: Context,
  services: Pick<Services, 'sieve' | 'sessions' | 'sessionStore' | 'logger'>,
  cookie: SessionCookieOptions,
  account: Account,
  method: SignInMethod,
): Promise<Session> {
  const audit = services.logger.child({ log: 'auth' });
  const client = c.get('clientAddress');
  try {
    await services.sieve.use(account.uid, async () => undefined, { clientAddress: client });
  } catch (error) {
    if (error instanceof ManageSieveError) {
      audit.error({ event: 'login_mail_unavailable', uid: account.uid, code: error.code, method });
      throw new ApiError('mail_unavailable', 'the mail servers are not answering; try again in a few minutes');
    }
    throw error;
  }
  const session = services.sessions.create(account.uid, account.dn);
  await services.sessionStore.create(
    session.sid,
    {
      handle: newSessionHandle(),
      uid: account.uid,
      method,
      createdAt: session.authTime,
      lastSeen: session.authTime,
      clientAddress: client,
      userAgent: cleanUserAgent(c.req.header('user-agent')),
    },
    services.sessions.recordTtlSeconds(session, session.authTime),
  );
  await writeSessionCookie(c, services.sessions, cookie, session);
  c.set('session', session);
  audit.info({ event: 'login', client, uid: account.uid, method });
  return session;
}
