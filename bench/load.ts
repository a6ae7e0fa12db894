/**
 * `npm run bench -- load`: simulated users against the API running as its own process (so
 * its memory is the API's alone), on the local stack, driven by autocannon.
 *
 * Each simulated user (one autocannon connection, one signed-in user for the whole run) does: GET /api/overview → open filters (GET /api/filters, or GET /api/vacation
 * where there are no filter routes) → GET /api/vacation → PUT /api/vacation (with If-Match) →
 * PUT /api/filters (one rule renamed) when the filter routes exist. At 10, 50 and 200
 * concurrent users; p50/p95/p99 per step, throughput, errors, and the API's peak RSS.
 *
 * Budgets (docs/ARCHITECTURE.md): at 50 users overview p95 ≤ 150 ms, saves p95 ≤ 250 ms, zero errors,
 * RSS ≤ 150 MB. The benchmark measures; it asserts nothing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse, stringify } from 'yaml';
import { summarize } from './stats';
import { freePort } from '../test/support/listen';
import { loadUids } from '../test/support/stack';

// autocannon ships no types: the little of it used here.
interface AcClient {
  requestIterator: { initialContext: Context; resetContext(): void; setRequests(requests: AcRequest[]): void };
}
interface AcRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AcRequest, context: Context) => AcRequest;
  onResponse?: (status: number, body: string, context: Context) => void;
}
interface AcResult {
  requests: { total: number; average: number };
  latency: { p50: number; p97_5: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type AcInstance = Promise<AcResult> & {
  on(event: 'response', listener: (client: { requestIterator?: { context?: Context } }, status: number, bytes: number, ms: number) => void): void;
};
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => AcInstance;

interface User {
  uid: string;
  cookie: string;
  csrf: string;
}

interface Context {
  user?: User;
  answered?: string;
  vacationEtag?: string;
  vacation?: Record<string, unknown>;
  filtersEtag?: string;
  filterItems?: Array<Record<string, unknown>>;
}

/** Where `npm run build:api` writes the bundle: three levels down, so the paths the sources
 *  resolve from import.meta.url (../../../sieve-templates/) still reach the repository root. */
const API_BUNDLE = 'dist/node/api/server.mjs';
const LEVELS = (process.env.BENCH_LOAD_LEVELS ?? '10,50,200').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
/** The simulated users are load<FIRST_USER> onwards (the stack has load001…load210), never
 *  the reserved ones (RESERVED_LOAD_USERS, test/support/stack.ts; loadUids passes over them). */
const FIRST_USER = Number(process.env.BENCH_LOAD_FIRST_USER ?? 1);

function memoryOf(pid: number): { rssMB: number; hwmMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMB: Math.round(kb('VmRSS') / 1024), hwmMB: Math.round(kb('VmHWM') / 1024) };
}

async function startApi(dir: string): Promise<{ url: string; child: ChildProcess; flags: string[] }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = parse(readFileSync('deploy/config/local.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
  config.server = { ...config.server, port, publicOrigin: url };
  config.logging = { level: 'info' }; // the access log stays on, as in production
  const file = path.join(dir, 'config.yaml');
  writeFileSync(file, stringify(config));
  // node itself (not a wrapper) so child.pid is the API's process.
  // BENCH_API_FLAGS: the API's node flags. Default: the heap bounds BENCHMARKS.md explains
  // (without them V8 lets garbage grow the heap to ~200 MB RSS under load). E.g. add
  // "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile.
  const flags = (process.env.BENCH_API_FLAGS ?? '--max-old-space-size=160 --max-semi-space-size=8').split(' ').filter(Boolean);
  // As production runs it (deploy/systemd): the bundle of `npm run build:api`, no transpiler
  // in the process. BENCH_API=tsx runs the sources through tsx instead (as `npm run serve`).
  const entry = process.env.BENCH_API === 'tsx' ? ['--import', 'tsx', 'api/src/server.ts'] : [await buildApi()];
  const child = spawn(process.execPath, [...flags, ...entry], {
    // MALLOC_ARENA_MAX=2 as in deploy/systemd: glibc's per-thread arenas otherwise keep ~20 MB more.
    env: { MALLOC_ARENA_MAX: '2', ...process.env, CONFIG: file, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the API did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, flags };
}

/** Bundles the API as `npm run build:api` does (esbuild, dependencies left external). */
async function buildApi(): Promise<string> {
  execFileSync('npm', ['run', '--silent', 'build:api'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return API_BUNDLE;
}

/** The API's own view of its memory (GET /metrics, prom-client's process figures), in MB. */
async function heapOf(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const pick = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`emailng_nodejs_${name}`) && !l.includes('space='));
    return Math.round(Number(line?.split(' ').pop() ?? 0) / 1048576);
  };
  return { heapTotal: pick('heap_size_total_bytes'), heapUsed: pick('heap_size_used_bytes'), external: pick('external_memory_bytes') };
}

async function signIn(url: string, uid: string): Promise<User> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: uid, password: 'load-pass' }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${uid}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  return { uid, cookie: res.headers.getSetCookie()[0]?.split(';')[0] ?? '', csrf: body.csrfToken };
}

/**
 * One simulated user's cycle. autocannon shares one `requests` array between its clients and
 * keeps each request's built bytes on that shared object (so every client's first request
 * would go out as the last-built client's user); each client therefore gets its own copy of
 * the steps and its own user, fixed for the whole run, through `setupClient`.
 */
function scenario(url: string, hasFilters: boolean): AcRequest[] {
  let counter = 0;
  const headers = (ctx: Context, write = false): Record<string, string> => ({
    cookie: ctx.user!.cookie,
    origin: url,
    ...(write ? { 'content-type': 'application/json', 'x-csrf-token': ctx.user!.csrf } : {}),
  });
  const steps: AcRequest[] = [
    {
      method: 'GET',
      path: '/api/overview',
      setupRequest: (req, ctx) => ({ ...req, headers: headers(ctx) }),
      onResponse: (_s, _b, ctx) => void (ctx.answered = 'overview'),
    },
    {
      method: 'GET',
      path: hasFilters ? '/api/filters' : '/api/vacation',
      setupRequest: (req, ctx) => ({ ...req, headers: headers(ctx) }),
      onResponse: (status, body, ctx) => {
        ctx.answered = hasFilters ? 'open filters' : 'open vacation';
        if (status !== 200 || !hasFilters) return;
        const view = JSON.parse(body) as { etag: string; items: Array<{ kind: string; id?: string; rule?: Record<string, unknown> }> };
        ctx.filtersEtag = view.etag;
        ctx.filterItems = view.items.map((i) => (i.kind === 'rule' ? { kind: 'rule', ...i.rule } : { kind: 'custom', id: i.id }));
      },
    },
    {
      method: 'GET',
      path: '/api/vacation',
      setupRequest: (req, ctx) => ({ ...req, headers: headers(ctx) }),
      onResponse: (status, body, ctx) => {
        ctx.answered = 'read vacation';
        if (status !== 200) return;
        const view = JSON.parse(body) as { etag: string; vacation: Record<string, unknown> };
        ctx.vacationEtag = view.etag;
        ctx.vacation = view.vacation;
      },
    },
    {
      method: 'PUT',
      path: '/api/vacation',
      setupRequest: (req, ctx) => {
        counter += 1;
        const vacation = {
          enabled: counter % 2 === 0,
          start: null,
          end: null,
          timeZone: 'Europe/Nicosia',
          subject: `Away (${counter})`,
          message: 'I am away this week and read mail only now and then.\nUrgent: the secretariat.',
          intervalDays: 7,
          from: null,
        };
        return { ...req, headers: { ...headers(ctx, true), 'if-match': ctx.vacationEtag ?? '"none"' }, body: JSON.stringify(vacation) };
      },
      onResponse: (_s, _b, ctx) => void (ctx.answered = 'save vacation'),
    },
  ];
  if (hasFilters) {
    steps.push({
      method: 'PUT',
      path: '/api/filters',
      setupRequest: (req, ctx) => {
        counter += 1;
        const rule = {
          kind: 'rule',
          id: 'new-1',
          name: `Seminar announcements ${counter}`,
          enabled: true,
          match: 'all',
          conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'seminar' }],
          actions: [{ type: 'fileinto', mailbox: 'INBOX' }],
          stop: false,
        };
        const items = ctx.filterItems ?? [];
        const firstRule = items.findIndex((i) => i.kind === 'rule');
        const next = firstRule >= 0 ? items.map((i, n) => (n === firstRule ? { ...i, name: rule.name } : i)) : [...items, rule];
        return { ...req, headers: { ...headers(ctx, true), 'if-match': ctx.filtersEtag ?? '"none"' }, body: JSON.stringify({ items: next }) };
      },
      onResponse: (_s, _b, ctx) => void (ctx.answered = 'save filter'),
    });
  }
  return steps;
}

async function level(url: string, pid: number, users: User[], concurrent: number, hasFilters: boolean, seconds = SECONDS): Promise<Record<string, unknown>> {
  const mine = users.slice(0, concurrent);
  const cycle = scenario(url, hasFilters);
  let nextUser = 0;
  const byKind = new Map<string, number[]>();
  const statuses = new Map<string, Record<string, number>>();
  // Every level opens all its connections at the same instant, and a server busy answering
  // the connections already going serves a new connection's first request seconds late (a
  // plain node:http server shows the same; see BENCHMARKS.md): the first cycle of
  // each simulated user is reported on its own, the per-step figures are the cycles after.
  const cyclesOf = new WeakMap<object, number>();
  const firstCycle: number[] = [];
  let peakRss = memoryOf(pid).rssMB;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, memoryOf(pid).rssMB);
  }, 100);
  const instance = autocannon({
    url,
    connections: concurrent,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    // Placeholder: replaced per client below, before any request is built for sending.
    requests: [{ method: 'GET', path: '/api/health' }],
    setupClient: (client: AcClient) => {
      const iterator = client.requestIterator;
      iterator.initialContext = { user: mine[nextUser++ % mine.length] };
      iterator.resetContext();
      iterator.setRequests(cycle.map((step) => ({ ...step })));
    },
  });
  instance.on('response', (client, status, _bytes, ms) => {
    const kind = client.requestIterator?.context?.answered ?? 'unknown';
    if (kind === 'overview') cyclesOf.set(client, (cyclesOf.get(client) ?? 0) + 1);
    const counts = statuses.get(kind) ?? {};
    counts[status] = (counts[status] ?? 0) + 1;
    statuses.set(kind, counts);
    if ((cyclesOf.get(client) ?? 1) === 1) {
      firstCycle.push(ms);
      return;
    }
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push(ms);
  });
  const result = await instance;
  clearInterval(sampler);
  const memory = memoryOf(pid);
  const heap = await heapOf(url);
  const steps: Record<string, unknown> = {};
  for (const [kind, counts] of statuses) steps[kind] = { ...summarize(byKind.get(kind) ?? []), statuses: counts };
  return {
    users: concurrent,
    seconds,
    requests: result.requests.total,
    throughputPerSecond: Math.round(result.requests.average),
    latencyAllMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    steps,
    firstCycle: summarize(firstCycle),
    apiPeakRssMB: peakRss,
    apiVmHWMMB: memory.hwmMB,
    apiHeapMB: heap,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const max = Math.max(...LEVELS);
  const uids = loadUids(FIRST_USER, max);
  // The test suites use some of these users too: start every one from an empty mailbox and
  // no scripts, or one left with another active script answers every save with a 409.
  execFileSync('bash', ['deploy/stack/ctl.sh', 'reset-user', ...uids], { stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = mkdtempSync(path.join(tmpdir(), 'emailng-load-'));
  const { url, child, flags } = await startApi(dir);
  const pid = child.pid!;
  // Before anyone signs in: what the process costs by itself.
  const idle = memoryOf(pid);
  try {
    const hasFilters = (await fetch(`${url}/api/filters`)).status !== 404;
    // The start of a semester: every user signs in at the same moment, on a cold API.
    const signInMs: number[] = [];
    const users = await Promise.all(
      uids.map(async (uid) => {
        const started = performance.now();
        const user = await signIn(url, uid);
        signInMs.push(performance.now() - started);
        return user;
      }),
    );
    const afterSignIn = memoryOf(pid);
    const results: Record<string, unknown> = {
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
      scenario: hasFilters
        ? 'overview → GET filters → GET vacation → PUT vacation → PUT filters'
        : 'overview → GET vacation (open) → GET vacation → PUT vacation',
      apiNodeFlags: flags.join(' '),
      apiRssIdleMB: idle.rssMB,
      [`${max} sign-ins at once (ms)`]: summarize(signInMs),
      apiRssAfterSignInsMB: afterSignIn.rssMB,
    };
    // Warm-up: JIT and the pooled connections of every user, not measured.
    await level(url, pid, users, max, hasFilters, 5).catch(() => undefined);
    for (const n of LEVELS) {
      // autocannon stops without waiting for what the API is still doing: let that finish, or
      // the next level's first saves meet the last ones in flight (409) for the same users.
      await new Promise((r) => setTimeout(r, 3000));
      results[`${n} users`] = await level(url, pid, users, n, hasFilters);
    }
    results.apiPeakRssOverallMB = memoryOf(pid).hwmMB;
    return results;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
