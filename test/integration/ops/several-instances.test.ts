import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../api/src/config/load';
import { ApiClient, SSO_FRAME_HEADERS } from '../../support/http';
import { countPasswordChecks, slapdBindCounter } from '../../support/binds';
import { startTestServer, type TestServer } from '../../support/server';
import { userDn } from '../../support/stack';
import { startRedis, type RedisServer } from './redis-server';

// Two API instances behind one (imagined) load balancer share a real redis-server: a single
// sign-on token spent on one is refused by the other, and failed sign-ins add up across both.

const SECRET = new Uint8Array(randomBytes(32));
const ISSUER = 'https://webmail.test/roundcube';
const AUDIENCE = 'emailng-settings-test';

let redis: RedisServer;
let one: TestServer;
let two: TestServer;

const shared = (url: string, prefix: string) => (config: AppConfig): AppConfig => ({
  ...config,
  sso: { issuer: ISSUER, audience: AUDIENCE, algorithm: 'HS256', key: SECRET, maxAgeSeconds: 60, clockToleranceSeconds: 5 },
  loginRateLimit: { maxFailuresPerAccount: 4, maxFailuresPerAddress: 1000, windowSeconds: 120 },
  redis: { url, keyPrefix: prefix, timeoutMs: 2000 },
});

beforeAll(async () => {
  redis = await startRedis();
  const prefix = `test-${randomBytes(4).toString('hex')}:`;
  one = await startTestServer(shared(redis.url, prefix));
  two = await startTestServer(shared(redis.url, prefix));
}, 30_000);
afterAll(async () => {
  await one?.close();
  await two?.close();
  await redis?.stop();
});

function token(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub, jti: randomBytes(18).toString('base64url'), iat: now, exp: now + 60 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(SECRET);
}

async function sso(server: TestServer, t: string): Promise<{ status: number; cookies: string[] }> {
  const res = await fetch(`${server.url}/sso?token=${encodeURIComponent(t)}`, { redirect: 'manual', headers: SSO_FRAME_HEADERS });
  await res.arrayBuffer();
  return { status: res.status, cookies: res.headers.getSetCookie() };
}

describe('several API instances sharing Redis', () => {
  it('a single sign-on token used on one instance is refused on the other (and on the first again)', async () => {
    const t = await token('load170');
    const first = await sso(one, t);
    expect(first.status).toBe(303);
    expect(first.cookies.join()).toMatch(/emailng_session=/);
    const replayOther = await sso(two, t);
    expect(replayOther.status).toBe(401);
    expect(replayOther.cookies).toEqual([]);
    expect((await sso(one, t)).status).toBe(401);
    expect(two.logs.some((l) => l.event === 'sso_refused' && l.reason === 'replayed')).toBe(true);
  });

  it('two tokens raced at both instances at once: exactly one wins', async () => {
    const t = await token('load171');
    const results = await Promise.all([sso(one, t), sso(two, t), sso(one, t), sso(two, t)]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 401, 401, 401]);
  });

  it('failed sign-ins add up across both instances: the lock applies on either', async () => {
    // 4 failures allowed per account: 2 on each instance, then the right password is refused on both.
    for (const server of [one, two, one, two]) {
      const res = await new ApiClient(server.url).signIn('load172', 'wrong-password');
      expect(res.status).toBe(401);
    }
    for (const server of [one, two]) {
      const locked = await new ApiClient(server.url).signIn('load172', 'load-pass');
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('rate_limited');
      expect(locked.body.retryAfter).toBeGreaterThan(0);
      expect(locked.body.retryAfter).toBeLessThanOrEqual(120);
    }
  });

  it('a success on one instance clears the account’s failures for both', async () => {
    for (const server of [one, two, one]) expect((await new ApiClient(server.url).signIn('load173', 'nope')).status).toBe(401);
    expect((await new ApiClient(two.url).signIn('load173', 'load-pass')).status).toBe(200);
    // Three more failures are allowed again (4 per account): the count started afresh.
    for (const server of [two, one, two]) expect((await new ApiClient(server.url).signIn('load173', 'nope')).status).toBe(401);
    expect((await new ApiClient(one.url).signIn('load173', 'load-pass')).status).toBe(200);
  });

  it('Redis gone: sign-in fails with a clear 503, never a 500 or an unthrottled attempt', async () => {
    const lone = await startRedis();
    const server = await startTestServer(shared(lone.url, 'gone:'));
    try {
      expect((await new ApiClient(server.url).signIn('load174', 'load-pass')).status).toBe(200);
      await lone.stop();
      const res = await new ApiClient(server.url).signIn('load174', 'load-pass');
      expect(res.status).toBe(503);
      expect(String(res.body.message)).toMatch(/Redis/);
    } finally {
      await server.close();
      await lone.stop();
    }
  });
});

describe('sessions and sign-in limits across two instances sharing Redis', () => {
  it('a session ended on one instance is refused on the other at once', async ({ annotate }) => {
    const user = new ApiClient(one.url);
    expect((await user.signIn('load156', 'load-pass')).status).toBe(200);
    const elsewhere = new ApiClient(two.url);
    elsewhere.cookie = user.cookie;
    elsewhere.csrfToken = user.csrfToken;
    expect((await elsewhere.request('GET', '/api/me')).status).toBe(200);
    expect((await user.request('DELETE', '/api/session')).status).toBe(204);
    const signedOutAt = performance.now();
    const after = await elsewhere.request('GET', '/api/me');
    const ms = performance.now() - signedOutAt;
    await annotate(`refused on the other instance ${ms.toFixed(1)} ms after sign-out`);
    expect(after.status).toBe(401);
    expect(ms).toBeLessThan(1000);
  });

  it('“sign out everywhere else” on one instance ends the sessions opened on the other', async () => {
    const keep = new ApiClient(one.url);
    const other = new ApiClient(two.url);
    expect((await keep.signIn('load157', 'load-pass')).status).toBe(200);
    expect((await other.signIn('load157', 'load-pass')).status).toBe(200);
    const listed = await keep.request('GET', '/api/sessions');
    expect((listed.body.sessions as unknown[]).length).toBe(2);
    expect((await keep.request('POST', '/api/sessions/revoke-others', { json: {} })).body.ended).toBe(1);
    expect((await other.request('GET', '/api/me')).status).toBe(401);
    expect((await keep.request('GET', '/api/me')).status).toBe(200);
  });

  it('100 wrong passwords at once, spread over both instances, make at most the limit of binds', async ({ annotate }) => {
    const binds = await slapdBindCounter(userDn('load158'));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => new ApiClient((i % 2 === 0 ? one : two).url).signIn('load158', `wrong-${i}`)),
    );
    const logged = await binds.count();
    const refused = results.filter((r) => r.status === 429).length;
    await annotate(`binds in slapd's log: ${logged}; 401: ${100 - refused}; 429: ${refused}`);
    // The shared policy here allows 4 failures per account.
    expect(results.filter((r) => r.status === 401)).toHaveLength(4);
    expect(refused).toBe(96);
    expect(logged).toBeLessThanOrEqual(4);
  });

  it('300 wrong sign-ins at once from one address, spread over both instances, make at most 50 tries', async ({ annotate }) => {
    const prefix = `addr-${randomBytes(4).toString('hex')}:`;
    const behindProxy = (config: AppConfig): AppConfig => {
      const base = shared(redis.url, prefix)(config);
      return { ...base, server: { ...base.server, trustProxy: true }, loginRateLimit: { maxFailuresPerAccount: 5, maxFailuresPerAddress: 50, windowSeconds: 900 } };
    };
    const a = await startTestServer(behindProxy);
    const b = await startTestServer(behindProxy);
    try {
      const checks = [countPasswordChecks(a.services), countPasswordChecks(b.services)];
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          new ApiClient((i % 2 === 0 ? a : b).url).request('POST', '/api/session', {
            json: { username: `nobody-${i}-${prefix}`, password: 'guess' },
            headers: { 'x-forwarded-for': '203.0.113.99' },
          }),
        ),
      );
      const tries = checks[0]!.count + checks[1]!.count;
      await annotate(`password checks (binds): ${tries}; statuses 401: ${results.filter((r) => r.status === 401).length}, 429: ${results.filter((r) => r.status === 429).length}`);
      expect(tries).toBeLessThanOrEqual(50);
      expect(results.filter((r) => r.status === 401)).toHaveLength(50);
      expect(results.filter((r) => r.status === 429)).toHaveLength(250);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
