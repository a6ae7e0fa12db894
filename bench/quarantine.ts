/**
 * `npm run bench -- quarantine`: the Held mail page's queries (backends/quarantine/store.ts, the
 * same code the API runs, as the app's `webapp` role) against a scratch copy of amavisd-new's
 * schema holding 1,000,000 recipient rows, 10,000 of them held for one user (bench-fill SQL
 * beside this file). Measured first with the package's own indexes, then with ours
 * (deploy/postgres/mail_log.d/), so the figures show what each index buys.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig } from '../api/src/config/load';
import { QuarantineStore, type HeldQuery } from '../api/src/backends/quarantine/store';
import { summarize, timed } from './stats';

const DATABASE = 'mail_log_bench';
const USER_ADDRESSES = ['bench.user@cs.example.edu', 'b.user@cs.example.edu'];
const RUNS = 60;

function sql(database: string, args: string[], input?: string): string {
  return execFileSync('bash', ['deploy/stack/ctl.sh', 'sql', database, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
}

function createDatabase(): number {
  const started = performance.now();
  sql('postgres', ['-c', `DROP DATABASE IF EXISTS ${DATABASE}`, '-c', `CREATE DATABASE ${DATABASE}`]);
  const schema = execFileSync('bash', ['deploy/stack/ctl.sh', 'storage-schema'], { encoding: 'utf8' });
  sql(DATABASE, ['-f', '-'], schema);
  sql(DATABASE, ['-f', '-'], readFileSync('bench/quarantine-fill.sql', 'utf8'));
  sql(DATABASE, [
    '-c', `GRANT CONNECT ON DATABASE ${DATABASE} TO webapp`,
    '-c', 'GRANT SELECT ON maddr, msgs, msgrcpt, quarantine TO webapp',
  ]);
  return Math.round(performance.now() - started);
}

function applyOurIndexes(): string[] {
  const dir = 'deploy/postgres/mail_log.d';
  const files = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
  for (const name of files) sql(DATABASE, ['-f', '-'], readFileSync(`${dir}/${name}`, 'utf8'));
  sql(DATABASE, ['-c', 'VACUUM ANALYZE']);
  return sql(DATABASE, ['-At', '-c', "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"]).trim().split('\n');
}

const QUERIES: Record<string, HeldQuery | 'count'> = {
  firstPage: { limit: 50, offset: 0 },
  page100: { limit: 50, offset: 4950 },
  search: { search: 'invoice 99', limit: 50, offset: 0 },
  reasonVirus: { reason: 'virus', limit: 50, offset: 0 },
  overviewCount: 'count',
};

async function measure(store: QuarantineStore): Promise<Record<string, ReturnType<typeof summarize> & { total: number }>> {
  const figures: Record<string, ReturnType<typeof summarize> & { total: number }> = {};
  for (const [name, query] of Object.entries(QUERIES)) {
    const run = () =>
      query === 'count'
        ? store.countHeld(USER_ADDRESSES, new Date(Date.now() - 7 * 86_400_000)).then((c) => c.total)
        : store.list(USER_ADDRESSES, query).then((r) => r.total);
    const total = await run();
    for (let i = 0; i < 3; i++) await run();
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await timed(run));
    figures[name] = { ...summarize(samples), total };
  }
  return figures;
}

export async function run(): Promise<unknown> {
  const config = loadConfig();
  if (!config.quarantine) throw new Error('config has no quarantine section');
  const fillMs = createDatabase();
  const connectionString = config.quarantine.databaseUrl.replace(/\/[^/]*$/, `/${DATABASE}`);
  const store = new QuarantineStore({ connectionString, password: config.quarantine.password, statementTimeoutMs: 60_000, connectTimeoutMs: 5_000, maxConnections: 2 });
  try {
    const packageIndexes = await measure(store);
    const indexes = applyOurIndexes();
    const ourIndexes = await measure(store);
    return { rows: 1_000_000, heldForUser: 10_000, fillMs, runs: RUNS, packageIndexes, ourIndexes, indexes };
  } finally {
    await store.close();
    sql('postgres', ['-c', `DROP DATABASE IF EXISTS ${DATABASE}`]);
  }
}
