/**
 * API benchmarks on the local stack (start it first: npm run stack:up).
 * Sequential warm-session latencies, and N concurrent users, with the API in this process.
 */
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../api/src/app';
import { loadConfig } from '../api/src/config/load';
import { ManageSieveClient } from '../api/src/backends/managesieve';
import { sieveConnectOptions } from '../api/src/backends/sieve-sessions';
import { createLogger } from '../api/src/logging';
import { closeServices, createServices } from '../api/src/services';
import { summarize, timed } from './stats';

class Session {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async call(method: string, path: string, json?: unknown, extra: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { origin: this.base, ...extra };
    if (this.cookie) headers.cookie = this.cookie;
    if (json !== undefined) headers['content-type'] = 'application/json';
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(this.base + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const cookie = res.headers.getSetCookie()[0];
    if (cookie) this.cookie = cookie.split(';')[0] ?? '';
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }
  async signIn(user: string, password: string): Promise<void> {
    const res = await this.call('POST', '/api/session', { username: user, password });
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }
}

export async function run(options: { concurrentUsers?: number; requestsPerUser?: number } = {}): Promise<Record<string, unknown>> {
  const users = options.concurrentUsers ?? 50;
  const perUser = options.requestsPerUser ?? 20;
  const base = loadConfig('deploy/config/local.yaml', {});
  const config = {
    ...base,
    loginRateLimit: { ...base.loginRateLimit, maxAttemptsPerAddress: 1_000_000 },
    logging: { level: 'silent' as const },
  };
  const services = createServices(config, createLogger('silent', new Writable({ write: (_c, _e, done) => done() })));
  const late: { app?: ReturnType<typeof createApp> } = {};
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (r, e) => late.app!.fetch(r, e), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.server = { ...config.server, publicOrigin: url };
  late.app = createApp(services);
  const results: Record<string, unknown> = {};
  try {
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
    for (let i = 0; i < 300; i++) me.push(await timed(() => alice.call('GET', '/api/me').then((r) => r.arrayBuffer())));
    results['GET /api/me, warm session, sequential (ms)'] = summarize(me);

    // Warm session, one request after another: each settings page read, and a save of each.
    // load200: apart from the 50 concurrent users below.
    const bench = new Session(url);
    await bench.signIn('load200', 'load-pass');
    for (const path of ['/api/vacation', '/api/spam', '/api/forwarding', '/api/overview']) {
      const reads: number[] = [];
      await bench.call('GET', path);
      for (let i = 0; i < 100; i++) reads.push(await timed(() => bench.call('GET', path).then((r) => r.arrayBuffer())));
      results[`GET ${path}, warm session, sequential (ms)`] = summarize(reads);
    }
    const saves: Record<string, (i: number) => unknown> = {
      '/api/vacation': (i) => ({ enabled: i % 2 === 0, start: null, end: null, timeZone: 'Europe/Nicosia', subject: `Away ${i}`, message: 'Back soon.', intervalDays: 7, from: null }),
      '/api/spam': (i) => ({ level: i % 2 === 0 ? 'strict' : 'lenient', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' }),
      '/api/forwarding': (i) => ({ addresses: i % 2 === 0 ? ['bench@example.net'] : [], keepCopy: true }),
    };
    for (const [path, body] of Object.entries(saves)) {
      const times: number[] = [];
      let etag = ((await (await bench.call('GET', path)).json()) as { etag: string }).etag;
      for (let i = 0; i < 40; i++) {
        times.push(
          await timed(async () => {
            const res = await bench.call('PUT', path, body(i), { 'if-match': etag });
            etag = ((await res.json()) as { etag: string }).etag;
          }),
        );
      }
      results[`PUT ${path}, warm session, sequential (ms)`] = summarize(times);
    }
    await bench.call('PUT', '/api/forwarding', { addresses: [], keepCopy: true }, { 'if-match': ((await (await bench.call('GET', '/api/forwarding')).json()) as { etag: string }).etag });

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
            concurrent.push(await timed(() => s.call('GET', '/api/overview').then((r) => r.arrayBuffer())));
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
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeServices(services);
  }
  return results;
}
