import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { CounterStore } from '../../auth/rate-limit';
import type { AttemptSlot, AttemptStore, Reservation } from '../../auth/login-throttle';
import { IN_FLIGHT_TTL_SECONDS } from '../../auth/login-throttle';
import type { UsedTokenStore } from '../../auth/sso';
import type { SessionRecord, SessionStore } from '../../auth/session-store';
import type { LockStore } from '../../auth/locks';
import { MAX_ENTRIES_PER_STREAM, RETENTION_DAYS, type ActivityStore, type ActivityStream, type ActivityStreams } from '../../auth/activity-store';
import type { FingerprintStore } from '../../auth/fingerprints';
import { RedisUnavailableError } from './errors';

/**
 * What several API instances behind a load balancer must share (docs/ARCHITECTURE.md, decision 4): sign-in
 * throttling counters, spent single sign-on token ids and session records, in Redis. Selected when config
 * `redis` is set; one instance alone keeps them in memory (auth/rate-limit.ts, auth/sso.ts).
 *
 * When Redis does not answer within the timeout, the request fails with a 503 rather than
 * going on without the shared state: sign-in limits and single use must not silently lapse.
 */
export interface RedisOptions {
  url: string;
  password?: string;
  keyPrefix: string;
  timeoutMs: number;
}

/** INCR, the window's expiry set by the first increment only (fixed window), and the time left. */
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

const PEEK = `
local count = redis.call('GET', KEYS[1])
if not count then return {0, 0} end
return {tonumber(count), redis.call('PTTL', KEYS[1])}
`;

function unavailable(error: unknown): never {
  throw new RedisUnavailableError({ cause: error });
}

/** One connection to Redis, shared by the stores below. */
export class RedisConnection {
  private readonly client: ReturnType<typeof createClient>;
  private readonly ready: Promise<unknown>;
  lastError: string | null = null;

  constructor(private readonly options: RedisOptions) {
    this.client = createClient({
      url: options.url,
      ...(options.password ? { password: options.password } : {}),
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.timeoutMs,
        // Keep trying in the background; requests meanwhile fail fast (no offline queue).
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
      },
      commandOptions: { timeout: options.timeoutMs },
    });
    this.client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    this.ready = this.client.connect();
    this.ready.catch(() => undefined);
  }

  key(name: string): string {
    return this.options.keyPrefix + name;
  }

  async command<T>(args: string[]): Promise<T> {
    try {
      if (!this.client.isReady) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          this.ready,
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('Redis not ready')), this.options.timeoutMs);
          }),
        ]).finally(() => clearTimeout(timer));
        if (!this.client.isReady) throw new Error('Redis not ready');
      }
      return (await this.client.sendCommand(args)) as T;
    } catch (error) {
      return unavailable(error);
    }
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    try {
      if (this.client.isOpen) await this.client.close();
    } catch {
      this.client.destroy();
    }
  }
}

export class RedisCounterStore implements CounterStore {
  constructor(private readonly redis: RedisConnection) {}

  async increment(key: string, windowSeconds: number) {
    const [count, ttl] = await this.redis.command<[number, number]>(['EVAL', INCREMENT, '1', this.redis.key(key), String(windowSeconds * 1000)]);
    return { count: Number(count), resetInSeconds: Math.ceil(Number(ttl) / 1000) };
  }

  async peek(key: string) {
    const [count, ttl] = await this.redis.command<[number, number]>(['EVAL', PEEK, '1', this.redis.key(key)]);
    return { count: Number(count), resetInSeconds: Math.max(0, Math.ceil(Number(ttl) / 1000)) };
  }

  async reset(key: string) {
    await this.redis.command(['DEL', this.redis.key(key)]);
  }
}

/**
 * Sign-in reservations. KEYS: per slot, its failure counter then its in-flight counter.
 * ARGV: per slot, its limit; then the in-flight TTL in ms. Returns {0} when reserved, else
 * {slot (1-based), busy (0/1), failure window ms left}.
 */
const RESERVE = `
local slots = #KEYS / 2
for i = 1, slots do
  local failed = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local flying = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local max = tonumber(ARGV[i])
  if failed >= max then return {i, 0, redis.call('PTTL', KEYS[2 * i - 1])} end
  if failed + flying >= max then return {i, 1, 0} end
end
for i = 1, slots do
  redis.call('INCR', KEYS[2 * i])
  redis.call('PEXPIRE', KEYS[2 * i], ARGV[slots + 1])
end
return {0, 0, 0}
`;

/** KEYS as RESERVE's. ARGV: failed (0/1), window ms. */
const SETTLE = `
for i = 1, #KEYS / 2 do
  if tonumber(redis.call('GET', KEYS[2 * i]) or '0') > 0 then redis.call('DECR', KEYS[2 * i]) end
  if ARGV[1] == '1' then
    if redis.call('INCR', KEYS[2 * i - 1]) == 1 or redis.call('PTTL', KEYS[2 * i - 1]) < 0 then
      redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[2])
    end
  end
end
return 1
`;

export class RedisAttemptStore implements AttemptStore {
  private readonly counters: RedisCounterStore;

  constructor(private readonly redis: RedisConnection) {
    this.counters = new RedisCounterStore(redis);
  }

  private pairKeys(keys: string[]): string[] {
    return keys.flatMap((key) => [this.redis.key(key), this.redis.key(`${key}:in-flight`)]);
  }

  async reserve(slots: AttemptSlot[], _windowSeconds: number): Promise<Reservation> {
    const keys = this.pairKeys(slots.map((s) => s.key));
    const [slot, busy, ttl] = await this.redis.command<[number, number, number]>([
      'EVAL', RESERVE, String(keys.length), ...keys, ...slots.map((s) => String(s.maxFailures)), String(IN_FLIGHT_TTL_SECONDS * 1000),
    ]);
    if (Number(slot) === 0) return { ok: true };
    return { ok: false, slot: Number(slot) - 1, busy: Number(busy) === 1, resetInSeconds: Math.max(0, Math.ceil(Number(ttl) / 1000)) };
  }

  async settle(keys: string[], failed: boolean, windowSeconds: number): Promise<void> {
    const pairs = this.pairKeys(keys);
    await this.redis.command(['EVAL', SETTLE, String(pairs.length), ...pairs, failed ? '1' : '0', String(windowSeconds * 1000)]);
  }

  async addFailure(key: string, windowSeconds: number): Promise<void> {
    await this.counters.increment(key, windowSeconds);
  }

  peek(key: string) {
    return this.counters.peek(key);
  }

  reset(key: string) {
    return this.counters.reset(key);
  }
}

/** `SET id 1 NX PX ttl`: the first instance to claim an id wins; the key expires with the token. */
export class RedisUsedTokenStore implements UsedTokenStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(id: string, expiresAtMs: number): Promise<boolean> {
    const ttl = Math.max(1000, Math.ceil(expiresAtMs - this.now()));
    const reply = await this.redis.command<string | null>(['SET', this.redis.key(id), '1', 'NX', 'PX', String(ttl)]);
    return reply === 'OK';
  }
}

/** The record and its place in the user's index, at once. ARGV: sid, ttl ms, index ttl ms, fields… */
const CREATE = `
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

/** Sets fields only on a record that still exists, so a touch racing a sign-out cannot revive it. */
const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastSeen', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** Deletes the record only when it belongs to the user, and drops it from the user's index. */
const END = `
if redis.call('HGET', KEYS[1], 'uid') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[2])
return 1
`;

const RECORD_FIELDS = ['handle', 'uid', 'method', 'createdAt', 'lastSeen', 'clientAddress', 'userAgent'] as const;
/** The user's index outlives any of its sessions (absolute lifetime ≤ 7 days). */
const INDEX_TTL_MS = 8 * 24 * 3600 * 1000;
/** A password marker is kept this long after the last password sign-in. */
const MARKER_TTL_MS = 400 * 24 * 3600 * 1000;

/** HGETALL's reply: a flat [field, value, …] list (RESP2), or already a map (the client's RESP3 decoding). */
type HashReply = string[] | Record<string, string> | null;

function toRecord(reply: HashReply): SessionRecord | null {
  if (!reply) return null;
  const fields = new Map<string, string>();
  if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) fields.set(reply[i]!, reply[i + 1]!);
  else for (const [name, value] of Object.entries(reply)) fields.set(name, String(value));
  const method = fields.get('method');
  const createdAt = Number(fields.get('createdAt'));
  const lastSeen = Number(fields.get('lastSeen'));
  const handle = fields.get('handle');
  const uid = fields.get('uid');
  if (!handle || !uid || (method !== 'password' && method !== 'sso') || !Number.isFinite(createdAt) || !Number.isFinite(lastSeen)) return null;
  return { handle, uid, method, createdAt, lastSeen, clientAddress: fields.get('clientAddress') ?? '', userAgent: fields.get('userAgent') ?? '' };
}

/** Records as hashes `session:<sid>` with a TTL, and a set `sessions-of:<uid>` of the user's sids. */
export class RedisSessionStore implements SessionStore {
  constructor(private readonly redis: RedisConnection) {}

  private sessionKey(sid: string): string {
    return this.redis.key(`session:${sid}`);
  }

  private indexKey(uid: string): string {
    return this.redis.key(`sessions-of:${uid}`);
  }

  async create(sid: string, record: SessionRecord, ttlSeconds: number): Promise<void> {
    const fields = RECORD_FIELDS.flatMap((name) => [name, String(record[name])]);
    await this.redis.command([
      'EVAL', CREATE, '2', this.sessionKey(sid), this.indexKey(record.uid),
      sid, String(ttlSeconds * 1000), String(INDEX_TTL_MS), ...fields,
    ]);
  }

  async get(sid: string): Promise<SessionRecord | null> {
    return toRecord(await this.redis.command<HashReply>(['HGETALL', this.sessionKey(sid)]));
  }

  async touch(sid: string, lastSeen: number, ttlSeconds: number): Promise<void> {
    await this.redis.command(['EVAL', TOUCH, '1', this.sessionKey(sid), String(lastSeen), String(ttlSeconds * 1000)]);
  }

  async list(uid: string) {
    const sids = await this.redis.command<string[]>(['SMEMBERS', this.indexKey(uid)]);
    const records = await Promise.all(sids.map((sid) => this.get(sid)));
    const live: Array<{ sid: string; record: SessionRecord }> = [];
    const dead: string[] = [];
    sids.forEach((sid, i) => {
      const record = records[i];
      if (record && record.uid === uid) live.push({ sid, record });
      else dead.push(sid);
    });
    if (dead.length > 0) await this.redis.command(['SREM', this.indexKey(uid), ...dead]);
    return live;
  }

  async endByHandle(uid: string, handle: string): Promise<boolean> {
    const match = (await this.list(uid)).find(({ record }) => record.handle === handle);
    return match ? this.end(uid, match.sid) : false;
  }

  async end(uid: string, sid: string): Promise<boolean> {
    const ended = await this.redis.command<number>(['EVAL', END, '2', this.sessionKey(sid), this.indexKey(uid), uid, sid]);
    return Number(ended) === 1;
  }

  async endOthers(uid: string, keepSid: string | null): Promise<number> {
    const others = (await this.list(uid)).filter(({ sid }) => sid !== keepSid);
    const ended = await Promise.all(others.map(({ sid }) => this.end(uid, sid)));
    return ended.filter(Boolean).length;
  }

  async swapPasswordMarker(uid: string, marker: string): Promise<string | null> {
    return this.redis.command<string | null>(['SET', this.redis.key(`password-marker:${uid}`), marker, 'GET', 'PX', String(MARKER_TTL_MS)]);
  }
}

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** `SET key token NX PX ttl`; released only by the holder of the token. */
export class RedisLockStore implements LockStore {
  constructor(private readonly redis: RedisConnection) {}

  async acquire(key: string, ttlMs: number): Promise<string | null> {
    const token = randomBytes(12).toString('base64url');
    const reply = await this.redis.command<string | null>(['SET', this.redis.key(key), token, 'NX', 'PX', String(ttlMs)]);
    return reply === 'OK' ? token : null;
  }

  async release(key: string, token: string): Promise<void> {
    await this.redis.command(['EVAL', RELEASE, '1', this.redis.key(key), token]);
  }
}

const APPEND = `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

const REPLACE = `
local entries = redis.call('LRANGE', KEYS[1], 0, -1)
for i, entry in ipairs(entries) do
  if entry == ARGV[1] then
    redis.call('LSET', KEYS[1], i - 1, ARGV[2])
    return 1
  end
end
return 0
`;

const ACTIVITY_RETENTION_MS = RETENTION_DAYS * 24 * 3600 * 1000;

/** One list per user and stream, `activity:<stream>:<uid>`, newest first, trimmed and expiring with the retention. */
export class RedisActivityStore implements ActivityStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly now: () => number = Date.now,
  ) {}

  private listKey(uid: string, stream: ActivityStream): string {
    return this.redis.key(`activity:${stream}:${uid}`);
  }

  async append<S extends ActivityStream>(uid: string, stream: S, entry: ActivityStreams[S]): Promise<void> {
    await this.redis.command(['EVAL', APPEND, '1', this.listKey(uid, stream), JSON.stringify(entry), String(MAX_ENTRIES_PER_STREAM), String(ACTIVITY_RETENTION_MS)]);
  }

  async list<S extends ActivityStream>(uid: string, stream: S, limit = MAX_ENTRIES_PER_STREAM): Promise<Array<ActivityStreams[S]>> {
    const raw = await this.redis.command<string[]>(['LRANGE', this.listKey(uid, stream), '0', String(Math.max(0, Math.min(limit, MAX_ENTRIES_PER_STREAM) - 1))]);
    const oldest = this.now() - ACTIVITY_RETENTION_MS;
    return raw.flatMap((text) => {
      try {
        const entry = JSON.parse(text) as ActivityStreams[S];
        return typeof entry?.at === 'number' && entry.at >= oldest ? [entry] : [];
      } catch {
        return [];
      }
    });
  }

  async replace<S extends ActivityStream>(uid: string, stream: S, previous: ActivityStreams[S], next: ActivityStreams[S]): Promise<boolean> {
    const replaced = await this.redis.command<number>(['EVAL', REPLACE, '1', this.listKey(uid, stream), JSON.stringify(previous), JSON.stringify(next)]);
    return Number(replaced) === 1;
  }
}

/** Kept as long as the activity it explains (a user away longer starts afresh: nothing to compare). */
const FINGERPRINT_TTL_MS = RETENTION_DAYS * 24 * 3600 * 1000;

/** `SET key value GET` (or GETDEL): one round trip, atomic across instances. */
export class RedisFingerprintStore implements FingerprintStore {
  constructor(private readonly redis: RedisConnection) {}

  async swap(key: string, value: string | null): Promise<string | null> {
    const name = this.redis.key(`fingerprint:${key}`);
    if (value === null) return this.redis.command<string | null>(['GETDEL', name]);
    return this.redis.command<string | null>(['SET', name, value, 'GET', 'PX', String(FINGERPRINT_TTL_MS)]);
  }
}
