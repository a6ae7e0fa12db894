import { randomBytes } from 'node:crypto';

/**
 * The server-side half of a session: the cookie names a record here by its secret id (`sid`,
 * sealed inside the cookie), and a cookie whose record is gone is no session. Signing out,
 * "sign out everywhere else", ending one session from the list and a password change seen at
 * the next sign-in delete records; every instance reads the same store (Redis when configured,
 * memory for a single instance), so an ended session is refused everywhere on its next request.
 *
 * Each record also has a public `handle`, unrelated to the sid, that the API shows and accepts
 * for ending one session: listing sessions never reveals what a cookie contains.
 */

export type SignInMethod = 'password' | 'sso';

export interface SessionRecord {
  /** Opaque public id for GET/DELETE /api/sessions. */
  handle: string;
  uid: string;
  method: SignInMethod;
  /** Seconds since the epoch. */
  createdAt: number;
  lastSeen: number;
  clientAddress: string;
  /** Truncated and stripped of control characters (see cleanUserAgent). */
  userAgent: string;
}

export interface SessionStore {
  /** Stores a new record under `sid` that lives `ttlSeconds` unless touched. */
  create(sid: string, record: SessionRecord, ttlSeconds: number): Promise<void>;
  /** The live record, or null when it ended or expired. */
  get(sid: string): Promise<SessionRecord | null>;
  /** Records activity and slides the record's expiry. */
  touch(sid: string, lastSeen: number, ttlSeconds: number): Promise<void>;
  /** The user's live sessions, keyed by sid (the sid stays server-side). */
  list(uid: string): Promise<Array<{ sid: string; record: SessionRecord }>>;
  /** Ends the user's session with this handle; false when the user has none such. */
  endByHandle(uid: string, handle: string): Promise<boolean>;
  /** Ends this session; true when it was live. */
  end(uid: string, sid: string): Promise<boolean>;
  /** Ends every session of the user except `keepSid`; how many ended. */
  endOthers(uid: string, keepSid: string | null): Promise<number>;
  /** Stores the user's password marker and returns the previous one (null: none known). */
  swapPasswordMarker(uid: string, marker: string): Promise<string | null>;
}

/** Long enough to show on the Security page, short enough that 100 KB never reaches a log or store. */
export const MAX_USER_AGENT_LENGTH = 256;

/** Control and format characters (bidi overrides, zero-width) removed, then cut to a bounded length. */
export function cleanUserAgent(value: string | undefined): string {
  if (!value) return '';
  return value
    .slice(0, MAX_USER_AGENT_LENGTH * 4)
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, MAX_USER_AGENT_LENGTH);
}

export function newSessionHandle(): string {
  return randomBytes(12).toString('base64url');
}

/** A handle as newSessionHandle makes it: anything else is refused before any lookup. */
export const SESSION_HANDLE = /^[A-Za-z0-9_-]{16}$/;

/** Bounds so a flood of sign-ins cannot exhaust memory; the oldest records go first. */
const MAX_MEMORY_SESSIONS = 100_000;

interface MemoryEntry {
  record: SessionRecord;
  expiresAt: number;
}

/** One instance alone: the records in this process. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, MemoryEntry>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly markers = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  async create(sid: string, record: SessionRecord, ttlSeconds: number): Promise<void> {
    if (this.sessions.size >= MAX_MEMORY_SESSIONS) this.evict();
    this.sessions.set(sid, { record: { ...record }, expiresAt: this.now() + ttlSeconds * 1000 });
    let sids = this.byUser.get(record.uid);
    if (!sids) this.byUser.set(record.uid, (sids = new Set()));
    sids.add(sid);
  }

  private live(sid: string): MemoryEntry | undefined {
    const entry = this.sessions.get(sid);
    if (entry && entry.expiresAt <= this.now()) {
      this.drop(sid, entry.record.uid);
      return undefined;
    }
    return entry;
  }

  private drop(sid: string, uid: string): void {
    this.sessions.delete(sid);
    const sids = this.byUser.get(uid);
    sids?.delete(sid);
    if (sids && sids.size === 0) this.byUser.delete(uid);
  }

  async get(sid: string): Promise<SessionRecord | null> {
    const entry = this.live(sid);
    return entry ? { ...entry.record } : null;
  }

  async touch(sid: string, lastSeen: number, ttlSeconds: number): Promise<void> {
    const entry = this.live(sid);
    if (!entry) return;
    entry.record.lastSeen = lastSeen;
    entry.expiresAt = this.now() + ttlSeconds * 1000;
  }

  async list(uid: string) {
    const found: Array<{ sid: string; record: SessionRecord }> = [];
    for (const sid of [...(this.byUser.get(uid) ?? [])]) {
      const entry = this.live(sid);
      if (entry) found.push({ sid, record: { ...entry.record } });
    }
    return found;
  }

  async endByHandle(uid: string, handle: string): Promise<boolean> {
    for (const { sid, record } of await this.list(uid)) {
      if (record.handle === handle) return this.end(uid, sid);
    }
    return false;
  }

  async end(uid: string, sid: string): Promise<boolean> {
    const entry = this.live(sid);
    if (!entry || entry.record.uid !== uid) return false;
    this.drop(sid, uid);
    return true;
  }

  async endOthers(uid: string, keepSid: string | null): Promise<number> {
    let ended = 0;
    for (const { sid } of await this.list(uid)) {
      if (sid !== keepSid && (await this.end(uid, sid))) ended += 1;
    }
    return ended;
  }

  async swapPasswordMarker(uid: string, marker: string): Promise<string | null> {
    const previous = this.markers.get(uid) ?? null;
    this.markers.delete(uid);
    if (this.markers.size >= MAX_MEMORY_SESSIONS) {
      const oldest = this.markers.keys().next();
      if (!oldest.done) this.markers.delete(oldest.value);
    }
    this.markers.set(uid, marker);
    return previous;
  }

  private evict(): void {
    const now = this.now();
    for (const [sid, entry] of this.sessions) if (entry.expiresAt <= now) this.drop(sid, entry.record.uid);
    while (this.sessions.size >= MAX_MEMORY_SESSIONS) {
      const oldest = this.sessions.entries().next();
      if (oldest.done) break;
      this.drop(oldest.value[0], oldest.value[1].record.uid);
    }
  }
}
