/**
 * `npm run bench -- failover`: what one director going down costs the users who are on it.
 *
 * 20 signed-in users (from load151 on, passing over RESERVED_LOAD_USERS; reset first) run overview / spam read / vacation save
 * one after another on pooled connections, all through theano (the first director). After a
 * steady spell theano is stopped: each user's next command breaks, the pool opens a new
 * connection through elysso and runs the command again. The figures are the request
 * latencies before the stop, in the first two seconds after it (where the reconnects are),
 * and after that; docs/ARCHITECTURE.md's budget is "added latency ≤ 1 s". theano is started again at
 * the end. The benchmark measures; it asserts nothing (the fault tests check that no request
 * fails: test/integration/faults/director-down.test.ts).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { BenchSession, startInProcessApi } from './in-process-api';
import { summarize } from './stats';
import { loadUids } from '../test/support/stack';

const USERS = loadUids(151, 20);
const CTL = 'deploy/stack/ctl.sh';

interface Sample {
  at: number;
  ms: number;
  ok: boolean;
}

function ctl(...args: string[]): void {
  execFileSync('bash', [CTL, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** As ctl, without blocking: the API runs in this process and must go on answering. */
async function ctlAsync(...args: string[]): Promise<void> {
  await promisify(execFile)('bash', [CTL, ...args]);
}

async function oneRequest(session: BenchSession, n: number): Promise<boolean> {
  if (n % 3 === 0) return (await session.call('GET', '/api/overview')).status === 200;
  if (n % 3 === 1) return (await session.call('GET', '/api/spam')).status === 200;
  const current = await session.call('GET', '/api/vacation');
  if (current.status !== 200) return false;
  const vacation = { ...(current.body.vacation as Record<string, unknown>), subject: `Away (${n})` };
  return (await session.call('PUT', '/api/vacation', vacation, { 'if-match': String(current.body.etag) })).status === 200;
}

export async function run(): Promise<Record<string, unknown>> {
  ctl('reset-user', ...USERS);
  const api = await startInProcessApi();
  const sessions = USERS.map(() => new BenchSession(api.url));
  const samples: Sample[] = [];
  let stopAt: number;
  try {
    await Promise.all(sessions.map((s, i) => s.signIn(USERS[i]!, 'load-pass')));
    // Warm every user's pooled connections (through theano, the first director).
    await Promise.all(sessions.map(async (s) => [await oneRequest(s, 0), await oneRequest(s, 1), await oneRequest(s, 2)]));
    const directors = await Promise.all(USERS.map((u) => api.services.sieve.use(u, async (c) => c.endpoint.name)));
    let running = true;
    const started = performance.now();
    const loops = sessions.map(async (session) => {
      for (let n = 0; running; n += 1) {
        const t = performance.now();
        const ok = await oneRequest(session, n).catch(() => false);
        samples.push({ at: t - started, ms: performance.now() - t, ok });
      }
    });
    await new Promise((r) => setTimeout(r, 4000));
    stopAt = performance.now() - started;
    await ctlAsync('stop', 'theano');
    await new Promise((r) => setTimeout(r, 6000));
    running = false;
    await Promise.all(loops);
    const after = await Promise.all(USERS.map((u) => api.services.sieve.use(u, async (c) => c.endpoint.name)));
    const phase = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to);
    const before = phase(0, stopAt);
    const reconnect = phase(stopAt, stopAt + 2000);
    const settled = phase(stopAt + 2000, Number.POSITIVE_INFINITY);
    const p50Before = summarize(before.map((s) => s.ms)).p50;
    return {
      users: USERS.length,
      directorsBefore: count(directors),
      directorsAfter: count(after),
      failedRequests: samples.filter((s) => !s.ok).length,
      'before the stop (ms)': summarize(before.map((s) => s.ms)),
      'first 2 s after theano stops (ms)': summarize(reconnect.map((s) => s.ms)),
      'after that, all on elysso (ms)': summarize(settled.map((s) => s.ms)),
      'added latency, worst request (ms)': Math.round(Math.max(...reconnect.map((s) => s.ms)) - p50Before),
    };
  } finally {
    ctl('start', 'theano');
    await api.close();
  }
}

function count(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}
