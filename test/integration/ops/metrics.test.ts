import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startInstance, type Instance } from './instance';

// GET /metrics: Prometheus text, route patterns (never raw paths), sign-ins by result, 429s,
// pool sizes, connect failures per director endpoint; served only to allowed addresses.

let open: Instance;
let closedToUs: Instance;

beforeAll(async () => {
  open = await startInstance((config) => ({
    ...config,
    loginRateLimit: { maxFailuresPerAccount: 2, maxFailuresPerAddress: 1000, windowSeconds: 60 },
    // A first director nobody listens on: every new connection fails there first, then succeeds on theano.
    directors: [{ name: 'nowhere', host: '127.0.0.9', imapPort: 10143, sievePort: 14190 }, ...config.directors],
    mailTransport: { ...config.mailTransport, connectTimeoutMs: 1000 },
  }));
  closedToUs = await startInstance((config) => ({ ...config, metrics: { enabled: true, allowFrom: ['10.0.0.0/8', '2001:db8::/32'] } }));
}, 30_000);
afterAll(async () => {
  await open?.close();
  await closedToUs?.close();
});

async function scrape(instance: Instance): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${instance.url}/metrics`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of the series `name` whose labels include `labels` (order-free), 0 when absent. */
function value(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

describe('GET /metrics', () => {
  it('counts requests by route pattern and status class, sign-ins by result, 429s, pools, director connect failures', async () => {
    const user = new ApiClient(open.url);
    expect((await user.signIn('load176', 'load-pass')).status).toBe(200);
    expect((await user.request('GET', '/api/vacation')).status).toBe(200);
    expect((await user.request('GET', '/api/scripts/some-name-that-is-not-there')).status).toBeGreaterThanOrEqual(400);
    for (let i = 0; i < 2; i++) expect((await new ApiClient(open.url).signIn('load177', 'wrong')).status).toBe(401);
    expect((await new ApiClient(open.url).signIn('load177', 'load-pass')).status).toBe(429);

    const { status, type, text } = await scrape(open);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^# HELP emailng_http_request_duration_seconds /m);
    expect(value(text, 'emailng_http_request_duration_seconds_count', { method: 'GET', route: '/api/vacation', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
    // Patterns only: the raw name in the path never becomes a label.
    expect(text).not.toContain('some-name-that-is-not-there');
    expect(value(text, 'emailng_sign_ins_total', { method: 'password', result: 'ok' })).toBe(1);
    expect(value(text, 'emailng_sign_ins_total', { method: 'password', result: 'failed' })).toBe(2);
    expect(value(text, 'emailng_sign_ins_total', { method: 'password', result: 'throttled' })).toBe(1);
    expect(value(text, 'emailng_rate_limit_hits_total', { route: '/api/session' })).toBe(1);
    expect(value(text, 'emailng_pool_connections', { protocol: 'managesieve' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'emailng_backend_errors_total', { protocol: 'managesieve', director: 'nowhere', endpoint: '127.0.0.9:14190', kind: 'CONNECT_FAILED' })).toBeGreaterThanOrEqual(1);
  });

  it('is refused (403, clear message) to addresses outside metrics.allowFrom', async () => {
    const res = await scrape(closedToUs);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'forbidden', message: expect.stringContaining('metrics.allowFrom') });
  });

  it('is not under /api and needs no session or CSRF token', async () => {
    expect((await fetch(`${open.url}/api/metrics`)).status).toBe(404);
  });
});
