/**
 * Filters benchmark on the local stack: GET /api/filters and saving the filters (PUT, which
 * also keeps the previous version in the history script), sequential on a warm session and
 * with N users at once (load001 … load050; benchmarks run apart from the tests).
 */
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../api/src/app';
import { loadConfig } from '../api/src/config/load';
import { createLogger } from '../api/src/logging';
import { closeServices, createServices } from '../api/src/services';
import { summarize, timed } from './stats';

class Session {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async call(method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const h: Record<string, string> = { origin: this.base, ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (json !== undefined) h['content-type'] = 'application/json';
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    const res = await fetch(this.base + path, { method, headers: h, body: json === undefined ? undefined : JSON.stringify(json) });
    const cookie = res.headers.getSetCookie()[0];
    if (cookie) this.cookie = cookie.split(';')[0] ?? '';
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, body };
  }
  async signIn(user: string, password: string): Promise<void> {
    const res = await this.call('POST', '/api/session', { username: user, password });
    if (res.status !== 200) throw new Error(`sign-in ${user}: ${res.status}`);
    this.csrf = res.body.csrfToken as string;
  }
}

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
  const base = loadConfig('deploy/config/local.yaml', {});
  const config = { ...base, loginRateLimit: { ...base.loginRateLimit, maxAttemptsPerAddress: 1_000_000 }, logging: { level: 'silent' as const } };
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
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeServices(services);
  }
  return results;
}
