/**
 * Filters benchmark on the local stack: GET /api/filters and saving the filters (PUT, which
 * also keeps the previous version in the history script), sequential on a warm session and
 * with N users at once (load001 … load050; benchmarks run apart from the tests).
 */
import { BenchSession as Session, startInProcessApi } from './in-process-api';
import { summarize, timed } from './stats';

const rules = (round: number) =>
  [0, 1, 2].map((i) => ({
    kind: 'rule',
    id: `bench-${i}`,
    name: `Bench rule ${i} (${round})`,
    enabled: true,
    match: 'all',
    conditions: [{ type: 'subject', operator: 'contains', negate: false, value: `bench ${i}` }],
    actions: [{ type: 'fileinto', mailbox: `Bench/${i}`, copy: false, create: true }],
    stop: false,
  }));

/** Prepares a user: the app's script active, filters of ours only. Returns the filters ETag. */
async function prepare(s: Session): Promise<string> {
  let view = await s.call('GET', '/api/filters');
  if (view.status !== 200 || (view.body.foreignScript as unknown) !== null) {
    await s.call('POST', '/api/script/take-over', {});
    view = await s.call('GET', '/api/filters');
  }
  const customs = ((view.body.items as Array<{ kind: string; id?: string }>) ?? []).filter((i) => i.kind === 'custom').map((i) => i.id);
  const res = await s.call('PUT', '/api/filters', { items: rules(0), deleteCustom: customs }, { 'if-match': String(view.body.etag) });
  if (res.status !== 200) throw new Error(`prepare: ${res.status} ${JSON.stringify(res.body)}`);
  return String(res.body.etag);
}

export async function run(options: { concurrentUsers?: number; savesPerUser?: number } = {}): Promise<Record<string, unknown>> {
  const users = options.concurrentUsers ?? 50;
  const perUser = options.savesPerUser ?? 10;
  const { url, close } = await startInProcessApi();
  const results: Record<string, unknown> = {};
  try {
    const sessions = await Promise.all(
      Array.from({ length: users }, async (_, i) => {
        const s = new Session(url);
        await s.signIn(`load${String(i + 1).padStart(3, '0')}`, 'load-pass');
        return s;
      }),
    );
    const etags = await Promise.all(sessions.map(prepare));

    // Sequential, one warm session.
    const one = sessions[0] as Session;
    let etag = etags[0] as string;
    const reads: number[] = [];
    for (let i = 0; i < 100; i++) reads.push(await timed(() => one.call('GET', '/api/filters')));
    results['GET /api/filters, warm session, sequential (ms)'] = summarize(reads);
    const saves: number[] = [];
    for (let i = 1; i <= 50; i++) {
      saves.push(
        await timed(async () => {
          const res = await one.call('PUT', '/api/filters', { items: rules(i) }, { 'if-match': etag });
          if (res.status !== 200) throw new Error(`save: ${res.status}`);
          etag = String(res.body.etag);
        }),
      );
    }
    results['PUT /api/filters (save, history kept), warm session, sequential (ms)'] = summarize(saves);
    etags[0] = etag;

    // N users at once, each saving perUser times.
    const concurrent: number[] = [];
    let errors = 0;
    let peakRss = process.memoryUsage().rss;
    const started = performance.now();
    await Promise.all(
      sessions.map(async (s, u) => {
        let tag = etags[u] as string;
        for (let i = 1; i <= perUser; i++) {
          try {
            concurrent.push(
              await timed(async () => {
                const res = await s.call('PUT', '/api/filters', { items: rules(1000 + i) }, { 'if-match': tag });
                if (res.status !== 200) throw new Error(String(res.status));
                tag = String(res.body.etag);
              }),
            );
          } catch {
            errors += 1;
          }
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    results[`PUT /api/filters, ${users} concurrent users (ms)`] = { ...summarize(concurrent), errors, throughputPerSecond: Math.round(concurrent.length / seconds), peakRssMB: Math.round(peakRss / 1024 / 1024) };
  } finally {
    await close();
  }
  return results;
}
