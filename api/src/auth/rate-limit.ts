/**
 * Fixed-window counters for sign-in throttling. The store is an interface so several API
 * instances can share counts (Redis) while a single instance keeps them in memory.
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

export interface LoginThrottlePolicy {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'address' | 'account' };

/**
 * Failed sign-ins, counted per account and per client address; a success clears the
 * account's failures. Successes never count against an address: at the start of a semester a
 * whole lab, or a campus behind one NAT address, signs in at once, and that must not lock the
 * last of them out. The account key is the resolved uid, so signing in by uid or by any
 * address counts against the same lock; a login that matches no account is counted under its
 * own text, so lockout behaviour reveals nothing about which logins exist.
 */
export class LoginThrottle {
  constructor(
    private readonly store: CounterStore,
    private readonly policy: LoginThrottlePolicy,
  ) {}

  static accountKey(loginOrUid: string): string {
    return `login:acct:${loginOrUid.normalize('NFC').toLowerCase()}`;
  }

  private static addressKey(clientAddress: string): string {
    return `login:addr:${clientAddress}`;
  }

  async admitAddress(clientAddress: string): Promise<ThrottleVerdict> {
    const address = await this.store.peek(LoginThrottle.addressKey(clientAddress));
    if (address.count >= this.policy.maxFailuresPerAddress) {
      return { allowed: false, retryAfterSeconds: Math.max(1, address.resetInSeconds), reason: 'address' };
    }
    return { allowed: true };
  }

  async admitAccount(accountKey: string): Promise<ThrottleVerdict> {
    const account = await this.store.peek(accountKey);
    if (account.count >= this.policy.maxFailuresPerAccount) {
      return { allowed: false, retryAfterSeconds: Math.max(1, account.resetInSeconds), reason: 'account' };
    }
    return { allowed: true };
  }

  /** A wrong password, or a login that matches no account. */
  async recordFailure(accountKey: string, clientAddress: string): Promise<void> {
    await Promise.all([
      this.store.increment(accountKey, this.policy.windowSeconds),
      this.recordAddressFailure(clientAddress),
    ]);
  }

  /** An attempt refused before the password was checked (the account is locked): it counts
   *  against the address, so spraying locked accounts still ends in the address limit. */
  async recordAddressFailure(clientAddress: string): Promise<void> {
    await this.store.increment(LoginThrottle.addressKey(clientAddress), this.policy.windowSeconds);
  }

  async recordSuccess(accountKey: string): Promise<void> {
    await this.store.reset(accountKey);
  }
}
