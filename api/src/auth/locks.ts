/* Per-key locks several API instances share (memory here; Redis in backends/redis/stores.ts), like the counters of rate-limit.ts. */

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
