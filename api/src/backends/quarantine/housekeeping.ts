import pg from 'pg';

/**
 * Expiry of amavisd-new's SQL log and quarantine, which amavisd never does itself. Runs as the
 * housekeeping role (the only one that may DELETE), from `npm run housekeeping` on a timer
 * (deploy/systemd/emailng-housekeeping.timer). The statements follow amavisd-new's
 * README.sql-pg: old messages first, then the rows that pointed at them.
 */

export interface HousekeepingCounts {
  messages: number;
  recipients: number;
  /** Stored chunks of messages expired, or released or deleted for every recipient. */
  quarantineChunks: number;
  addresses: number;
}

export async function expireHeldMail(client: pg.ClientBase, retentionDays: number): Promise<HousekeepingCounts> {
  const run = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rowCount ?? 0;
  await client.query('BEGIN');
  try {
    const messages = await run(`DELETE FROM msgs WHERE time_iso < now() - make_interval(days => $1)`, [retentionDays]);
    const recipients = await run(
      `DELETE FROM msgrcpt mr WHERE NOT EXISTS (SELECT 1 FROM msgs m WHERE m.partition_tag = mr.partition_tag AND m.mail_id = mr.mail_id)`,
    );
    const quarantineChunks = await run(
      `DELETE FROM quarantine q
        WHERE NOT EXISTS (SELECT 1 FROM msgs m WHERE m.partition_tag = q.partition_tag AND m.mail_id = q.mail_id)
           OR NOT EXISTS (SELECT 1 FROM msgrcpt mr WHERE mr.partition_tag = q.partition_tag AND mr.mail_id = q.mail_id AND mr.rs NOT IN ('R', 'D'))`,
    );
    // Addresses no message refers to any more (amavisd adds them again when it needs them).
    const addresses = await run(
      `DELETE FROM maddr a WHERE NOT EXISTS (SELECT 1 FROM msgs m WHERE m.sid = a.id) AND NOT EXISTS (SELECT 1 FROM msgrcpt mr WHERE mr.rid = a.id)`,
    );
    await client.query('COMMIT');
    return { messages, recipients, quarantineChunks, addresses };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
