/**
 * Fixed-window counters (alias checks, folder scans). The store is an interface so several
 * API instances can share counts (Redis) while a single instance keeps them in memory.
 * Sign-in throttling reserves attempts instead: see login-throttle.ts.
 */
export interface CounterStore {
  /** Adds one to `key`'s counter and returns the new count and seconds until it resets. */
  increment(key: string, windowSeconds: number): Promise<{ count: number; resetInSeconds: number }>;
  /** The current count (0 when absent or expired) and seconds until it resets. */
  peek(key: string): Promise<{ count: number; resetInSeconds: number }>;
  reset(key: string): Promise<void>;
}

/** Bounded so a flood of distinct keys cannot exhaust memory; oldest windows go first. */
const MAX_MEMORY_KEYS = 100_000;

export class MemoryCounterStore implements CounterStore {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): { count: number; resetAt: number } | undefined {
    const entry = this.counters.get(key);
    if (entry && entry.resetAt <= this.now()) {
      this.counters.delete(key);
      return undefined;
    }
    return entry;
  }

  async increment(key: string, windowSeconds: number) {
    let entry = this.live(key);
    if (!entry) {
      if (this.counters.size >= MAX_MEMORY_KEYS) this.evictOldest();
      entry = { count: 0, resetAt: this.now() + windowSeconds * 1000 };
      this.counters.set(key, entry);
    }
    entry.count += 1;
    return { count: entry.count, resetInSeconds: Math.ceil((entry.resetAt - this.now()) / 1000) };
  }

  async peek(key: string) {
    const entry = this.live(key);
    return entry ? { count: entry.count, resetInSeconds: Math.ceil((entry.resetAt - this.now()) / 1000) } : { count: 0, resetInSeconds: 0 };
  }

  async reset(key: string) {
    this.counters.delete(key);
  }

  private evictOldest(): void {
    const now = this.now();
    for (const [key, entry] of this.counters) if (entry.resetAt <= now) this.counters.delete(key);
    if (this.counters.size < MAX_MEMORY_KEYS) return;
    const oldest = this.counters.keys().next();
    if (!oldest.done) this.counters.delete(oldest.value);
  }
}
