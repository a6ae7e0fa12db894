// The local mail stack (deploy/stack/) as seen by tests: its fixed contract (hosts, ports,
// DNs, accounts) and helpers to deliver mail, read captured outgoing mail, stop/start one
// piece, and reset a user.  Start the stack first: `bash deploy/stack/up.sh`.
import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const STACK_DIR = process.env.EMAILNG_STACK_DIR ?? '/tmp/emailng-stack';
/** Captured outgoing mail: `<id>.eml` (the message) + `<id>.json` (envelope), see deploy/stack/README.md. */
export const OUTBOX_DIR = path.join(STACK_DIR, 'outbox');
export const MAIL_DIR = path.join(STACK_DIR, 'mail');
export const CTL = path.join(REPO_ROOT, 'deploy/stack/ctl.sh');

export const DOMAIN = 'cs.ucy.ac.cy';
export const SUFFIX = 'dc=cs,dc=ucy,dc=ac,dc=cy';

export const LDAP = {
  url: 'ldap://127.0.0.1:3389',
  host: '127.0.0.1',
  port: 3389,
  suffix: SUFFIX,
  peopleDn: `ou=People,${SUFFIX}`,
  groupsDn: `ou=Groups,${SUFFIX}`,
  servicesDn: `ou=Services,${SUFFIX}`,
  /** rootdn — for the stack and tests only, never for the API. */
  admin: { dn: `cn=admin,${SUFFIX}`, password: 'admin-secret' },
  /** The API's service account: reads People/Groups, writes only the attributes in API_WRITABLE_ATTRIBUTES. */
  api: { dn: `cn=emailng-api,ou=Services,${SUFFIX}`, password: 'emailng-api-secret' },
  /** Dovecot's read-only lookup account. */
  dovecot: { dn: `cn=dovecot,ou=Services,${SUFFIX}`, password: 'dovecot-secret' },
} as const;

export const API_WRITABLE_ATTRIBUTES = [
  'mailAlternateAddress',
  'mailForwardingAddress',
  'amavisSpamTag2Level',
  'amavisSpamKillLevel',
  'amavisWhitelistSender',
  'amavisBlacklistSender',
] as const;

export function userDn(uid: string): string {
  return `uid=${uid},${LDAP.peopleDn}`;
}

/** The Dovecot back end (tests normally go through a director, as the API does). */
export const BACKEND = { host: '127.0.0.1', imapPort: 11143, sievePort: 11190, lmtpPort: 11024 } as const;

export interface Director {
  name: 'theano' | 'elysso';
  host: string;
  imapPort: number;
  sievePort: number;
}
export const DIRECTORS: readonly Director[] = [
  { name: 'theano', host: '127.0.0.2', imapPort: 10143, sievePort: 14190 },
  { name: 'elysso', host: '127.0.0.3', imapPort: 10143, sievePort: 14190 },
];

/** Dovecot master user: log in as `alice*emailng-api`, or SASL PLAIN authzid=alice authcid=emailng-api. */
export const MASTER = { name: 'emailng-api', password: 'master-secret', separator: '*' } as const;

/** Pigeonhole settings of the back end that the app mirrors. */
export const SIEVE = {
  spamtestMaxValue: 20,
  spamtestHeader: 'X-Spam-Score',
  maxRedirects: 4,
  defaultScriptFolder: 'SPAM',
} as const;

/** Dovecot's default quota for users without mailQuota: 1 GiB and 100000 messages. */
export const DEFAULT_QUOTA = { storageKiB: 1024 * 1024, messages: 100000 } as const;

export interface DemoUser {
  uid: string;
  password: string;
  cn: string;
  givenName: string;
  sn: string;
  mail: string;
  /** The default alias first.last (read-only for the user). */
  alias: string;
  /** mailQuota in bytes; null when the entry has none (Dovecot's default applies). */
  quotaBytes: number | null;
}

function demo(uid: string, given: string, sn: string, alias: string, quotaBytes: number | null): DemoUser {
  return {
    uid,
    password: `${uid}-demo-pass`,
    cn: `${given} ${sn}`,
    givenName: given,
    sn,
    mail: `${uid}@${DOMAIN}`,
    alias: `${alias}@${DOMAIN}`,
    quotaBytes,
  };
}

export const USERS = {
  alice: demo('alice', 'Alice', 'Liddell', 'alice.liddell', 104857600),
  bob: demo('bob', 'Bob', 'Builder', 'bob.builder', 52428800),
  gandre01: demo('gandre01', 'Γιώργος', 'Ανδρέου', 'giorgos.andreou', 104857600),
  carol: demo('carol', 'Carol', 'Danvers', 'carol.danvers', null),
} as const satisfies Record<string, DemoUser>;

/** load001 … load210, password `load-pass`, for tests and benchmarks, except RESERVED_LOAD_USERS: never ours to use (kept for checks from outside the project). */
export const LOAD_USER_COUNT = 210;
export const RESERVED_LOAD_USERS = { first: 160, last: 169 } as const;

/** `count` load users' logins from load<first> on, passing over the reserved ones. */
export function loadUids(first: number, count: number): string[] {
  const numbers = Array.from({ length: LOAD_USER_COUNT - first + 1 }, (_, i) => first + i).filter((n) => n < RESERVED_LOAD_USERS.first || n > RESERVED_LOAD_USERS.last);
  if (numbers.length < count) throw new Error(`only ${numbers.length} load users from load${first} on (the stack has ${LOAD_USER_COUNT}, 10 reserved); ${count} asked`);
  return numbers.slice(0, count).map((n) => `load${String(n).padStart(3, '0')}`);
}
export function loadUser(n: number): DemoUser {
  const nnn = String(n).padStart(3, '0');
  return {
    uid: `load${nnn}`,
    password: 'load-pass',
    cn: `Load User ${nnn}`,
    givenName: 'Load',
    sn: `User ${nnn}`,
    mail: `load${nnn}@${DOMAIN}`,
    alias: `load.user${nnn}@${DOMAIN}`,
    quotaBytes: 104857600,
  };
}

export const GROUPS = {
  'cs-staff': { members: ['alice', 'gandre01'], mail: null },
  'cs-students': { members: ['bob', 'carol'], mail: null },
  'seminar-list': { members: ['alice', 'bob', 'gandre01'], mail: `seminar-list@${DOMAIN}` },
} as const;

// ---------------------------------------------------------------------------------------
// Delivery (LMTP, so Sieve runs)

export interface LmtpReply {
  code: number;
  text: string;
}
export interface DeliveryResult {
  recipient: string;
  rcpt: LmtpReply;
  data: LmtpReply;
}
export interface DeliverOptions {
  /** Login name (`alice`) or mail address (`alice@cs.ucy.ac.cy`); several for one transaction. */
  to: string | string[];
  /** The message; line endings become CRLF, dot-stuffing is done for you. */
  raw: string | Buffer;
  /** Envelope sender (MAIL FROM); '' for the null sender. Default sender@example.org. */
  from?: string;
  host?: string;
  port?: number;
}
type DeliverFn = (options: DeliverOptions) => Promise<DeliveryResult[]>;

let deliverFn: DeliverFn | undefined;

/** Delivers over LMTP to the back end; rejects on any non-2xx reply. */
export async function deliverMessage(options: DeliverOptions): Promise<DeliveryResult[]> {
  if (!deliverFn) {
    const url = pathToFileURL(path.join(REPO_ROOT, 'deploy/stack/lmtp-deliver.mjs')).href;
    const mod = (await import(url)) as { deliver: DeliverFn };
    deliverFn = mod.deliver;
  }
  return deliverFn(options);
}

/** Builds a small RFC 5322 message (LF line endings are fine: delivery makes them CRLF). */
export function makeMessage(opts: {
  from?: string;
  to: string;
  subject: string;
  body?: string;
  headers?: Record<string, string>;
  messageId?: string;
}): string {
  const lines = [
    `From: ${opts.from ?? 'Sender <sender@example.org>'}`,
    `To: ${opts.to}`,
    `Subject: ${opts.subject}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${opts.messageId ?? `<${Date.now()}.${Math.random().toString(36).slice(2)}@example.org>`}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ];
  for (const [name, value] of Object.entries(opts.headers ?? {})) lines.push(`${name}: ${value}`);
  return `${lines.join('\n')}\n\n${opts.body ?? 'Hello.'}\n`;
}

// ---------------------------------------------------------------------------------------
// Mail store (read directly from the back end's Maildir; IMAP is the real path for the app)

/** The raw messages in a user's mailbox (Maildir new/ + cur/), oldest first. */
export async function mailboxMessages(uid: string, mailbox = 'INBOX'): Promise<string[]> {
  const root = path.join(MAIL_DIR, uid, 'Maildir');
  const dir = mailbox === 'INBOX' ? root : path.join(root, `.${mailbox.replaceAll('/', '.')}`);
  const files: string[] = [];
  for (const sub of ['new', 'cur']) {
    const names = await readdir(path.join(dir, sub)).catch(() => [] as string[]);
    for (const n of names) files.push(path.join(dir, sub, n));
  }
  // Maildir names start with the delivery time in seconds, then a unique part.
  files.sort((a, b) => path.basename(a).localeCompare(path.basename(b), 'en', { numeric: true }));
  return Promise.all(files.map((f) => readFile(f, 'utf8')));
}

// ---------------------------------------------------------------------------------------
// Outbox (vacation replies, redirects: Dovecot's sendmail_path writes them here)

export interface OutboxMessage {
  id: string;
  /** Envelope sender ('' = null sender <>, as vacation replies use). */
  sender: string;
  /** Envelope recipients. */
  recipients: string[];
  /** Capture time, ISO 8601 UTC. */
  time: string;
  /** The whole message as Dovecot handed it over. */
  raw: string;
  /** Path of the .eml file. */
  file: string;
}

interface OutboxEnvelope {
  id: string;
  sender: string;
  recipients: string[];
  time: string;
  eml: string;
}

/** Every captured message, oldest first. */
export async function readOutbox(): Promise<OutboxMessage[]> {
  const names = (await readdir(OUTBOX_DIR)).filter((n) => n.endsWith('.json'));
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const out: OutboxMessage[] = [];
  for (const name of names) {
    const env = JSON.parse(await readFile(path.join(OUTBOX_DIR, name), 'utf8')) as OutboxEnvelope;
    const file = path.join(OUTBOX_DIR, env.eml);
    out.push({ id: env.id, sender: env.sender, recipients: env.recipients, time: env.time, raw: await readFile(file, 'utf8'), file });
  }
  return out;
}

/** Removes every captured message. */
export async function clearOutbox(): Promise<void> {
  const names = await readdir(OUTBOX_DIR);
  await Promise.all(names.map((n) => rm(path.join(OUTBOX_DIR, n), { force: true })));
}

/** Polls the outbox until `predicate` matches a message (vacation is sent during delivery, so usually at once). */
export async function waitForOutbox(
  predicate: (m: OutboxMessage) => boolean,
  timeoutMs = 5000,
): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readOutbox()).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching message in ${OUTBOX_DIR} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------
// Pieces and users

export type Piece = 'ldap' | 'backend' | 'theano' | 'elysso' | 'pg' | 'amavis';

async function ctl(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('bash', [CTL, ...args], { timeout: 60_000 });
}

/** Stops one piece (e.g. a director) and waits until its ports refuse. */
export async function stopPiece(name: Piece): Promise<void> {
  await ctl('stop', name);
}

/** Starts one piece and waits until its ports answer. */
export async function startPiece(name: Piece): Promise<void> {
  await ctl('start', name);
}

/** Whether the piece runs. */
export async function pieceRunning(name: Piece): Promise<boolean> {
  try {
    await ctl('status', name);
    return true;
  } catch {
    return false;
  }
}

/** Kicks the user's sessions and deletes their mail, Sieve scripts, vacation/duplicate state. */
export async function resetUser(uid: string): Promise<void> {
  await ctl('reset-user', uid);
}
