import type { MiddlewareHandler } from 'hono';
import type { LockStore } from '../../auth/locks';
import type { CounterStore } from '../../auth/rate-limit';
import { ApiError } from '../errors';

/**
 * Work that scans a mail folder (testing a rule on a folder, the apply preview, applying a
 * rule, emptying a folder) costs the back end seconds per request. Per user: one at a time,
 * and at most `maxPerWindow` started in a window; past either, 429 `scan_limited` with
 * Retry-After. Both are kept in the shared stores, so they hold across instances.
 */
export interface ScanLimitOptions {
  locks: LockStore;
  counters: CounterStore;
  maxPerWindow: number;
  windowSeconds: number;
  /** Requests it applies to, as "METHOD /path". */
  routes: string[];
}

/** Longer than any scan may run (the IMAP timeouts end one well before). */
const LOCK_TTL_MS = 5 * 60_000;
/** What to suggest while another scan runs: a scan of 500 messages takes a few seconds. */
const BUSY_RETRY_SECONDS = 5;

export function scanLimit(options: ScanLimitOptions): MiddlewareHandler {
  const routes = new Set(options.routes);
  return async function scanLimitMiddleware(c, next) {
    const session = c.get('session');
    if (!session || !routes.has(`${c.req.method} ${c.req.path}`)) return next();
    const lockKey = `scan:running:${session.uid}`;
    const token = await options.locks.acquire(lockKey, LOCK_TTL_MS);
    if (token === null) {
      throw new ApiError('scan_limited', 'another folder scan of yours is still running', { retryAfter: BUSY_RETRY_SECONDS });
    }
    try {
      const { count, resetInSeconds } = await options.counters.increment(`scan:started:${session.uid}`, options.windowSeconds);
      if (count > options.maxPerWindow) {
        throw new ApiError('scan_limited', 'too many folder scans lately', { retryAfter: Math.max(1, resetInSeconds) });
      }
      await next();
    } finally {
      await options.locks.release(lockKey, token);
    }
  };
}
