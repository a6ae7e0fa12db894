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
import { RawScriptEditor } from './features/script/raw-editor';
import { MemoryUsedTokenStore, SsoVerifier } from './auth/sso';
import { ManageSieveClient } from './backends/managesieve';
import { ChangeLog } from './features/security/change-log';
import { MemoryFingerprintStore } from './auth/fingerprints';
import { RedisActivityStore, RedisAttemptStore, RedisFingerprintStore, RedisConnection, RedisCounterStore, RedisLockStore, RedisSessionStore, RedisUsedTokenStore } from './backends/redis/stores';
import { MemoryLockStore, type LockStore } from './auth/locks';
import { Metrics } from './ops/metrics';
import { QuarantineStore, type QuarantineStoreOptions } from './backends/quarantine/store';
import { DigestStore } from './backends/quarantine/digest-store';
import { createOutbound, type Outbound } from './backends/outbound';
import type { CounterStore } from './auth/rate-limit';
import { aliasPolicy } from './features/aliases/policy';
import { AliasService } from './features/aliases/service';
import { FiltersService } from './features/filters/service';
import { RuleTester } from './features/filters/tester';
import { FilterTransfer } from './features/filters/import-service';
import { folderPaths } from './features/folders/imap';
import { FolderService } from './features/folders/service';
import { ForwardingService } from './features/forwarding/service';
import { OverviewService } from './features/overview/service';
import { allowSenderViaSpamSettings } from './features/quarantine/allow-sender';
import { ReleaseApprovals } from './features/quarantine/approvals';
import { DigestSettings } from './features/quarantine/digest-settings';
import { DecisionNotices } from './features/quarantine/decision-notice';
import { mailContextOf } from './features/quarantine/mail-texts';
import { QuarantineService } from './features/quarantine/service';
import { QuotaService } from './features/quota/service';
import { SpamService } from './features/spam/service';
import { VacationService } from './features/vacation/service';
import { SecurityService } from './features/security/service';
import { ExitsService } from './features/exits/service';
import { AlertsService } from './features/exits/not-me';
import { HelpdeskAccess } from './features/helpdesk/access';
import { DeliveryReader } from './features/helpdesk/delivery';
import { MessageExplainer } from './features/helpdesk/explain';
import { HelpdeskService } from './features/helpdesk/service';

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

/** One service per feature (docs/ARCHITECTURE.md, Layers). */
export interface FeatureServices {
  vacation: VacationService;
  spam: SpamService;
  forwarding: ForwardingService;
  quota: QuotaService;
  folders: FolderService;
  aliases: AliasService;
  filters: FiltersService;
  /** The script as text, the other scripts, the history, taking over (the raw editor's API). */
  rawScripts: RawScriptEditor;
  /** The filters as a .sieve file: export, and import after a preview (GET /api/filters/export, POST /api/filters/import…). */
  filterTransfer: FilterTransfer;
  /** Tries a rule on the mail already there, and applies it (POST /api/filters/test, /apply). */
  ruleTester: RuleTester;
  overview: OverviewService;
  /** The user's held mail; null when the site has no quarantine. */
  heldMail: QuarantineService | null;
  /** The helpdesk's release requests; null when the site has no quarantine. */
  releaseApprovals: ReleaseApprovals | null;
  /** The Security page: sessions, sign-ins, changes, helpdesk looks. */
  security: SecurityService;
  /** Every way mail leaves the account, one limit, the watch that alerts a new one (features/exits). */
  exits: ExitsService;
  /** Security alerts and "This wasn't me". */
  alerts: AlertsService;
  /** Who may use the helpdesk's screens, and on whom. */
  helpdeskAccess: HelpdeskAccess;
  /** The helpdesk's screens: find a user, their delivery, explain a message, act for them. */
  helpdesk: HelpdeskService;
  /** The user's held-mail digest choice; null when the site has no quarantine. */
  digestSettings: DigestSettings | null;
}

export function createServices(config: AppConfig, logger: Logger, options: { processMetrics?: boolean } = {}): Services {
  const backends = createBackends(config, logger, options);
  return { ...backends, ...createFeatureServices(backends) };
}

function createFeatureServices(backends: Backends): FeatureServices {
  const { config, logger, scripts, directory, imap } = backends;
  const vacation = new VacationService(scripts, config.mail.timeZone, config.vacation);
  const spam = new SpamService(scripts, { ...config.spam, quarantineDays: config.quarantine?.retentionDays ?? null }, directory);
  const exits = new ExitsService(backends, config);
  const alerts = new AlertsService({ ...backends, exits });
  // Every exit shares the server's limit: the forwarding page counts those outside its own store.
  const forwarding = new ForwardingService(
    {
      ...backends,
      otherExits: async (account, clientAddress) =>
        config.forwarding.store === 'ldap' ? exits.scriptExitCount(account, clientAddress) : { count: await exits.directoryExits(account) },
    },
    config,
  );
  const quota = new QuotaService(imap, logger);
  const heldMail = backends.quarantine && config.quarantine ? new QuarantineService(backends.quarantine, config.quarantine, allowSenderViaSpamSettings(spam), logger) : null;
  const decisionNotices =
    config.quarantine &&
    new DecisionNotices({
      accountOf: (address) => directory.findAccountByLogin(address),
      activity: backends.activity,
      digests: backends.digests,
      defaultLanguage: config.quarantine.digests.defaultLanguage,
      outbound: backends.outbound,
      mail: () => mailContextOf(config),
      logger,
    });
  const releaseApprovals =
    backends.quarantine && config.quarantine ? new ReleaseApprovals(backends.quarantine, directory, config.quarantine, logger, decisionNotices || null) : null;
  const held = heldMail && ((account: Parameters<QuarantineService['counts']>[0], now: Date) => heldMail.counts(account, now));
  // A rule's target is compared with the user's folders; a mail server that cannot list them now does not block the save.
  const listFolders = (uid: string, clientAddress: string) => folderPaths(imap, uid, { clientAddress }).catch(() => null);
  const overview = new OverviewService({ scripts, directory, quota, forwarding, held, logger, exits: (account, client) => alerts.summary(account, client) }, config);
  // The helpdesk works on the features' own services, so its actions keep their rules.
  const helpdeskAccess = new HelpdeskAccess(directory, config.helpdesk);
  const helpdeskFeatures = { overview, vacation, forwarding, quota };
  const helpdesk = new HelpdeskService(
    {
      access: helpdeskAccess,
      directory,
      delivery: new DeliveryReader({ ...helpdeskFeatures, scripts, directory, activity: backends.activity, logger }, config.sieve.scriptName),
      explainer: new MessageExplainer({ quarantine: backends.quarantine, imap, scripts, logger }, config),
      ...helpdeskFeatures,
      imap,
      activity: backends.activity,
      logger,
    },
    config.mail.domain,
  );
  return {
    vacation,
    spam,
    forwarding,
    quota,
    folders: new FolderService(imap, logger),
    aliases: new AliasService({
      directory,
      policy: aliasPolicy(config),
      logger,
      checksPerMinute: config.aliases.checksPerMinute,
      // Auto-replies must keep covering every address: the vacation block follows alias changes.
      onAddressesChanged: (uid, addresses, client) => vacation.addressesChanged(uid, addresses, client),
    }),
    filters: new FiltersService(scripts, listFolders, (account) => exits.directoryExits(account)),
    rawScripts: new RawScriptEditor(scripts, directory, config.sieve, (account, text, clientAddress) => exits.checkRaw(account, text, clientAddress), config.mail.timeZone),
    filterTransfer: new FilterTransfer(scripts, (account, text, clientAddress) => exits.checkRaw(account, text, clientAddress)),
    ruleTester: new RuleTester(imap, logger, config.session.keys[0]),
    overview,
    heldMail,
    releaseApprovals,
    security: new SecurityService(backends, config.mail.timeZone),
    exits,
    alerts,
    helpdeskAccess,
    helpdesk,
    digestSettings: config.quarantine
      ? new DigestSettings(
          backends.outbound && backends.digests,
          { schedule: 'daily', language: config.quarantine.digests.defaultLanguage },
          backends.activity,
        )
      : null,
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
    quarantine: config.quarantine ? new QuarantineStore(quarantineStoreOptions(config.quarantine, 4)) : null,
    digests: config.quarantine ? new DigestStore(quarantineStoreOptions(config.quarantine, 2)) : null,
    outbound: config.outbound ? createOutbound(config.outbound) : null,
  };
}

export async function closeServices(services: Services): Promise<void> {
  await Promise.allSettled([services.sieve.close(), services.imap.close(), services.directory.close(), services.redis?.close(), services.quarantine?.close(), services.digests?.close()]);
  services.outbound?.close();
}
