import { createClient } from 'redis';
import type { CounterStore } from '../../auth/rate-limit';
import type { UsedTokenStore } from '../../auth/sso';
import { ApiError } from '../../http/errors';

/**
 * What several API instances behind a load balancer must share (DESIGN decision 6): sign-in
 * throttling counters and spent single sign-on token ids, in Redis. Selected when config
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
  if (error instanceof ApiError) throw error;
  throw new ApiError('directory_unavailable', 'the shared sign-in store (Redis) is not answering; try again in a few minutes');
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
