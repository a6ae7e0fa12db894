import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Session } from '../../auth/session';
import type { Account } from '../../backends/ldap/directory';
import { ApiError } from '../errors';

/**
 * Who is asking. A route declares what it needs in its OpenAPI definition
 * (`middleware: [signedIn]` or `middleware: [signedInAccount]`); the handler then reads
 * `c.var.user` (and `c.var.account`), typed as present, and never checks the session itself.
 * Both run before the request is validated, so an anonymous request is a 401 whatever its body.
 */
export type SignedInEnv = { Variables: { user: Session } };
export type SignedInAccountEnv = { Variables: { user: Session; account: Account } };

/** Where `signedInAccount` finds the account: the directory, put on the context once per app. */
export interface AccountSource {
  getAccount(uid: string): Promise<Account | null>;
  /** As getAccount, or the account as read a moment ago (backends/ldap/last-known.ts). */
  recentAccount(uid: string): Promise<Account | null>;
}

declare module 'hono' {
  interface ContextVariableMap {
    accountSource: AccountSource;
  }
}

/** App-level: lets `signedInAccount` look accounts up without each route module holding the directory. */
export function provideAccounts(source: AccountSource): MiddlewareHandler {
  return async function accountSourceMiddleware(c, next) {
    c.set('accountSource', source);
    await next();
  };
}

function sessionOrRefuse(session: Session | null | undefined): Session {
  if (!session) throw new ApiError('unauthenticated', 'sign in first');
  return session;
}

/** The route needs a signed-in user: 401 `unauthenticated` otherwise. */
export const signedIn = createMiddleware<SignedInEnv>(async function signedInMiddleware(c, next) {
  c.set('user', sessionOrRefuse(c.get('session')));
  await next();
});

/** A read asks the directory; a change uses the account as the read before it found it. */
const reads = new Set(['GET', 'HEAD']);

/**
 * The route needs the signed-in user's directory entry too: 401 when the account is gone,
 * 503 `directory_unavailable` when the directory cannot say (any failure of the lookup).
 */
export const signedInAccount = createMiddleware<SignedInAccountEnv>(async function signedInAccountMiddleware(c, next) {
  const user = sessionOrRefuse(c.get('session'));
  const source = c.get('accountSource');
  const account = await (reads.has(c.req.method) ? source.getAccount(user.uid) : source.recentAccount(user.uid)).catch(() => {
    throw new ApiError('directory_unavailable', 'the directory (LDAP) is not answering; nothing was changed, try again in a few minutes');
  });
  if (!account) throw new ApiError('unauthenticated', 'your account no longer exists');
  c.set('user', user);
  c.set('account', account);
  await next();
});
