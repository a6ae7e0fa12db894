// The stack's content filter (amavisd-new + SpamAssassin, SQL quarantine in PostgreSQL) as
// seen by tests: its contract (ports, SQL roles), sending mail in through it, reading the
// quarantine, and the test messages it reacts to.
// See deploy/amavis/README.md.  Start the stack first: `bash deploy/stack/up.sh`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'ldapts';
import pg from 'pg';
import type { AmpdpEndpoint } from '../../api/src/backends/quarantine';
import { LDAP, REPO_ROOT } from './stack';

export const CONTENT_FILTER = {
  host: '127.0.0.1',
  smtpPort: 10024,
  releasePort: 9998,
  /** Site defaults in deploy/amavis/amavisd.conf.in. */
  tag2Level: 6.31,
  killLevel: 20,
} as const;

/** PostgreSQL database mail_log and its roles (deploy/postgres/mail_log-roles.sql). */
export const MAIL_LOG = {
  host: '127.0.0.1',
  port: 5433,
  database: 'mail_log',
  roles: {
    amavis: 'amavis-sql-secret',
    webapp: 'webapp-sql-secret',
    housekeeping: 'housekeeping-sql-secret',
  },
} as const;
export type MailLogRole = keyof typeof MAIL_LOG.roles;

/** The LDAP account amavisd reads per-user settings with. */
export const AMAVIS_LDAP_ACCOUNT = { dn: `cn=amavis,ou=Services,dc=cs,dc=ucy,dc=ac,dc=cy`, password: 'amavis-secret' } as const;

/**
 * Fails with a plain explanation when amavisd cannot bind to the directory: it then answers
 * every message with a temporary failure, and tests would only see "refused".
 */
export async function assertAmavisCanReadDirectory(): Promise<void> {
  const client = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
  try {
    await client.bind(AMAVIS_LDAP_ACCOUNT.dn, AMAVIS_LDAP_ACCOUNT.password);
  } catch (cause) {
    throw new Error(
      `amavisd's LDAP account ${AMAVIS_LDAP_ACCOUNT.dn} cannot bind: the directory was loaded by a deploy/ without ` +
        'amavis.schema and cn=amavis; run `bash deploy/stack/up.sh` from this tree (it reloads the directory)',
      { cause },
    );
  } finally {
    await client.unbind();
  }
}

// ---------------------------------------------------------------------------------------
// Sending (deploy/stack/smtp-send.mjs)

export interface FilterReply {
  code: number;
  text: string;
}
export interface FilterResult {
  /** passed: handed to Dovecot; held: quarantined and discarded; refused: 4xx/5xx. */
  outcome: 'passed' | 'held' | 'refused';
  /** Why it was held or refused ("spam", "INFECTED: …", "BANNED: …"). */
  reason: string;
  reply: FilterReply;
}
type SendFn = (options: { from: string; to: string | string[]; raw: string | Buffer }) => Promise<FilterResult>;
let sendFn: SendFn | undefined;

/** Sends a message in through amavisd's SMTP port (the path mail takes at the site). */
export async function sendThroughFilter(options: { from: string; to: string | string[]; raw: string | Buffer }): Promise<FilterResult> {
  if (!sendFn) {
    const url = pathToFileURL(path.join(REPO_ROOT, 'deploy/stack/smtp-send.mjs')).href;
    sendFn = ((await import(url)) as { send: SendFn }).send;
  }
  return sendFn(options);
}

// ---------------------------------------------------------------------------------------
// Test messages

/** SpamAssassin's GTUBE: scores 1000. */
export const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
/** The EICAR anti-virus test file. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
/** The stack's SpamAssassin test rule scores a body with this token 8.0 (deploy/amavis/sa-local.cf). */
export const SCORE_8_TOKEN = 'EMAILNG-TEST-SCORE-8';

interface Attachment {
  name: string;
  type: string;
  content: Buffer;
}

/** An ASCII message, optionally multipart with base64 attachments; LF endings (sending makes CRLF). */
export function filterMessage(opts: { from: string; to: string; subject: string; body: string; attachments?: Attachment[] }): string {
  const head = [
    `From: ${opts.from}`,
    `To: ${opts.to}`,
    `Subject: ${opts.subject}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${Date.now()}.${Math.random().toString(36).slice(2)}@example.org>`,
    'MIME-Version: 1.0',
  ];
  if (!opts.attachments?.length) {
    return `${[...head, 'Content-Type: text/plain; charset=us-ascii'].join('\n')}\n\n${opts.body}\n`;
  }
  const boundary = `=_part_${Math.random().toString(36).slice(2)}`;
  const parts = [`--${boundary}\nContent-Type: text/plain; charset=us-ascii\n\n${opts.body}\n`];
  for (const a of opts.attachments) {
    const b64 = a.content.toString('base64').replace(/.{1,76}/g, '$&\n');
    parts.push(
      `--${boundary}\nContent-Type: ${a.type}; name="${a.name}"\nContent-Disposition: attachment; filename="${a.name}"\n` +
        `Content-Transfer-Encoding: base64\n\n${b64}`,
    );
  }
  return `${[...head, `Content-Type: multipart/mixed; boundary="${boundary}"`].join('\n')}\n\n${parts.join('')}--${boundary}--\n`;
}

// ---------------------------------------------------------------------------------------
// The SQL log and quarantine

export async function mailLogAs(role: MailLogRole): Promise<pg.Client> {
  const client = new pg.Client({
    host: MAIL_LOG.host,
    port: MAIL_LOG.port,
    database: MAIL_LOG.database,
    user: role,
    password: MAIL_LOG.roles[role],
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  return client;
}

export interface LoggedMessage {
  mailId: string;
  secretId: string;
  subject: string;
  /** msgs.content: the message as a whole. */
  messageContent: string | null;
  /** msgrcpt.content for this recipient: V virus, B banned, S spam ≥ kill, Y spammy, C clean. */
  content: string;
  quarType: string | null;
  /** msgrcpt.ds: P passed, D discarded. */
  ds: string;
  rs: string;
  quarantineChunks: number;
}

/** The recipient's log rows whose subject contains `subjectPart` (newest first). */
export async function loggedFor(db: pg.Client, recipient: string, subjectPart: string): Promise<LoggedMessage[]> {
  const { rows } = await db.query<{
    mail_id: string;
    secret_id: string;
    subject: string;
    mcontent: string | null;
    content: string;
    quar_type: string | null;
    ds: string;
    rs: string;
    chunks: string;
  }>(
    `SELECT convert_from(m.mail_id, 'UTF8') AS mail_id, convert_from(m.secret_id, 'UTF8') AS secret_id,
            m.subject, m.content AS mcontent, mr.content, m.quar_type, mr.ds, mr.rs,
            (SELECT count(*) FROM quarantine q WHERE q.partition_tag = m.partition_tag AND q.mail_id = m.mail_id) AS chunks
       FROM msgrcpt mr
       JOIN msgs m ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
       JOIN maddr r ON r.id = mr.rid
      WHERE r.email = convert_to($1, 'UTF8') AND strpos(m.subject, $2) > 0 AND m.content IS NOT NULL
      ORDER BY m.time_num DESC`,
    [recipient, subjectPart],
  );
  return rows.map((r) => ({
    mailId: r.mail_id,
    secretId: r.secret_id,
    subject: r.subject,
    messageContent: r.mcontent,
    content: r.content,
    quarType: r.quar_type,
    ds: r.ds,
    rs: r.rs,
    quarantineChunks: Number(r.chunks),
  }));
}

/** Polls the log until the message shows up (amavisd may finish logging just after it answers). */
export async function waitForLogged(db: pg.Client, recipient: string, subjectPart: string, timeoutMs = 5000): Promise<LoggedMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await loggedFor(db, recipient, subjectPart);
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no mail_log row for <${recipient}> with subject "${subjectPart}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------
// Release (AM.PDP): the app's own client, api/src/backends/quarantine

/** Where amavisd takes release requests. */
export const RELEASE_ENDPOINT: AmpdpEndpoint = { host: CONTENT_FILTER.host, port: CONTENT_FILTER.releasePort };
