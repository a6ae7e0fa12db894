import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { pgPool } from './connection';
import { QuarantineError } from './errors';
import type { QuarantineStoreOptions } from './store';

/**
 * The app's own table in mail_log, `emailng_digest` (deploy/postgres/mail_log.d/20-digests.sql):
 * each user's digest schedule and language, and the state of her digests. Several runners (one
 * per instance or timer) may work at once: a runner claims a user's row under
 * `FOR UPDATE SKIP LOCKED` and records the claim before it sends, so only one sends each digest.
 */

export type DigestSchedule = 'never' | 'daily' | 'weekly';
export type DigestLanguage = 'en' | 'el';

export interface DigestPreference {
  schedule: DigestSchedule;
  language: DigestLanguage;
}

/**
 * How far digests have gone: the log time of the newest message listed, and the rows of that
 * same second that were listed (amavisd logs whole seconds; another message may share it).
 */
export interface Watermark {
  until: Date;
  edge: string[];
}

export interface DigestState extends DigestPreference {
  /** Null before the first digest. */
  covered: Watermark | null;
  lastSentAt: Date | null;
  /** A send in progress (or one whose runner stopped between sending and recording it). */
  claim: { token: string; at: Date; covers: Watermark } | null;
}

/** What the caller decided while holding the row: send (a claim is recorded) or leave it. */
export type ClaimDecision = ({ send: true; at: Date; covers: Watermark } | { send: false }) & {
  /** A stale claim taken as sent: the watermark and last send it stood for. */
  settle?: { covered: Watermark; lastSentAt: Date };
};

interface SqlState {
  schedule: DigestSchedule;
  language: DigestLanguage;
  covered_until: Date | null;
  covered_edge: string[];
  last_sent_at: Date | null;
  claim_token: string | null;
  claimed_at: Date | null;
  claim_until: Date | null;
  claim_edge: string[] | null;
}

const toState = (row: SqlState): DigestState => ({
  schedule: row.schedule,
  language: row.language,
  covered: row.covered_until ? { until: row.covered_until, edge: row.covered_edge } : null,
  lastSentAt: row.last_sent_at,
  claim:
    row.claim_token && row.claimed_at && row.claim_until
      ? { token: row.claim_token, at: row.claimed_at, covers: { until: row.claim_until, edge: row.claim_edge ?? [] } }
      : null,
});

export class DigestStore {
  private readonly pool: pg.Pool;

  constructor(options: QuarantineStoreOptions) {
    this.pool = pgPool(options);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[], client: pg.ClientBase | pg.Pool = this.pool): Promise<pg.QueryResult<R>> {
    try {
      return await client.query<R>(sql, params);
    } catch (error) {
      throw new QuarantineError('UNAVAILABLE', `digest state: ${(error as Error).message}`, [], { cause: error });
    }
  }

  /** The user's choice; null when she never made one. */
  async preference(uid: string): Promise<DigestPreference | null> {
    const { rows } = await this.query<SqlState>('SELECT schedule, language FROM emailng_digest WHERE uid = $1', [uid]);
    const row = rows[0];
    return row ? { schedule: row.schedule, language: row.language } : null;
  }

  async savePreference(uid: string, preference: DigestPreference): Promise<void> {
    await this.query(
      `INSERT INTO emailng_digest (uid, schedule, language) VALUES ($1, $2, $3)
       ON CONFLICT (uid) DO UPDATE SET schedule = EXCLUDED.schedule, language = EXCLUDED.language, updated_at = now()`,
      [uid, preference.schedule, preference.language],
    );
  }

  /**
   * Locks the user's row (made with the defaults when she has none) and lets `decide` look at
   * it. Null when another runner holds the lock. When `decide` says send, the claim is
   * committed before this returns, so no other runner sends the same digest.
   */
  async claim(uid: string, defaults: DigestPreference, decide: (state: DigestState) => Promise<ClaimDecision>): Promise<{ token: string; state: DigestState } | null> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new QuarantineError('UNAVAILABLE', `digest state: ${(error as Error).message}`, [], { cause: error });
    }
    try {
      await this.query('BEGIN', [], client);
      await this.query(`INSERT INTO emailng_digest (uid, schedule, language) VALUES ($1, $2, $3) ON CONFLICT (uid) DO NOTHING`, [uid, defaults.schedule, defaults.language], client);
      const { rows } = await this.query<SqlState>(
        `SELECT schedule, language, covered_until, covered_edge, last_sent_at, claim_token, claimed_at, claim_until, claim_edge
         FROM emailng_digest WHERE uid = $1 FOR UPDATE SKIP LOCKED`,
        [uid],
        client,
      );
      const row = rows[0];
      if (!row) {
        await this.query('ROLLBACK', [], client);
        return null;
      }
      const state = toState(row);
      const decision = await decide(state);
      if (decision.settle) {
        await this.query(
          `UPDATE emailng_digest SET covered_until = $2, covered_edge = $3, last_sent_at = $4,
             claim_token = NULL, claimed_at = NULL, claim_until = NULL, claim_edge = NULL, updated_at = now() WHERE uid = $1`,
          [uid, decision.settle.covered.until, decision.settle.covered.edge, decision.settle.lastSentAt],
          client,
        );
      }
      if (!decision.send) {
        await this.query('COMMIT', [], client);
        return null;
      }
      const token = randomUUID();
      await this.query(
        `UPDATE emailng_digest SET claim_token = $2, claimed_at = $3, claim_until = $4, claim_edge = $5, updated_at = now() WHERE uid = $1`,
        [uid, token, decision.at, decision.covers.until, decision.covers.edge],
        client,
      );
      await this.query('COMMIT', [], client);
      return { token, state };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The digest went out: the watermark moves to what the claim covered. */
  async finish(uid: string, token: string, sentAt: Date): Promise<void> {
    await this.query(
      `UPDATE emailng_digest SET covered_until = claim_until, covered_edge = claim_edge, last_sent_at = $3,
         claim_token = NULL, claimed_at = NULL, claim_until = NULL, claim_edge = NULL, updated_at = now()
       WHERE uid = $1 AND claim_token = $2`,
      [uid, token, sentAt],
    );
  }

  /** The digest was not sent (the outbound path refused it): the next run tries again. */
  async abandon(uid: string, token: string): Promise<void> {
    await this.query(`UPDATE emailng_digest SET claim_token = NULL, claimed_at = NULL, claim_until = NULL, claim_edge = NULL, updated_at = now() WHERE uid = $1 AND claim_token = $2`, [uid, token]);
  }
}
