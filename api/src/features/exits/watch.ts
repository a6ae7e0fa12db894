import type { MiddlewareHandler } from 'hono';
import type { Directory } from '../../backends/ldap/directory';
import type { ExitsService, ExitsVia } from './service';

/** The saves that can add an exit or change an auto-reply's From, and the page each is. */
const WATCHED: Array<{ method: string; path: RegExp; via: ExitsVia; notice: boolean }> = [
  // The forwarding page leaves its own notice on every change.
  { method: 'PUT', path: /^\/api\/forwarding$/, via: 'forwarding', notice: false },
  { method: 'PUT', path: /^\/api\/filters$/, via: 'filters', notice: true },
  { method: 'PUT', path: /^\/api\/script\/raw$/, via: 'raw', notice: true },
  { method: 'POST', path: /^\/api\/script\/history\/[^/]+\/restore$/, via: 'restore', notice: true },
  { method: 'POST', path: /^\/api\/script\/take-over$/, via: 'take-over', notice: true },
  { method: 'PUT', path: /^\/api\/vacation$/, via: 'vacation', notice: true },
];

/**
 * Wraps the saves above in ExitsService.watch, so whichever page adds an exit, the user is
 * told (INBOX notice, alert) without each feature having to remember it.
 */
export function exitsWatch(exits: ExitsService, directory: Directory): MiddlewareHandler {
  return async function exitsWatchMiddleware(c, next) {
    const watched = WATCHED.find((w) => w.method === c.req.method && w.path.test(c.req.path));
    const session = c.get('session');
    if (!watched || !session) return next();
    const account = await directory.recentAccount(session.uid);
    if (!account) return next();
    await exits.watch(account, watched.via, c.get('clientAddress'), () => next(), { notice: watched.notice, changedNothing: () => c.res.status >= 400 });
  };
}
