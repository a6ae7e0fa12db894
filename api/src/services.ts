import type { AppConfig } from './config/load';
import type { Logger } from './logging';
import { Directory } from './backends/ldap/directory';
import { LastKnownDirectory } from './backends/ldap/last-known';
import { ImapSessions } from './backends/imap/sessions';
import { SieveSessions } from './backends/sieve-sessions';
import { MemoryCounterStore } from './auth/rate-limit';
import { LoginThrottle, MemoryAttemptStore } from './auth/login-throttle';
import { MemorySessionStore, type SessionStore } from './auth/session-store';
import { MemoryActivityStore, type ActivityStore } from './auth/activity-store';
import { SessionCodec } from './auth/session';
import { ScriptStore } from './features/script/store';
import { MemoryUsedTokenStore, SsoVerifier } from './auth/sso';
import { ManageSieveClient } from './backends/managesieve';
import { RedisActivityStore, RedisAttemptStore, RedisConnection, RedisCounterStore, RedisLockStore, RedisSessionStore, RedisUsedTokenStore } from './backends/redis/stores';
import { MemoryLockStore, type LockStore } from './http/middleware/scan-limit';
import { Metrics } from './ops/metrics';
import { QuarantineStore, type QuarantineStoreOptions } from './backends/quarantine/store';
import { DigestStore } from './backends/quarantine/digest-store';
import { createOutbound, type Outbound } from './backends/outbound';
import type { CounterStore } from './auth/rate-limit';

/** Everything the routes use, built once at start-up and passed to createApp. */
export interface Services {
  config: AppConfig;
  logger: Logger;
  directory: Directory;
  sieve: SieveSessions;
  imap: ImapSessions;
  /** The one owner of each user's Sieve script (docs/ARCHITECTURE.md, The user's Sieve script). */
  scripts: ScriptStore;
  throttle: LoginThrottle;
  sessions: SessionCodec;
  /** Server-side session records: a cookie is a session only while its record lives. */
  sessionStore: SessionStore;
  /** Per-user sign-ins, changes, helpdesk looks and alerts (Security page, helpdesk). */
  activity: ActivityStore;
  /** Roundcube single sign-on tokens (refuses all when config.sso is null). */
  sso: SsoVerifier;
  /** Counters shared by every instance when Redis is configured (sign-in throttle), in memory otherwise. */
  counters: CounterStore;
  /** Per-user locks (one folder scan at a time), shared like `counters`. */
  locks: LockStore;
  /** Prometheus metrics (GET /metrics). */
  metrics: Metrics;
  /** The Redis connection when config.redis is set. */
  redis: RedisConnection | null;
  /** amavisd-new's SQL log and quarantine, when config.quarantine is set. */
  quarantine: QuarantineStore | null;
  /** Each user's held-mail digest choice and state (the app's table in the quarantine's database). */
  digests: DigestStore | null;
  /** How the app's own mail leaves, when config.outbound is set. */
  outbound: Outbound | null;
}

function quarantineStoreOptions(quarantine: NonNullable<AppConfig['quarantine']>, maxConnections: number): QuarantineStoreOptions {
  return {
    connectionString: quarantine.databaseUrl,
    password: quarantine.password,
    statementTimeoutMs: quarantine.timeoutMs,
    connectTimeoutMs: quarantine.timeoutMs,
    maxConnections,
  };
}

export function createServices(config: AppConfig, logger: Logger, options: { processMetrics?: boolean } = {}): Services {
  const metrics = new Metrics(options);
  const sieve = new SieveSessions(config, (o) =>
    ManageSieveClient.connect({
      ...o,
      onEndpointFailure: (endpoint, error) => metrics.connectFailed('managesieve', endpoint.name, `${endpoint.host}:${endpoint.port}`, error.code),
    }),
  );
  const imap = new ImapSessions(config, {
    onDirectorFailure: (director, error) => metrics.connectFailed('imap', director.name, `${director.host}:${director.imapPort}`, error.code),
  });
  metrics.watchPools({ managesieve: () => sieve.size, imap: () => imap.size });
  const redis = config.redis ? new RedisConnection(config.redis) : null;
  const counters = redis ? new RedisCounterStore(redis) : new MemoryCounterStore();
  return {
    config,
    logger,
    // Signed-in users keep working through an LDAP outage (see last-known.ts).
    directory: new LastKnownDirectory(config.ldap, { maxAgeMs: config.session.idleMinutes * 60_000, maxEntries: config.pool.maxConnections }),
    sieve,
    scripts: new ScriptStore(sieve, config.sieve, logger),
    imap,
    throttle: new LoginThrottle(redis ? new RedisAttemptStore(redis) : new MemoryAttemptStore(), config.loginRateLimit),
    sessions: new SessionCodec({
      keys: config.session.keys,
      idleSeconds: config.session.idleMinutes * 60,
      absoluteSeconds: config.session.absoluteHours * 3600,
    }),
    sessionStore: redis ? new RedisSessionStore(redis) : new MemorySessionStore(),
    activity: redis ? new RedisActivityStore(redis) : new MemoryActivityStore(),
    sso: new SsoVerifier(config.sso, redis ? new RedisUsedTokenStore(redis) : new MemoryUsedTokenStore()),
    counters,
    locks: redis ? new RedisLockStore(redis) : new MemoryLockStore(),
    metrics,
    redis,
    quarantine: config.quarantine ? new QuarantineStore(quarantineStoreOptions(config.quarantine, 4)) : null,
    digests: config.quarantine ? new DigestStore(quarantineStoreOptions(config.quarantine, 2)) : null,
    outbound: config.outbound ? createOutbound(config.outbound) : null,
  };
}

export async function closeServices(services: Services): Promise<void> {
  await Promise.allSettled([services.sieve.close(), services.imap.close(), services.directory.close(), services.redis?.close(), services.quarantine?.close(), services.digests?.close()]);
  services.outbound?.close();
}
