import type { Context } from 'hono';
import type { Logger } from '../logging';
import type { ActivityStore, SignInOutcome } from './activity-store';
import { cleanUserAgent, type SignInMethod } from './session-store';

/**
 * Writes one sign-in attempt to the account's `sign-ins` stream. Not awaited by the caller's
 * answer: the store's round trip must not lengthen a sign-in, nor make a wrong password
 * (recorded) slower than an unknown login (which has no account, hence no history).
 * A store that fails loses the entry and logs it; the sign-in itself is unaffected.
 */
export function recordSignIn(
  services: { activity: ActivityStore; logger: Logger },
  c: Context,
  uid: string,
  method: SignInMethod,
  outcome: SignInOutcome,
): void {
  const entry = {
    at: Date.now(),
    outcome,
    method,
    clientAddress: c.get('clientAddress'),
    userAgent: cleanUserAgent(c.req.header('user-agent')),
  };
  services.activity.append(uid, 'sign-ins', entry).catch((error: unknown) => {
    services.logger.warn({ event: 'sign_in_history_lost', uid, err: (error as Error).message });
  });
}
