import type { MiddlewareHandler } from 'hono';
import type { CounterStore } from '../../auth/rate-limit';
import { ApiError } from '../errors';

/**
 * Work that scans a mail folder (testing a rule on a folder, the apply preview, applying a
 * rule, emptying a folder) costs the back end seconds per request. Per user: one at a time,
 * and at most `maxPerWindow` started in a window; past either, 429 `scan_limited` with
 * Retry-After. Both are kept in the shared stores, so they hold across instances.
 */

/** A lock per key: `acquire` gives a token only to the first caller; the lock lapses after
 *  `ttlMs` if its holder never releases it (a process that died). */
export interface LockStore {
  acquire(key: string, ttlMs: number): Promise<string | null>;
  release(key: string, token: string): Promise<void>;
}

export class MemoryLockStore implements LockStore {
  private readonly locks = new Map<string, { token: string; expiresAt: number }>();
  private next = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(key: string, ttlMs: number): Promise<string | null> {
    const held = this.locks.get(key);
    if (held && held.expiresAt > this.now()) return null;
    const token = String((this.next += 1));
    this.locks.set(key, { token, expiresAt: this.now() + ttlMs });
    return token;
  }

  async release(key: string, token: string): Promise<void> {
    if (this.locks.get(key)?.token === token) this.locks.delete(key);
  }
}

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
