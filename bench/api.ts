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
  async call(method: string, path: string, json?: unknown): Promise<Response> {
    const headers: Record<string, string> = { origin: this.base };
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
            concurrent.push(await timed(() => s.call('GET', '/api/me').then((r) => r.arrayBuffer())));
          } catch {
            errors += 1;
          }
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    results[`GET /api/me, ${users} concurrent users (ms)`] = {
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
