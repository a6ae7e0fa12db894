/**
 * API benchmarks on the local stack (start it first: npm run stack:up).
 * Sequential warm-session latencies, and N concurrent users, with the API in this process.
 */
import { ManageSieveClient } from '../api/src/backends/managesieve';
import { sieveConnectOptions } from '../api/src/backends/sieve-sessions';
import { BenchSession as Session, startInProcessApi } from './in-process-api';
import { countRoundTrips } from './round-trips';
import { summarize, timed } from './stats';

export async function run(options: { concurrentUsers?: number; requestsPerUser?: number } = {}): Promise<Record<string, unknown>> {
  const users = options.concurrentUsers ?? 50;
  const perUser = options.requestsPerUser ?? 20;
  const { url, config, services, close } = await startInProcessApi();
  const results: Record<string, unknown> = {};
  // BENCH_API_SEQUENTIAL_ONLY=1: only the warm reads and saves below, as BENCH_API_USER
  // (default load200), so the figures can be taken without the demo users or 50 others.
  const sequentialOnly = process.env.BENCH_API_SEQUENTIAL_ONLY === '1';
  const benchUser = process.env.BENCH_API_USER ?? 'load200';
  try {
    if (!sequentialOnly) {
      // What a request would pay without the pool: connect + master-user auth through a director.
      const fresh: number[] = [];
      for (let i = 0; i < 30; i++) {
        fresh.push(
          await timed(async () => {
            const client = await ManageSieveClient.connect(sieveConnectOptions(config, 'alice'));
            await client.logout();
          }),
        );
      }
      results['managesieve connect+auth (fresh, ms)'] = summarize(fresh);

      const pooled: number[] = [];
      await services.sieve.use('alice', (c) => c.listScripts());
      for (let i = 0; i < 200; i++) pooled.push(await timed(() => services.sieve.use('alice', (c) => c.listScripts())));
      results['LISTSCRIPTS on the pooled connection (ms)'] = summarize(pooled);

      const signIns: number[] = [];
      for (let i = 0; i < 20; i++) signIns.push(await timed(() => new Session(url).signIn('alice', 'alice-demo-pass')));
      results['POST /api/session sign-in (ms)'] = summarize(signIns);

      const alice = new Session(url);
      await alice.signIn('alice', 'alice-demo-pass');
      const me: number[] = [];
      for (let i = 0; i < 300; i++) me.push(await timed(() => alice.ok('GET', '/api/me')));
      results['GET /api/me, warm session, sequential (ms)'] = summarize(me);
    }

    // Warm session, one request after another: each settings page read, and a save of each.
    // load200 by default: apart from the 50 concurrent users below.
    const bench = new Session(url);
    await bench.signIn(benchUser, 'load-pass');
    for (const path of ['/api/vacation', '/api/spam', '/api/forwarding', '/api/overview']) {
      const reads: number[] = [];
      await bench.ok('GET', path);
      for (let i = 0; i < 200; i++) reads.push(await timed(() => bench.ok('GET', path)));
      results[`GET ${path}, warm session, sequential (ms)`] = summarize(reads);
    }
    const saves: Record<string, (i: number) => unknown> = {
      '/api/vacation': (i) => ({ enabled: i % 2 === 0, start: null, end: null, timeZone: 'Europe/Nicosia', subject: `Away ${i}`, message: 'Back soon.', intervalDays: 7, from: null }),
      '/api/spam': (i) => ({ level: i % 2 === 0 ? 'strict' : 'lenient', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' }),
      '/api/forwarding': (i) => ({ addresses: i % 2 === 0 ? ['bench@example.net'] : [], keepCopy: true }),
    };
    for (const [path, body] of Object.entries(saves)) {
      const times: number[] = [];
      let etag = String((await bench.ok('GET', path)).etag);
      const saves = 100;
      const trips = await countRoundTrips(async () => {
        for (let i = 0; i < saves; i++) {
          times.push(
            await timed(async () => {
              etag = String((await bench.ok('PUT', path, body(i), { 'if-match': etag })).etag);
            }),
          );
        }
      });
      results[`PUT ${path}, warm session, sequential (ms)`] = summarize(times);
      results[`PUT ${path}, back-end calls per save`] = {
        managesieve: trips.managesieve / saves,
        ldap: trips.ldap / saves,
        putScriptKB: Math.round(trips.putBytes / saves / 102.4) / 10,
      };
    }
    await bench.ok('PUT', '/api/forwarding', { addresses: [], keepCopy: true }, { 'if-match': String((await bench.ok('GET', '/api/forwarding')).etag) });
    if (sequentialOnly) return results;

    const sessions = await Promise.all(
      Array.from({ length: users }, async (_, i) => {
        const s = new Session(url);
        await s.signIn(`load${String(i + 1).padStart(3, '0')}`, 'load-pass');
        return s;
      }),
    );
    const concurrent: number[] = [];
    let errors = 0;
    let peakRss = process.memoryUsage().rss;
    const started = performance.now();
    await Promise.all(
      sessions.map(async (s) => {
        for (let i = 0; i < perUser; i++) {
          try {
            concurrent.push(await timed(() => s.ok('GET', '/api/overview')));
          } catch {
            errors += 1;
          }
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    results[`GET /api/overview, ${users} concurrent users, API and clients in one process (ms)`] = {
      ...summarize(concurrent),
      errors,
      throughputPerSecond: Math.round(concurrent.length / seconds),
      peakRssMB: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    await close();
  }
  return results;
}
