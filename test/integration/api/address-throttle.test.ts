import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';

// The sign-in throttle per client address, behind the site's reverse proxy (the address is
// the last X-Forwarded-For entry): failures count, successes never do.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((config) => ({
    ...config,
    server: { ...config.server, trustProxy: true },
    loginRateLimit: { maxFailuresPerAccount: 100, maxFailuresPerAddress: 3, windowSeconds: 120 },
  }));
});
afterAll(async () => {
  await server.close();
});

function signInFrom(address: string, username: string, password: string) {
  return new ApiClient(server.url).request('POST', '/api/session', {
    json: { username, password },
    headers: { 'x-forwarded-for': address },
  });
}

describe('sign-in throttle per client address', () => {
  it('lets a whole lab behind one NAT address sign in (successes never count)', async () => {
    const lab = '198.51.100.7';
    const users = Array.from({ length: 12 }, (_, i) => `load${String(80 + (i % 10)).padStart(3, '0')}`);
    for (const uid of users) expect((await signInFrom(lab, uid, 'load-pass')).status, uid).toBe(200);
    // Two typos in between do not lock the rest of the lab out either.
    expect((await signInFrom(lab, 'load081', 'wrong')).status).toBe(401);
    expect((await signInFrom(lab, 'load082', 'wrong')).status).toBe(401);
    expect((await signInFrom(lab, 'load083', 'load-pass')).status).toBe(200);
  });

  it('refuses an address after its failures, whichever accounts they were on, and says when to retry', async () => {
    const sprayer = '198.51.100.8';
    for (const login of ['load084', 'load085', 'nobody-here']) expect((await signInFrom(sprayer, login, 'guess')).status).toBe(401);
    const refused = await signInFrom(sprayer, 'load086', 'load-pass');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(refused.body.message).toBe('too many failed sign-ins from your address');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected, for the same account.
    expect((await signInFrom('198.51.100.9', 'load086', 'load-pass')).status).toBe(200);
  });
});
