/**
 * `npm run housekeeping`: deletes held mail and log rows older than quarantine.retentionDays,
 * as the database role in quarantine.housekeeping. Prints what it deleted as one JSON line.
 * Exit status: 0 done, 1 failed, 2 not configured.
 */
import pg from 'pg';
import { pgConnection } from '../backends/quarantine/connection';
import { expireHeldMail } from '../backends/quarantine/housekeeping';
import { ConfigError, loadConfig } from '../config/load';

async function main(): Promise<number> {
  const config = loadConfig();
  const quarantine = config.quarantine;
  if (!quarantine?.housekeeping) {
    process.stderr.write('housekeeping: quarantine.housekeeping is not configured; nothing to do\n');
    return 2;
  }
  const client = new pg.Client({
    ...pgConnection(quarantine.housekeeping.databaseUrl, quarantine.housekeeping.password),
    connectionTimeoutMillis: quarantine.timeoutMs,
  });
  await client.connect();
  try {
    const counts = await expireHeldMail(client, quarantine.retentionDays);
    process.stdout.write(`${JSON.stringify({ retentionDays: quarantine.retentionDays, deleted: counts })}\n`);
    return 0;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`housekeeping: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    process.exit(1);
  },
);
