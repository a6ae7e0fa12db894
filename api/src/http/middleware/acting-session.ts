import type { MiddlewareHandler } from 'hono';
import { actingAs } from '../../shared/acting-session';

/** Makes the request's signed-in session and address known to what records changes (shared/acting-session.ts). */
export function actingSession(): MiddlewareHandler {
  return async function actingSessionMiddleware(c, next) {
    const session = c.get('session');
    await actingAs({ uid: session?.uid ?? null, dn: session?.dn ?? null, sessionHandle: session ? c.get('sessionHandle') : null, clientAddress: c.get('clientAddress') }, next);
  };
}
