import { z } from 'zod';
import { isValidTimeZone } from '../shared/zoned-time';

/**
 * The one typed configuration of the API. Every key is validated at start-up; a bad value
 * stops the process with a message naming the key (see load.ts). Defaults are stated here.
 */

/** A secret is given inline, or read from an environment variable or a file, so production
 *  configs need not contain passwords. */
const secret = z.union([
  z.string().min(1),
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);
export type SecretRef = z.infer<typeof secret>;

const hostname = z.string().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address');
const port = z.number().int().min(1).max(65535);
const origin = z
  .string()
  .url()
  .refine((v) => new URL(v).origin === v, 'must be an origin: scheme://host[:port], no path or trailing slash');

/** An IPv4 or IPv6 address, optionally with a prefix length: 127.0.0.0/8, ::1/128. */
const CIDR_PATTERN =
  /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?:\/(?:3[0-2]|[12]?\d))?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(?:\/(?:12[0-8]|1[01]\d|[1-9]?\d))?)$/;

const director = z
  .object({
    /** Shown in health checks and logs, e.g. "theano". */
    name: z.string().min(1).max(64).regex(/^[a-z0-9-]+$/i, 'letters, digits and hyphens only'),
    host: hostname,
    imapPort: port.default(143),
    sievePort: port.default(4190),
  })
  .strict();

/** Local parts of senders that never read replies: "no reply" addresses, notification
 *  robots, bounce handlers (the envelope senders of bulk mail) and autoresponders. */
export const DEFAULT_NO_REPLY_LOCAL_PARTS = [
  'noreply',
  'no-reply',
  'no_reply',
  'donotreply',
  'do-not-reply',
  'do_not_reply',
  'notification',
  'notifications',
  'notify',
  'alerts',
  'mailer',
  'mailer-daemon',
  'postmaster',
  'bounce',
  'bounces',
  'autoreply',
  'auto-reply',
] as const;

export const configSchema = z
  .object({
    server: z
      .object({
        /** Address to listen on. Default 127.0.0.1 (behind the reverse proxy on thalia). */
        host: z.string().min(1).default('127.0.0.1'),
        /** Port to listen on. Default 8080; the PORT environment variable overrides it. */
        port: port.default(8080),
        /** The origin users reach the app at; used for the CSRF origin check and to decide
         *  whether cookies are Secure and HSTS is sent (https origins). */
        publicOrigin: origin,
        /** Trust X-Forwarded-For / X-Forwarded-Proto from the reverse proxy. Default false. */
        trustProxy: z.boolean().default(false),
        /** Largest request body accepted, in bytes. Default 256 KiB (a big Sieve script). */
        maxBodyBytes: z.number().int().min(1024).max(4 * 1024 * 1024).default(256 * 1024),
        /** Where the built SPA is. Default dist/web. */
        staticDir: z.string().min(1).default('dist/web'),
      })
      .strict(),

    /** The Dovecot directors (IMAP/ManageSieve proxies), tried in order. Never a back end. */
    directors: z.array(director).min(1),
    mailTransport: z
      .object({
        /** 'none' only on loopback; production uses STARTTLS. */
        tls: z.enum(['none', 'starttls-if-offered', 'starttls-required']).default('starttls-required'),
        /** PEM file of the CA that signed the directors' certificates (default: system CAs). */
        caFile: z.string().optional(),
        rejectUnauthorized: z.boolean().default(true),
        connectTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
        commandTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
      })
      .strict()
      .default({ tls: 'starttls-required', rejectUnauthorized: true, connectTimeoutMs: 5_000, commandTimeoutMs: 15_000 }),
    /** Dovecot master user: the API acts as the signed-in user without keeping her password. */
    masterUser: z.object({ name: z.string().min(1), password: secret }).strict(),

    ldap: z
      .object({
        url: z.string().regex(/^ldaps?:\/\/[^/\s]+$/, 'must be ldap://host[:port] or ldaps://host[:port]'),
        /** Upgrade ldap:// connections with StartTLS. Default false (loopback). */
        startTls: z.boolean().default(false),
        caFile: z.string().optional(),
        peopleDn: z.string().min(3),
        groupsDn: z.string().min(3),
        /** The service account only the API holds; it writes the attributes users may change. */
        serviceDn: z.string().min(3),
        servicePassword: secret,
        timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
      })
      .strict(),

    mail: z
      .object({
        /** The site's mail domain, e.g. cs.ucy.ac.cy. */
        domain: z.string().min(3).regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain name'),
        /** The site's time zone, for users who have not saved one. Default Europe/Nicosia. */
        timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone, e.g. Europe/Nicosia').default('Europe/Nicosia'),
      })
      .strict(),

    sieve: z
      .object({
        /** Name of the script the app writes and activates. Default "emailng". */
        scriptName: z.string().min(1).max(128).default('emailng'),
        /** Must equal Dovecot's sieve_spamtest_max_value, or spam thresholds are converted wrongly. */
        spamtestMaxValue: z.number().positive().max(1000),
      })
      .strict(),

    spam: z
      .object({
        /** Score at which amavisd-new tags mail (tag2 level): the "Standard" preset files what it tagged. */
        siteThreshold: z.number().positive().default(6.31),
        /** Score at or over which the relays quarantine mail: it never arrives. */
        quarantineScore: z.number().positive().default(20),
        /** Thresholds of the named presets; Standard is the site's tagging. */
        presets: z
          .object({ lenient: z.number().positive().default(10), strict: z.number().positive().default(4) })
          .strict()
          .default({ lenient: 10, strict: 4 }),
        /** Most entries in each of the allow and block lists. Default 100. */
        maxListEntries: z.number().int().min(1).max(1000).default(100),
        /** Also write the levels and lists to the user's amavis attributes in LDAP, so the
         *  relays apply them too (amavisd-new with LDAP lookups). Default false. */
        amavisLdap: z.boolean().default(false),
      })
      .strict()
      .default({ siteThreshold: 6.31, quarantineScore: 20, presets: { lenient: 10, strict: 4 }, maxListEntries: 100, amavisLdap: false }),

    vacation: z
      .object({
        /** Senders that are machines: no vacation reply goes to an address whose local part
         *  (envelope sender or From, any case) is one of these, alone or with a +detail.
         *  Pigeonhole itself already skips MAILER-DAEMON, owner-*, *-request, LISTSERV and
         *  majordomo (RFC 3834 §2); these are the names notification and bulk senders use. */
        noReplyLocalParts: z
          .array(z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "-" and "_" only (a local part, no wildcards)'))
          .max(100)
          .default([...DEFAULT_NO_REPLY_LOCAL_PARTS]),
      })
      .strict()
      .default({ noReplyLocalParts: [...DEFAULT_NO_REPLY_LOCAL_PARTS] }),

    forwarding: z
      .object({
        /** Where forwarding lives: the user's Sieve (`redirect`) or LDAP mailForwardingAddress. */
        store: z.enum(['sieve', 'ldap']).default('sieve'),
        /** Most forwarding addresses; the server's MAXREDIRECTS caps it further. Default 3. */
        maxAddresses: z.number().int().min(1).max(20).default(3),
      })
      .strict()
      .default({ store: 'sieve', maxAddresses: 3 }),

    session: z
      .object({
        /** Base64 keys of 32 bytes; the first encrypts, all decrypt (so keys can be rotated). */
        keys: z.array(secret).min(1),
        cookieName: z.string().regex(/^[A-Za-z0-9_-]+$/).default('emailng_session'),
        /** Signed out after this long without a request. Default 30 minutes. */
        idleMinutes: z.number().int().min(1).max(24 * 60).default(30),
        /** Signed out this long after sign-in, whatever the activity. Default 12 hours. */
        absoluteHours: z.number().int().min(1).max(7 * 24).default(12),
        /** The cookie's SameSite. "lax" (default) when the app and Roundcube are the same site
         *  (e.g. both on https://thalia…, any path or port). "none" when Roundcube is another site
         *  and frames the app: a Lax cookie is neither set nor sent inside a cross-site frame.
         *  "none" makes the cookie Secure, so it needs an https publicOrigin (or loopback). */
        sameSite: z.enum(['lax', 'none']).default('lax'),
        /** Add `Partitioned` (CHIPS): the cookie is kept per top-level site, so it works in a
         *  cross-site frame where third-party cookies are blocked, and is never shared with
         *  other sites that frame the app. Requires sameSite "none". Default false. */
        partitioned: z.boolean().default(false),
      })
      .strict(),

    /** Single sign-on from Roundcube (deploy/roundcube/emailng_settings): the plugin signs a
     *  short-lived, single-use token for the logged-in user; GET /sso verifies it and opens a
     *  session. Null (default): SSO is off and /sso refuses every token. */
    sso: z
      .object({
        /** `iss` the plugin puts in tokens, e.g. the webmail URL. Must match exactly. */
        issuer: z.string().min(1).max(256),
        /** `aud` the plugin puts in tokens: this app, e.g. its public origin. Must match exactly. */
        audience: z.string().min(1).max(256),
        /** The only algorithm accepted: HS256 (shared secret) or EdDSA (Ed25519; the plugin holds
         *  the private key, the API only the public one). */
        algorithm: z.enum(['HS256', 'EdDSA']),
        /** HS256: the shared secret, ≥ 32 random bytes in base64 (`openssl rand -base64 32`).
         *  EdDSA: the Ed25519 public key, PEM (SPKI, "BEGIN PUBLIC KEY"). */
        key: secret,
        /** Tokens older than this (by `iat`), or living longer (exp − iat), are refused. Default 60, at most 60. */
        maxAgeSeconds: z.number().int().min(5).max(60).default(60),
        /** Clock difference allowed between the webmail host and the API. Default 5 s. */
        clockToleranceSeconds: z.number().int().min(0).max(30).default(5),
      })
      .strict()
      .nullable()
      .default(null),

    /** Roundcube's origin, allowed to frame the app (CSP frame-ancestors). Null: nobody may. */
    webmailOrigin: origin.nullable().default(null),

    pool: z
      .object({
        /** An idle authenticated back-end connection is closed after this long. Default 60 s. */
        idleSeconds: z.number().int().min(1).max(3600).default(60),
        /** At most this many pooled connections; the least recently used goes first. Default 2000. */
        maxConnections: z.number().int().min(1).max(100_000).default(2000),
      })
      .strict()
      .default({ idleSeconds: 60, maxConnections: 2000 }),

    loginRateLimit: z
      .object({
        /** Failed sign-ins allowed per account in the window before it is locked. Default 5. */
        maxFailuresPerAccount: z.number().int().min(1).default(5),
        /** Failed sign-ins allowed per client address in the window (successes never count:
         *  a lab or a campus NAT address signs many people in at once). Default 50. */
        maxFailuresPerAddress: z.number().int().min(1).default(50),
        /** Window length, in seconds. Default 900 (15 minutes). */
        windowSeconds: z.number().int().min(1).default(900),
      })
      .strict()
      .default({ maxFailuresPerAccount: 5, maxFailuresPerAddress: 50, windowSeconds: 900 }),

    /** Alias policy (docs/ARCHITECTURE.md, Site policies): every user has a fixed login address and a read-only default
     *  alias from the central system; she may add her own additional aliases under these rules. */
    aliases: z
      .object({
        /** How many additional aliases a user may have. Default 1. 0 turns the feature off. */
        maxAdditional: z.number().int().min(0).max(10).default(1),
        /** Shortest local part (the part before @) of an additional alias. Default 10. */
        minLocalPartLength: z.number().int().min(1).max(64).default(10),
        /** Punctuation allowed in the local part besides ASCII letters and digits, from ".-_".
         *  Default ".-" (letters, digits, dots, hyphens). A local part never starts or ends with
         *  punctuation and never has two dots in a row. */
        punctuation: z.string().regex(/^[._-]*$/, 'only ".", "-" and "_"').default('.-'),
        /** The domain of additional aliases. Default: mail.domain. */
        domain: z.string().min(3).regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain name').optional(),
        /** Availability checks (GET /api/aliases/availability) allowed per user per minute, so
         *  the check is no directory enumeration oracle. Default 30. */
        checksPerMinute: z.number().int().min(1).max(1000).default(30),
        /** Local parts nobody may take as an alias, besides the built-in role and system names
         *  (RFC 2142's postmaster, abuse…, mailer-daemon, root…: features/aliases/reserved.ts)
         *  and the API's own service account and master user. Default none. */
        reserved: z.array(z.string().min(1).max(64).regex(/^[A-Za-z0-9._+-]+$/, 'letters, digits and . _ + - only')).max(1000).default([]),
      })
      .strict()
      .default({ maxAdditional: 1, minLocalPartLength: 10, punctuation: '.-', checksPerMinute: 30, reserved: [] }),

    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** Where the audit stream goes: every settings change and every sign-in/out (who, what,
         *  from where), the lines with "log":"audit" or "log":"auth". A file path: those lines go
         *  there (appended, written synchronously) and not to stdout. Unset (default): they stay
         *  on stdout with the access log, told apart by their "log" field. */
        auditFile: z.string().min(1).optional(),
      })
      .strict()
      .default({ level: 'info' }),

    /** GET /metrics in the Prometheus text format. */
    metrics: z
      .object({
        /** Default true. */
        enabled: z.boolean().default(true),
        /** Client addresses (CIDRs) that may read /metrics. Default loopback only. */
        allowFrom: z.array(z.string().regex(CIDR_PATTERN, 'must be an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8')).default(['127.0.0.0/8', '::1/128']),
      })
      .strict()
      .default({ enabled: true, allowFrom: ['127.0.0.0/8', '::1/128'] }),

    /** Work that scans a mail folder (rule test, apply preview, apply, emptying a folder):
     *  one at a time per user, and at most this many started per user in the window. */
    scanLimit: z
      .object({
        /** Default 30. */
        maxPerWindow: z.number().int().min(1).default(30),
        /** Window length, in seconds. Default 300 (5 minutes). */
        windowSeconds: z.number().int().min(1).default(300),
      })
      .strict()
      .default({ maxPerWindow: 30, windowSeconds: 300 }),

    /** Login names (uid) of the administrators who may end every session of any user
     *  (POST /api/admin/revoke-sessions; `npm run revoke` is the command-line way). Default: nobody. */
    administrators: z.array(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a login name')).max(100).default([]),

    /** Redis, shared by several API instances behind a load balancer: sign-in throttling
     *  counters, spent single sign-on token ids, session records and folder-scan limits. Null (default): kept in this process's
     *  memory, which is right for exactly one instance. */
    redis: z
      .object({
        /** redis://[:password@]host[:port][/db] or rediss:// (TLS). The password may instead be
         *  given with `password`. */
        url: z.string().regex(/^rediss?:\/\/[^\s]+$/, 'must be redis://host[:port][/db] or rediss://…'),
        password: secret.optional(),
        /** Prefix of every key the API writes. Default "emailng:". */
        keyPrefix: z.string().max(64).default('emailng:'),
        /** Connecting and each command, in ms; past it the request fails (503). Default 2000. */
        timeoutMs: z.number().int().min(50).max(60_000).default(2000),
      })
      .strict()
      .nullable()
      .default(null),

    /** The content filter's quarantine: amavisd-new's SQL log (PostgreSQL) and its AM.PDP
     *  release port. Null (default): no Held mail page. */
    quarantine: z
      .object({
        /** postgres://user@host:port/database of amavisd-new's SQL log, without the password.
         *  The role needs SELECT on maddr, msgs, msgrcpt, quarantine and UPDATE (rs) on msgrcpt
         *  only (see deploy/REFERENCE.md). */
        databaseUrl: z.string().regex(/^postgres(ql)?:\/\/[^\s:@/]+@[^\s]+$/, 'must be postgres://user@host[:port]/database (the password goes in quarantine.password)'),
        password: secret,
        /** amavisd-new's AM.PDP policy bank, e.g. 127.0.0.1:9998; its inet_acl must allow this host. */
        releaseHost: hostname,
        releasePort: port,
        /** Each query and each release, in ms. Default 5000. */
        timeoutMs: z.number().int().min(100).max(60_000).default(5000),
        /** Held mail older than this is deleted by housekeeping; shown to users. Default 30. */
        retentionDays: z.number().int().min(1).max(365).default(30),
        /** What users may release themselves; the rest is a request the helpdesk approves.
         *  Default: spam only (which includes mail from senders on the user's own block list). */
        userMayRelease: z.array(z.enum(['spam', 'virus', 'banned', 'other'])).default(['spam']),
        /** The LDAP group (cn under ldap.groupsDn) whose members approve release requests. */
        approverGroup: z.string().min(1).max(64).nullable().default(null),
        /** The role `npm run housekeeping` deletes expired rows as (never the app's own role).
         *  Null: housekeeping is done some other way. */
        housekeeping: z
          .object({
            databaseUrl: z.string().regex(/^postgres(ql)?:\/\/[^\s:@/]+@[^\s]+$/, 'must be postgres://user@host[:port]/database (the password goes in password)'),
            password: secret,
          })
          .strict()
          .nullable()
          .default(null),
        /** How much of a held message the preview reads. Default 2 MiB. */
        previewMaxBytes: z.number().int().min(64 * 1024).max(32 * 1024 * 1024).default(2 * 1024 * 1024),
        /** Digests of held mail (`npm run digests` on a timer), sent through `outbound`. */
        digests: z
          .object({
            /** Most messages listed in one digest; the rest are counted ("and 12 more"). Default 50. */
            maxItems: z.number().int().min(1).max(500).default(50),
            /** The language of digests and decision mails for users who never chose one. Default "el". */
            defaultLanguage: z.enum(['en', 'el']).default('el'),
          })
          .strict()
          .default({ maxItems: 50, defaultLanguage: 'el' }),
      })
      .strict()
      .nullable()
      .default(null),

    /** How the app's own mail leaves (held-mail digests, release decisions): the local
     *  sendmail(1) or the site's relay over SMTP. Null (default): the app sends no mail. */
    outbound: z
      .object({
        /** The From of the app's mail, e.g. no-reply@cs.ucy.ac.cy, and its display name. */
        fromAddress: z.string().min(3).max(254).regex(/^[^\s@<>"]+@[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be an address: local@domain'),
        fromName: z.string().min(1).max(64).regex(/^[^\p{Cc}\p{Cf}<>"]+$/u, 'no control characters, angle brackets or quotes').default('EmailNG Settings'),
        transport: z.discriminatedUnion('kind', [
          z
            .object({
              kind: z.literal('sendmail'),
              /** sendmail(1) path, called as `path -i -f <from> -- <recipient>`. */
              path: z.string().min(1).default('/usr/sbin/sendmail'),
            })
            .strict(),
          z
            .object({
              kind: z.literal('smtp'),
              host: hostname,
              port: port.default(25),
              /** 'none' only on loopback. */
              tls: z.enum(['none', 'starttls-required', 'implicit']).default('starttls-required'),
              caFile: z.string().optional(),
            })
            .strict(),
        ]),
        /** Connecting and each step, in ms. Default 10000. */
        timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
      })
      .strict()
      .nullable()
      .default(null),

    /** The helpdesk's screens (/helpdesk): find a user, read their delivery, explain a message,
     *  act on their behalf. Null (default): no helpdesk. Groups are cn values under ldap.groupsDn. */
    helpdesk: z
      .object({
        /** Members may look and take the allowed actions. */
        group: z.string().min(1).max(64),
        /** Members may only look. Null: no read-only helpers. */
        readOnlyGroup: z.string().min(1).max(64).nullable().default(null),
        /** What a member of `group` may do on a user's behalf, each with a reason. Default: none. */
        allowedActions: z.array(z.enum(['vacation-off', 'remove-forward', 'empty-spam'])).default([]),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict()
  .superRefine((config, ctx) => {
    const { protocol, hostname: host } = new URL(config.server.publicOrigin);
    const loopback = host === 'localhost' || host === '[::1]' || host.startsWith('127.');
    if (config.session.sameSite === 'none' && protocol !== 'https:' && !loopback) {
      ctx.addIssue({ code: 'custom', path: ['session', 'sameSite'], message: '"none" needs an https server.publicOrigin (the cookie must be Secure)' });
    }
    if (config.session.partitioned && config.session.sameSite !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['session', 'partitioned'], message: 'a partitioned cookie is for a cross-site frame: set session.sameSite to "none" too' });
    }
  });

export type Config = z.infer<typeof configSchema>;
