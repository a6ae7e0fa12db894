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
import { QuarantineStore } from './backends/quarantine/store';
import type { CounterStore } from './auth/rate-limit';
import { aliasPolicy } from './features/aliases/policy';
import { AliasService } from './features/aliases/service';
import { FiltersService } from './features/filters/service';
import { RuleTester } from './features/filters/tester';
import { folderPaths } from './features/folders/imap';
import { ForwardingService } from './features/forwarding/service';
import { OverviewService } from './features/overview/service';
import { allowSenderViaSpamSettings } from './features/quarantine/allow-sender';
import { ReleaseApprovals } from './features/quarantine/approvals';
import { QuarantineService } from './features/quarantine/service';
import { QuotaService } from './features/quota/service';
import { SpamService } from './features/spam/service';
import { VacationService } from './features/vacation/service';

/**
 * Everything the routes use, built once at start-up by createServices (the composition root)
 * and passed to createApp. Nothing else constructs a service: a route module receives the
 * ones it uses, so a test can hand createApp a fake for one of them.
 */
export interface Services extends Backends, FeatureServices {}

/** Connections, stores and codecs: what the features are built on. */
export interface Backends {
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

/** One service per feature (docs/ARCHITECTURE.md, Layers). */
export interface FeatureServices {
  vacation: VacationService;
  spam: SpamService;
  forwarding: ForwardingService;
  quota: QuotaService;
  aliases: AliasService;
  filters: FiltersService;
  /** Tries a rule on the mail already there, and applies it (POST /api/filters/test, /apply). */
  ruleTester: RuleTester;
  overview: OverviewService;
  /** The user's held mail; null when the site has no quarantine. */
  heldMail: QuarantineService | null;
  /** The helpdesk's release requests; null when the site has no quarantine. */
  releaseApprovals: ReleaseApprovals | null;
}

export function createServices(config: AppConfig, logger: Logger, options: { processMetrics?: boolean } = {}): Services {
  const backends = createBackends(config, logger, options);
  return { ...backends, ...createFeatureServices(backends) };
}

function createFeatureServices(backends: Backends): FeatureServices {
  const { config, logger, scripts, directory, imap } = backends;
  const vacation = new VacationService(scripts, config.mail.timeZone, config.vacation);
  const spam = new SpamService(scripts, { ...config.spam, quarantineDays: config.quarantine?.retentionDays ?? null }, directory);
  const forwarding = new ForwardingService(backends, config);
  const quota = new QuotaService(imap, logger);
  const heldMail = backends.quarantine && config.quarantine ? new QuarantineService(backends.quarantine, config.quarantine, allowSenderViaSpamSettings(spam), logger) : null;
  const releaseApprovals = backends.quarantine && config.quarantine ? new ReleaseApprovals(backends.quarantine, directory, config.quarantine, logger) : null;
  const held = heldMail && ((account: Parameters<QuarantineService['counts']>[0], now: Date) => heldMail.counts(account, now));
  // A rule's target is compared with the user's folders; a mail server that cannot list them now does not block the save.
  const listFolders = (uid: string, clientAddress: string) => folderPaths(imap, uid, { clientAddress }).catch(() => null);
  return {
    vacation,
    spam,
    forwarding,
    quota,
    aliases: new AliasService({
      directory,
      policy: aliasPolicy(config),
      logger,
      checksPerMinute: config.aliases.checksPerMinute,
      // Auto-replies must keep covering every address: the vacation block follows alias changes.
      onAddressesChanged: (uid, addresses, client) => vacation.addressesChanged(uid, addresses, client),
    }),
    filters: new FiltersService(scripts, listFolders),
    ruleTester: new RuleTester(imap, logger, config.session.keys[0]),
    overview: new OverviewService({ scripts, directory, quota, forwarding, held, logger }, config),
    heldMail,
    releaseApprovals,
  };
}

function createBackends(config: AppConfig, logger: Logger, options: { processMetrics?: boolean }): Backends {
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
