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
import { ChangeLog } from './features/security/change-log';
import { MemoryFingerprintStore } from './features/security/fingerprints';
import { RedisActivityStore, RedisAttemptStore, RedisFingerprintStore, RedisConnection, RedisCounterStore, RedisLockStore, RedisSessionStore, RedisUsedTokenStore } from './backends/redis/stores';
import { MemoryLockStore, type LockStore } from './http/middleware/scan-limit';
import { Metrics } from './ops/metrics';
import { QuarantineStore } from './backends/quarantine/store';
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
  const activity = redis ? new RedisActivityStore(redis) : new MemoryActivityStore();
  // Every change of delivery settings goes through the script store or the directory's writers: both tell the change log.
  const changeLog = new ChangeLog(activity, redis ? new RedisFingerprintStore(redis) : new MemoryFingerprintStore(), logger);
  const directory = new LastKnownDirectory(config.ldap, { maxAgeMs: config.session.idleMinutes * 60_000, maxEntries: config.pool.maxConnections });
  directory.observer = changeLog.directory;
  return {
    config,
    logger,
    // Signed-in users keep working through an LDAP outage (see last-known.ts).
    directory,
    sieve,
    scripts: new ScriptStore(sieve, config.sieve, logger, changeLog.script),
    imap,
    throttle: new LoginThrottle(redis ? new RedisAttemptStore(redis) : new MemoryAttemptStore(), config.loginRateLimit),
    sessions: new SessionCodec({
      keys: config.session.keys,
      idleSeconds: config.session.idleMinutes * 60,
      absoluteSeconds: config.session.absoluteHours * 3600,
    }),
    sessionStore: redis ? new RedisSessionStore(redis) : new MemorySessionStore(),
    activity,
    sso: new SsoVerifier(config.sso, redis ? new RedisUsedTokenStore(redis) : new MemoryUsedTokenStore()),
    counters,
    locks: redis ? new RedisLockStore(redis) : new MemoryLockStore(),
    metrics,
    redis,
    quarantine: config.quarantine
      ? new QuarantineStore({
          connectionString: config.quarantine.databaseUrl,
          password: config.quarantine.password,
          statementTimeoutMs: config.quarantine.timeoutMs,
          connectTimeoutMs: config.quarantine.timeoutMs,
          maxConnections: 4,
        })
      : null,
  };
}

export async function closeServices(services: Services): Promise<void> {
  await Promise.allSettled([services.sieve.close(), services.imap.close(), services.directory.close(), services.redis?.close(), services.quarantine?.close()]);
}
