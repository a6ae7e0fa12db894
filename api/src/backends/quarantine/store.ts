import type pg from 'pg';
import { pgPool, type PoolOptions } from './connection';
import { QuarantineError } from './errors';

/**
 * amavisd-new's SQL log and quarantine (its own PostgreSQL schema: maddr, msgs, msgrcpt,
 * quarantine), read as the app's database role, which may SELECT those tables and UPDATE only
 * `msgrcpt.rs`. Every query is scoped to the recipient addresses it is given — all of the
 * signed-in user's — so a guessed or foreign id finds nothing.
 *
 * The verdict is per recipient (`msgrcpt.content`): with per-user levels one message can be
 * held for one recipient and delivered to another. A row is held for its recipient when the
 * message was quarantined in SQL (`msgs.quar_type = 'Q'`) and not passed to that recipient
 * (`msgrcpt.ds <> 'P'`). amavisd never writes `rs` after inserting it as ' '; the app keeps
 * its own bookkeeping there.
 */

/** `msgrcpt.rs` as the app uses it. */
export const RELEASE_STATUS = {
  held: ' ',
  /** The user asked for a release that the helpdesk must approve. */
  requested: 'p',
  released: 'R',
  deleted: 'D',
} as const;
export type ReleaseStatus = keyof typeof RELEASE_STATUS;
const STATUS_OF: Record<string, ReleaseStatus> = Object.fromEntries(Object.entries(RELEASE_STATUS).map(([k, v]) => [v, k as ReleaseStatus]));

export type HeldReason = 'spam' | 'virus' | 'banned' | 'blocked' | 'other';
const REASON_OF_CONTENT: Record<string, HeldReason> = { S: 'spam', V: 'virus', B: 'banned' };

/** One recipient row of a held message. */
export interface HeldRow {
  key: RowKey;
  receivedAt: Date;
  /** Envelope sender (empty for bounces). */
  sender: string;
  /** The From header as amavisd logged it. */
  from: string;
  subject: string;
  /** SpamAssassin's score, null when it did not run. */
  score: number | null;
  reason: HeldReason;
  /** The virus name or the banned part's name, from amavisd's answer to the MTA. */
  detail: string | null;
  size: number;
  status: ReleaseStatus;
  /** The recipient address this row is for (one of the user's). */
  recipient: string;
}

export interface RowKey {
  partitionTag: number;
  mailId: string;
  rseqnum: number;
}

/** A row key as one string, as heldBetween's `except` takes it. */
export const rowTag = (key: RowKey): string => `${key.partitionTag}.${key.rseqnum}.${key.mailId}`;

export interface HeldQuery {
  /** Words to find in the sender, the From header or the subject (literal text). */
  search?: string;
  reason?: HeldReason;
  limit: number;
  offset: number;
}

export type QuarantineStoreOptions = PoolOptions;

/** The SQL conditions that make a recipient row one of the user's held messages. */
const HELD_FOR = `m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
  AND r.id = mr.rid AND r.email = ANY($1::bytea[])
  AND m.quar_type = 'Q' AND mr.ds <> 'P'`;

/** What a HeldRow is read from; `s` is the sender's address row. */
const ROW_COLUMNS = `mr.partition_tag, mr.mail_id, mr.rseqnum, m.time_iso, s.email AS sender, m.from_addr, m.subject,
  m.spam_level, mr.content, mr.bl, mr.smtp_resp, m.size, mr.rs, r.email AS recipient`;

/** ILIKE pattern for literal text: `%`, `_` and the escape character itself lose their meaning. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function reasonOf(content: string, blacklisted: string | null): HeldReason {
  if (content === 'S' && blacklisted === 'Y') return 'blocked';
  return REASON_OF_CONTENT[content] ?? 'other';
}

/** `… - INFECTED: Eicar-Test-Signature` / `… - BANNED: application/x,.exe,invoice.exe`. */
export function detailOf(reason: HeldReason, smtpResponse: string): string | null {
  if (reason === 'virus') return /INFECTED: (.+)$/.exec(smtpResponse)?.[1]?.trim() ?? null;
  if (reason === 'banned') {
    const parts = /BANNED: (.+)$/.exec(smtpResponse)?.[1]?.split(',') ?? [];
    // amavisd lists the part's types first and its name last.
    return parts.length > 0 ? (parts[parts.length - 1] as string).trim() : null;
  }
  return null;
}

/** Bytes amavisd stored (addresses, ids) as text; invalid UTF-8 shows as U+FFFD, never throws. */
const text = (value: Buffer | string | null): string => (value === null ? '' : typeof value === 'string' ? value : new TextDecoder('utf-8').decode(value));

const addressParams = (addresses: readonly string[]): Buffer[] => addresses.map((a) => Buffer.from(a.toLowerCase(), 'utf8'));

export class QuarantineStore {
  private readonly pool: pg.Pool;

  constructor(options: QuarantineStoreOptions) {
    this.pool = pgPool(options);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw new QuarantineError('UNAVAILABLE', `quarantine database: ${(error as Error).message}`, [], { cause: error });
    }
  }

  /**
   * The user's held messages (held or requested), newest first, and how many match in all.
   *
   * The page is chosen on keys alone (a "deferred join"), in the same pass that counts them:
   * with the covering indexes of deploy/postgres/mail_log.d/10-held-indexes.sql, sorting
   * thousands of a user's rows by time reads only index pages, and the wide columns are
   * fetched for the rows shown. The sender's address row is joined only to search it: any
   * reference to msgs.sid would take the sort back to the table.
   */
  async list(addresses: readonly string[], query: HeldQuery): Promise<{ rows: HeldRow[]; total: number }> {
    if (addresses.length === 0) return { rows: [], total: 0 };
    const params: unknown[] = [addressParams(addresses), [RELEASE_STATUS.held, RELEASE_STATUS.requested]];
    const filter = matchFilter(query, params);
    const sender = query.search ? ' LEFT JOIN maddr s ON s.id = m.sid' : '';
    const from = `FROM msgrcpt mr JOIN msgs m ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
      JOIN maddr r ON r.id = mr.rid${sender}
      WHERE ${HELD_FOR} AND mr.rs = ANY($2::bpchar[])${filter}`;
    const counted = params.length;
    params.push(query.limit, query.offset);
    const result = await this.query<SqlRow & { total: string }>(
      `WITH page AS (
         SELECT mr.partition_tag, mr.mail_id, mr.rseqnum, m.time_iso, count(*) OVER () AS total ${from}
         ORDER BY m.time_iso DESC, mr.mail_id, mr.rseqnum LIMIT $${counted + 1} OFFSET $${counted + 2})
       SELECT ${ROW_COLUMNS}, p.total
       FROM page p JOIN msgrcpt mr ON mr.partition_tag = p.partition_tag AND mr.mail_id = p.mail_id AND mr.rseqnum = p.rseqnum
         JOIN msgs m ON m.partition_tag = p.partition_tag AND m.mail_id = p.mail_id
         JOIN maddr r ON r.id = mr.rid LEFT JOIN maddr s ON s.id = m.sid
       ORDER BY p.time_iso DESC, p.mail_id, p.rseqnum`,
      params,
    );
    const first = result.rows[0];
    if (first) return { rows: result.rows.map(toHeldRow), total: Number(first.total) };
    // A page past the end says nothing of the total: count it (rare: a stale page number).
    if (query.offset === 0) return { rows: [], total: 0 };
    const count = await this.query<{ total: string }>(`SELECT count(*) AS total ${from}`, params.slice(0, counted));
    return { rows: [], total: Number(count.rows[0]?.total ?? 0) };
  }

  /** How many messages are held for the user in all, and how many of them arrived since `since`. */
  async countHeld(addresses: readonly string[], since: Date): Promise<{ total: number; since: number }> {
    if (addresses.length === 0) return { total: 0, since: 0 };
    const result = await this.query<{ total: string; recent: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE m.time_iso >= $3) AS recent
       FROM msgrcpt mr JOIN msgs m ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
       JOIN maddr r ON r.id = mr.rid
       WHERE ${HELD_FOR} AND mr.rs = ANY($2::bpchar[])`,
      [addressParams(addresses), [RELEASE_STATUS.held, RELEASE_STATUS.requested], since],
    );
    return { total: Number(result.rows[0]?.total ?? 0), since: Number(result.rows[0]?.recent ?? 0) };
  }

  /**
   * For digests: the addresses that have mail held (not yet released, deleted or requested)
   * logged in (after, until]. Lower-cased, as amavisd logs them.
   */
  async recipientsWithHeldMail(after: Date, until: Date): Promise<string[]> {
    const result = await this.query<{ email: Buffer }>(
      `SELECT DISTINCT r.email FROM msgs m
       JOIN msgrcpt mr ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
       JOIN maddr r ON r.id = mr.rid
       WHERE m.quar_type = 'Q' AND mr.ds <> 'P' AND mr.rs = $1 AND m.time_iso > $2 AND m.time_iso <= $3`,
      [RELEASE_STATUS.held, after, until],
    );
    return result.rows.map((row) => text(row.email));
  }

  /**
   * For digests: the user's mail still held that was logged in [from, until], except the rows
   * in `except` (see rowTag), oldest first, at most `limit`, and how many in all.
   */
  async heldBetween(
    addresses: readonly string[],
    window: { from: Date; until: Date; except: readonly string[] },
    limit: number,
  ): Promise<{ rows: HeldRow[]; total: number }> {
    if (addresses.length === 0) return { rows: [], total: 0 };
    const params = [addressParams(addresses), RELEASE_STATUS.held, window.from, window.until, [...window.except]];
    const from = `FROM msgrcpt mr JOIN msgs m ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
      JOIN maddr r ON r.id = mr.rid LEFT JOIN maddr s ON s.id = m.sid
      WHERE ${HELD_FOR} AND mr.rs = $2 AND m.time_iso >= $3 AND m.time_iso <= $4
        AND NOT (mr.partition_tag || '.' || mr.rseqnum || '.' || encode(mr.mail_id, 'escape') = ANY($5::text[]))`;
    const [rows, count] = await Promise.all([
      this.query<SqlRow>(`SELECT ${ROW_COLUMNS} ${from} ORDER BY m.time_iso, mr.mail_id, mr.rseqnum LIMIT $6`, [...params, limit]),
      this.query<{ total: string }>(`SELECT count(*) AS total ${from}`, params),
    ]);
    return { rows: rows.rows.map(toHeldRow), total: Number(count.rows[0]?.total ?? 0) };
  }

  /** One row of the user's, whatever its status; null when it is not theirs or does not exist. */
  async get(addresses: readonly string[], key: RowKey): Promise<HeldRow | null> {
    const result = await this.query<SqlRow>(
      `SELECT ${ROW_COLUMNS}
       FROM msgrcpt mr JOIN msgs m ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
       JOIN maddr r ON r.id = mr.rid LEFT JOIN maddr s ON s.id = m.sid
       WHERE ${HELD_FOR} AND mr.partition_tag = $2 AND mr.mail_id = $3 AND mr.rseqnum = $4`,
      [addressParams(addresses), key.partitionTag, Buffer.from(key.mailId, 'utf8'), key.rseqnum],
    );
    const row = result.rows[0];
    return row ? toHeldRow(row) : null;
  }

  /** The stored message (envelope headers first), at most `maxBytes` of it. */
  async messageText(addresses: readonly string[], key: RowKey, maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
    const result = await this.query<{ mail_text: Buffer }>(
      `SELECT q.mail_text FROM quarantine q
       WHERE q.partition_tag = $2 AND q.mail_id = $3
         AND EXISTS (SELECT 1 FROM msgrcpt mr JOIN msgs m ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
                     JOIN maddr r ON r.id = mr.rid
                     WHERE ${HELD_FOR} AND mr.partition_tag = $2 AND mr.mail_id = $3 AND mr.rseqnum = $4)
       ORDER BY q.chunk_ind`,
      [addressParams(addresses), key.partitionTag, Buffer.from(key.mailId, 'utf8'), key.rseqnum],
    );
    const chunks: Buffer[] = [];
    let size = 0;
    for (const row of result.rows) {
      chunks.push(row.mail_text);
      size += row.mail_text.length;
      if (size > maxBytes) break;
    }
    const bytes = Buffer.concat(chunks);
    return bytes.length > maxBytes ? { bytes: bytes.subarray(0, maxBytes), truncated: true } : { bytes, truncated: false };
  }

  /**
   * Moves a row of the user's from one of `from` to `to`, atomically: of two callers racing
   * for the same row, exactly one gets it. Returns what the release needs, or null when the
   * row is not the user's or not in one of `from`.
   */
  async transition(
    addresses: readonly string[],
    key: RowKey,
    from: readonly ReleaseStatus[],
    to: ReleaseStatus,
  ): Promise<{ secretId: string; recipient: string; row: HeldRow } | null> {
    const result = await this.query<SqlRow & { secret_id: Buffer }>(
      `UPDATE msgrcpt AS mr SET rs = $5
       FROM msgs m, maddr r, maddr s
       WHERE ${HELD_FOR} AND s.id = m.sid
         AND mr.partition_tag = $2 AND mr.mail_id = $3 AND mr.rseqnum = $4 AND mr.rs = ANY($6::bpchar[])
       RETURNING ${ROW_COLUMNS}, m.secret_id`,
      [addressParams(addresses), key.partitionTag, Buffer.from(key.mailId, 'utf8'), key.rseqnum, RELEASE_STATUS[to], from.map((s) => RELEASE_STATUS[s])],
    );
    const row = result.rows[0];
    return row ? { secretId: text(row.secret_id), recipient: text(row.recipient), row: toHeldRow(row) } : null;
  }

  /**
   * Every message the content filter logged for the user's addresses in the window, whatever
   * its verdict, newest first, at most `limit` (and whether more matched).
   */
  async logged(addresses: readonly string[], query: LogQuery): Promise<{ rows: LoggedRow[]; more: boolean }> {
    if (addresses.length === 0) return { rows: [], more: false };
    const params: unknown[] = [addressParams(addresses), query.since, query.until];
    let filter = '';
    if (query.sender !== null) {
      params.push(likePattern(query.sender));
      filter += ` AND (m.from_addr ILIKE $${params.length} OR encode(s.email, 'escape') ILIKE $${params.length})`;
    }
    if (query.messageId !== null) {
      params.push(query.messageId);
      filter += ` AND m.message_id = $${params.length}`;
    }
    params.push(query.limit + 1);
    const result = await this.query<SqlRow & { ds: string; wl: string | null; quar_type: string | null; message_id: string | null }>(
      `SELECT ${ROW_COLUMNS}, mr.ds, mr.wl, m.quar_type, m.message_id
       FROM msgrcpt mr JOIN msgs m ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
       JOIN maddr r ON r.id = mr.rid LEFT JOIN maddr s ON s.id = m.sid
       WHERE r.email = ANY($1::bytea[]) AND m.time_iso >= $2 AND m.time_iso < $3${filter}
       ORDER BY m.time_iso DESC, mr.mail_id, mr.rseqnum LIMIT $${params.length}`,
      params,
    );
    const rows = result.rows.slice(0, query.limit).map((row) => ({
      key: { partitionTag: row.partition_tag, mailId: text(row.mail_id), rseqnum: row.rseqnum },
      receivedAt: row.time_iso,
      sender: text(row.sender),
      from: row.from_addr ?? '',
      subject: row.subject ?? '',
      messageId: row.message_id ?? '',
      score: row.spam_level,
      content: row.content.trim(),
      delivery: row.ds.trim(),
      quarantined: row.quar_type === 'Q',
      blocked: row.bl === 'Y',
      allowed: row.wl === 'Y',
      smtpResponse: row.smtp_resp ?? '',
      recipient: text(row.recipient),
    }));
    return { rows, more: result.rows.length > query.limit };
  }

  /**
   * For the helpdesk only (the caller checks the approver's group): every pending release
   * request, of every user, oldest first.
   */
  async listRequests(limit: number, offset: number): Promise<{ rows: HeldRow[]; total: number }> {
    const from = `FROM msgrcpt mr JOIN msgs m ON m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id
      JOIN maddr r ON r.id = mr.rid LEFT JOIN maddr s ON s.id = m.sid
      WHERE m.quar_type = 'Q' AND mr.ds <> 'P' AND mr.rs = $1`;
    const [rows, count] = await Promise.all([
      this.query<SqlRow>(`SELECT ${ROW_COLUMNS} ${from} ORDER BY m.time_iso, mr.mail_id, mr.rseqnum LIMIT $2 OFFSET $3`, [RELEASE_STATUS.requested, limit, offset]),
      this.query<{ total: string }>(`SELECT count(*) AS total ${from}`, [RELEASE_STATUS.requested]),
    ]);
    return { rows: rows.rows.map(toHeldRow), total: Number(count.rows[0]?.total ?? 0) };
  }

  /** For the helpdesk only: decides a pending request (of any user), atomically, as transition does. */
  async decideRequest(key: RowKey, to: 'released' | 'held'): Promise<{ secretId: string; recipient: string; row: HeldRow } | null> {
    const result = await this.query<SqlRow & { secret_id: Buffer }>(
      `UPDATE msgrcpt AS mr SET rs = $4
       FROM msgs m, maddr r, maddr s
       WHERE m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id AND r.id = mr.rid AND s.id = m.sid
         AND m.quar_type = 'Q' AND mr.ds <> 'P'
         AND mr.partition_tag = $1 AND mr.mail_id = $2 AND mr.rseqnum = $3 AND mr.rs = $5
       RETURNING ${ROW_COLUMNS}, m.secret_id`,
      [key.partitionTag, Buffer.from(key.mailId, 'utf8'), key.rseqnum, RELEASE_STATUS[to], RELEASE_STATUS.requested],
    );
    const row = result.rows[0];
    return row ? { secretId: text(row.secret_id), recipient: text(row.recipient), row: toHeldRow(row) } : null;
  }

  /** For the helpdesk only: a decided request back to pending, after its decision failed. */
  async restoreRequest(key: RowKey, decidedAs: 'released' | 'held'): Promise<void> {
    await this.query(`UPDATE msgrcpt SET rs = $4 WHERE partition_tag = $1 AND mail_id = $2 AND rseqnum = $3 AND rs = $5`, [
      key.partitionTag,
      Buffer.from(key.mailId, 'utf8'),
      key.rseqnum,
      RELEASE_STATUS.requested,
      RELEASE_STATUS[decidedAs],
    ]);
  }
}

/** What the content filter did with one message for one of the user's addresses (any verdict). */
export interface LoggedRow {
  key: RowKey;
  receivedAt: Date;
  sender: string;
  from: string;
  subject: string;
  messageId: string;
  score: number | null;
  /** amavisd's content type for the recipient: C clean, S spam, V virus, B banned, H bad header, … */
  content: string;
  /** What happened to it: P passed on, D discarded (held or dropped), B bounced, R rejected, T temporary failure. */
  delivery: string;
  quarantined: boolean;
  blocked: boolean;
  allowed: boolean;
  smtpResponse: string;
  recipient: string;
}

export interface LogQuery {
  since: Date;
  until: Date;
  /** Literal text to find in the envelope sender or the From header. */
  sender: string | null;
  /** Exactly as amavisd logs it, angle brackets included. */
  messageId: string | null;
  limit: number;
}

/** The SQL for a query's search and reason, its values appended to `params`. */
function matchFilter(query: Omit<HeldQuery, 'limit' | 'offset'>, params: unknown[]): string {
  let filter = '';
  if (query.search !== undefined && query.search !== '') {
    params.push(likePattern(query.search));
    const p = `$${params.length}`;
    filter += ` AND (m.subject ILIKE ${p} OR m.from_addr ILIKE ${p} OR encode(s.email, 'escape') ILIKE ${p})`;
  }
  return query.reason !== undefined ? filter + reasonFilter(query.reason) : filter;
}

function reasonFilter(reason: HeldReason): string {
  switch (reason) {
    case 'spam':
      return ` AND mr.content = 'S' AND mr.bl IS DISTINCT FROM 'Y'`;
    case 'blocked':
      return ` AND mr.content = 'S' AND mr.bl = 'Y'`;
    case 'virus':
      return ` AND mr.content = 'V'`;
    case 'banned':
      return ` AND mr.content = 'B'`;
    case 'other':
      return ` AND mr.content NOT IN ('S', 'V', 'B')`;
  }
}

interface SqlRow {
  partition_tag: number;
  mail_id: Buffer;
  rseqnum: number;
  time_iso: Date;
  sender: Buffer | null;
  from_addr: string | null;
  subject: string | null;
  spam_level: number | null;
  content: string;
  bl: string | null;
  smtp_resp: string | null;
  size: number;
  rs: string;
  recipient: Buffer;
}

function toHeldRow(row: SqlRow): HeldRow {
  const reason = reasonOf(row.content, row.bl);
  return {
    key: { partitionTag: row.partition_tag, mailId: text(row.mail_id), rseqnum: row.rseqnum },
    receivedAt: row.time_iso,
    sender: text(row.sender),
    from: row.from_addr ?? '',
    subject: row.subject ?? '',
    score: row.content === 'S' && row.bl === 'Y' ? null : row.spam_level,
    reason,
    detail: detailOf(reason, row.smtp_resp ?? ''),
    size: row.size,
    status: STATUS_OF[row.rs] ?? 'held',
    recipient: text(row.recipient),
  };
}
