/**
 * What happened to an account, kept per user for the Security page and the helpdesk: sign-ins
 * (successful and failed, throttled included), changes to delivery settings (through this app or
 * found changed outside it), helpdesk looks and actions, and alerts (mail starting to leave the
 * account, an auto-reply's From changing).
 *
 * Each stream is bounded (newest MAX_ENTRIES_PER_STREAM) and forgets entries older than
 * RETENTION_DAYS. Every instance reads the same store: Redis when configured
 * (backends/redis/stores.ts), memory for a single instance.
 */

export const RETENTION_DAYS = 30;
export const MAX_ENTRIES_PER_STREAM = 500;

export type SignInOutcome = 'success' | 'wrong-password' | 'throttled' | 'refused';

export interface SignInEntry {
  /** Milliseconds since the epoch. */
  at: number;
  outcome: SignInOutcome;
  method: 'password' | 'sso';
  clientAddress: string;
  /** Cleaned with cleanUserAgent (session-store.ts). */
  userAgent: string;
}

export interface ChangeEntry {
  at: number;
  /** The settings area: 'filters', 'vacation', 'spam', 'forwarding', 'aliases', 'script', 'folders', 'quarantine', … */
  area: string;
  /** 'app': saved through this app by the user; 'outside': found changed on the next read; 'helpdesk': by a helpdesk member. */
  source: 'app' | 'outside' | 'helpdesk';
  /** What changed, as stable codes and values the SPA words (never free text the server composed in one language). */
  what: string;
  details?: Record<string, string | number | boolean>;
  /** The public handle of the session that made it (never the sid). */
  sessionHandle?: string;
  clientAddress?: string;
}

export interface HelpdeskEntry {
  at: number;
  /** The helpdesk member's login and display name. */
  actor: string;
  actorName: string;
  /** 'view': looked at a screen; 'action': changed something on the user's behalf. */
  kind: 'view' | 'action';
  /** Which screen or action, as a stable code ('delivery', 'explain', 'vacation-off', 'release-approved', …). */
  what: string;
  reason: string;
}

export interface AlertEntry {
  at: number;
  /** Stable id, used by "This wasn't me" to name the alert it answers. */
  id: string;
  /** 'forward-added' | 'redirect-added' | 'reply-from-changed' | … */
  what: string;
  details?: Record<string, string | number | boolean>;
  /** Set once the user answered it. */
  resolved?: 'acknowledged' | 'not-me';
}

/** What the app last saw of the ways mail leaves the account (features/exits): what is new since is alerted. */
export interface ExitsSeenEntry {
  at: number;
  /** Ids of the active exits (features/exits/find.ts exitId). */
  exits: string[];
  /** The auto-replies' :from values. */
  froms: string[];
}

export interface ActivityStreams {
  'sign-ins': SignInEntry;
  changes: ChangeEntry;
  helpdesk: HelpdeskEntry;
  alerts: AlertEntry;
  'exits-seen': ExitsSeenEntry;
}

export type ActivityStream = keyof ActivityStreams;

export interface ActivityStore {
  /** Adds an entry to the user's stream, dropping the oldest past the bound. */
  append<S extends ActivityStream>(uid: string, stream: S, entry: ActivityStreams[S]): Promise<void>;
  /** The user's entries in that stream within the retention, newest first, at most `limit`. */
  list<S extends ActivityStream>(uid: string, stream: S, limit?: number): Promise<Array<ActivityStreams[S]>>;
  /** Replaces the entry whose `at` and JSON match `previous` (used to resolve an alert); false when it is gone. */
  replace<S extends ActivityStream>(uid: string, stream: S, previous: ActivityStreams[S], next: ActivityStreams[S]): Promise<boolean>;
}

const RETENTION_MS = RETENTION_DAYS * 24 * 3600 * 1000;

/** One instance's store; bounded per user and in the number of users kept. */
export class MemoryActivityStore implements ActivityStore {
  private readonly streams = new Map<string, unknown[]>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxUsers = 50_000,
  ) {}

  private key(uid: string, stream: ActivityStream): string {
    return `${stream}\u0000${uid}`;
  }

  async append<S extends ActivityStream>(uid: string, stream: S, entry: ActivityStreams[S]): Promise<void> {
    const key = this.key(uid, stream);
    let entries = this.streams.get(key);
    if (!entries) {
      if (this.streams.size >= this.maxUsers) this.streams.delete(this.streams.keys().next().value as string);
      this.streams.set(key, (entries = []));
    }
    entries.unshift(structuredClone(entry));
    if (entries.length > MAX_ENTRIES_PER_STREAM) entries.length = MAX_ENTRIES_PER_STREAM;
  }

  async list<S extends ActivityStream>(uid: string, stream: S, limit = MAX_ENTRIES_PER_STREAM): Promise<Array<ActivityStreams[S]>> {
    const oldest = this.now() - RETENTION_MS;
    const entries = (this.streams.get(this.key(uid, stream)) ?? []) as Array<ActivityStreams[S]>;
    return entries.filter((entry) => entry.at >= oldest).slice(0, limit).map((entry) => structuredClone(entry));
  }

  async replace<S extends ActivityStream>(uid: string, stream: S, previous: ActivityStreams[S], next: ActivityStreams[S]): Promise<boolean> {
    const entries = this.streams.get(this.key(uid, stream));
    const wanted = JSON.stringify(previous);
    const index = entries?.findIndex((entry) => JSON.stringify(entry) === wanted) ?? -1;
    if (!entries || index < 0) return false;
    entries[index] = structuredClone(next);
    return true;
  }
}
