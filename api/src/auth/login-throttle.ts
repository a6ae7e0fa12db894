/**
 * Sign-in throttling: failed attempts counted per account and per client address in fixed
 * windows. An attempt is reserved *before* the password is checked — counted as in flight
 * against both limits at once — so however many arrive together, no more binds run than
 * there are failures left to allow; the reservation becomes a failure or is refunded when
 * the outcome is known. The store is an interface so several API instances share the counts
 * (Redis, one atomic script) while a single instance keeps them in memory.
 */

export interface AttemptSlot {
  /** The key of the failure counter; its in-flight counter is derived from it. */
  key: string;
  maxFailures: number;
}

export type Reservation =
  | { ok: true }
  /** `slot`: index of the slot that refused. `busy`: failures are below the limit, but
   *  failures plus attempts in flight are not — one may free up in a moment. */
  | { ok: false; slot: number; busy: boolean; resetInSeconds: number };

export interface AttemptStore {
  /** Atomically: refuses when a slot's failures reached its limit, or when failures plus
   *  attempts in flight did (busy); otherwise puts one attempt in flight on every slot. */
  reserve(slots: AttemptSlot[], windowSeconds: number): Promise<Reservation>;
  /** Ends an attempt reserved on these keys: a failure (counted in the window) or not. */
  settle(keys: string[], failed: boolean, windowSeconds: number): Promise<void>;
  /** Adds a failure outside any reservation (an attempt refused by an account lock). */
  addFailure(key: string, windowSeconds: number): Promise<void>;
  /** Failures so far (0 when none) and seconds until the window resets. */
  peek(key: string): Promise<{ count: number; resetInSeconds: number }>;
  /** Forgets the failures of a key. */
  reset(key: string): Promise<void>;
}

/** An attempt whose process died is no longer counted as in flight after this long. */
export const IN_FLIGHT_TTL_SECONDS = 30;

/** Bounded so a flood of distinct keys cannot exhaust memory; oldest windows go first. */
const MAX_MEMORY_KEYS = 100_000;

export class MemoryAttemptStore implements AttemptStore {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): { count: number; resetAt: number } | undefined {
    const entry = this.failures.get(key);
    if (entry && entry.resetAt <= this.now()) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private secondsLeft(entry: { resetAt: number } | undefined): number {
    return entry ? Math.max(0, Math.ceil((entry.resetAt - this.now()) / 1000)) : 0;
  }

  async reserve(slots: AttemptSlot[], _windowSeconds: number): Promise<Reservation> {
    for (const [index, slot] of slots.entries()) {
      const entry = this.live(slot.key);
      const failed = entry?.count ?? 0;
      if (failed >= slot.maxFailures) return { ok: false, slot: index, busy: false, resetInSeconds: this.secondsLeft(entry) };
      if (failed + (this.inFlight.get(slot.key) ?? 0) >= slot.maxFailures) return { ok: false, slot: index, busy: true, resetInSeconds: 0 };
    }
    for (const slot of slots) this.inFlight.set(slot.key, (this.inFlight.get(slot.key) ?? 0) + 1);
    return { ok: true };
  }

  async settle(keys: string[], failed: boolean, windowSeconds: number): Promise<void> {
    for (const key of keys) {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
      if (failed) await this.addFailure(key, windowSeconds);
    }
  }

  async addFailure(key: string, windowSeconds: number): Promise<void> {
    let entry = this.live(key);
    if (!entry) {
      if (this.failures.size >= MAX_MEMORY_KEYS) this.evictOldest();
      entry = { count: 0, resetAt: this.now() + windowSeconds * 1000 };
      this.failures.set(key, entry);
    }
    entry.count += 1;
  }

  async peek(key: string) {
    const entry = this.live(key);
    return { count: entry?.count ?? 0, resetInSeconds: this.secondsLeft(entry) };
  }

  async reset(key: string): Promise<void> {
    this.failures.delete(key);
  }

  private evictOldest(): void {
    const now = this.now();
    for (const [key, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(key);
    if (this.failures.size < MAX_MEMORY_KEYS) return;
    const oldest = this.failures.keys().next();
    if (!oldest.done) this.failures.delete(oldest.value);
  }
}

export interface LoginThrottlePolicy {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'address' | 'account' };

/** One reserved sign-in attempt: say how it ended, exactly once. */
export interface LoginAttempt {
  /** Wrong password, or a login that matches no account: the reservation counts. */
  failed(): Promise<void>;
  /** The password was right: the reservation is refunded and the account's failures cleared. */
  succeeded(): Promise<void>;
  /** The check could not be made (directory down): the reservation is refunded. */
  abandoned(): Promise<void>;
}

export type AttemptVerdict = ({ allowed: true } & LoginAttempt) | Extract<ThrottleVerdict, { allowed: false }>;

/** How often an attempt looks again at a busy slot (failures below the limit, but the rest
 *  in flight), and how many times before it is refused: about ten seconds. */
const BUSY_POLL_MS = 15;
const MAX_BUSY_POLLS = 650;

/**
 * Failed sign-ins, counted per account and per client address; a success clears the
 * account's failures. Successes never count against an address: at the start of a semester a
 * whole lab, or a campus behind one NAT address, signs in at once, and that must not lock the
 * last of them out — many at once only wait their turn while attempts are in flight. The
 * account key is the resolved uid, so signing in by uid or by any address counts against the
 * same lock; a login that matches no account is counted under its own text, so lockout
 * behaviour reveals nothing about which logins exist.
 */
export class LoginThrottle {
  constructor(
    private readonly store: AttemptStore,
    private readonly policy: LoginThrottlePolicy,
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  static accountKey(loginOrUid: string): string {
    return `login:acct:${loginOrUid.normalize('NFC').toLowerCase()}`;
  }

  private static addressKey(clientAddress: string): string {
    return `login:addr:${clientAddress}`;
  }

  /** A cheap early refusal before the directory is searched (the reservation is what holds). */
  async admitAddress(clientAddress: string): Promise<ThrottleVerdict> {
    const address = await this.store.peek(LoginThrottle.addressKey(clientAddress));
    if (address.count >= this.policy.maxFailuresPerAddress) {
      return { allowed: false, retryAfterSeconds: Math.max(1, address.resetInSeconds), reason: 'address' };
    }
    return { allowed: true };
  }

  /**
   * Reserves one attempt against the account and the address before the password is checked.
   * An attempt refused because the account is locked still counts against the address, so
   * spraying locked accounts ends in the address limit too.
   */
  async begin(accountKey: string, clientAddress: string): Promise<AttemptVerdict> {
    const addressKey = LoginThrottle.addressKey(clientAddress);
    const slots: AttemptSlot[] = [
      { key: addressKey, maxFailures: this.policy.maxFailuresPerAddress },
      { key: accountKey, maxFailures: this.policy.maxFailuresPerAccount },
    ];
    const { windowSeconds } = this.policy;
    for (let polls = 0; ; polls += 1) {
      const reservation = await this.store.reserve(slots, windowSeconds);
      if (reservation.ok) break;
      const reason = reservation.slot === 0 ? 'address' : 'account';
      if (!reservation.busy || polls >= MAX_BUSY_POLLS) {
        if (reason === 'account') await this.store.addFailure(addressKey, windowSeconds);
        return { allowed: false, reason, retryAfterSeconds: Math.max(1, reservation.resetInSeconds) };
      }
      await this.wait(BUSY_POLL_MS);
    }
    const keys = [addressKey, accountKey];
    let settled = false;
    const settle = async (failed: boolean) => {
      if (settled) return;
      settled = true;
      await this.store.settle(keys, failed, windowSeconds);
    };
    return {
      allowed: true,
      failed: () => settle(true),
      succeeded: async () => {
        await settle(false);
        await this.store.reset(accountKey);
      },
      abandoned: () => settle(false),
    };
  }
}
