/**
 * The last known fingerprint of something a user's settings depend on (her active script, her
 * LDAP forwarding), so a read can tell a change made outside this app from one it made.
 * Shared by every instance (Redis when configured); memory for a single instance.
 */
export interface FingerprintStore {
  /** Stores `value` (null: forgets) and returns what was stored before (null: nothing). */
  swap(key: string, value: string | null): Promise<string | null>;
}

/** Far more users than a department has; the oldest go first past it. */
const MAX_MEMORY_KEYS = 100_000;

export class MemoryFingerprintStore implements FingerprintStore {
  private readonly values = new Map<string, string>();

  async swap(key: string, value: string | null): Promise<string | null> {
    const previous = this.values.get(key) ?? null;
    this.values.delete(key);
    if (value !== null) {
      if (this.values.size >= MAX_MEMORY_KEYS) this.values.delete(this.values.keys().next().value as string);
      this.values.set(key, value);
    }
    return previous;
  }
}
