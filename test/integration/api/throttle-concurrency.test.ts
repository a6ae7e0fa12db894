import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { countPasswordChecks, slapdBindCounter } from '../../support/binds';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, loadUser, userDn } from '../../support/stack';

// The sign-in limits hold however many attempts arrive at once: each attempt is reserved
// before the password is checked, so no more real LDAP binds run than the limits allow.

const TARGET = loadUser(153);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((config) => ({
    ...config,
    server: { ...config.server, trustProxy: true },
    loginRateLimit: { maxFailuresPerAccount: 5, maxFailuresPerAddress: 50, windowSeconds: 900 },
  }));
});
afterAll(async () => {
  await server.close();
});

function signInFrom(address: string, username: string, password: string) {
  return new ApiClient(server.url).request('POST', '/api/session', { json: { username, password }, headers: { 'x-forwarded-for': address } });
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

describe('sign-in limits under concurrency', () => {
  it('100 simultaneous wrong passwords for one account make at most 5 binds', async ({ annotate }) => {
    const binds = await slapdBindCounter(userDn(TARGET.uid));
    const checks = countPasswordChecks(server.services);
    // Each from its own address, so only the account's limit is in play.
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => signInFrom(`198.51.100.${i + 1}`, TARGET.uid, `wrong-${i}`)));
    const statuses = tally(results.map((r) => r.status));
    const logged = await binds.count();
    await annotate(`100 wrong passwords at once for one account: ${JSON.stringify(statuses)}; binds in slapd's log: ${logged}; password checks: ${checks.count}`);
    expect(statuses).toEqual({ 401: 5, 429: 95 });
    expect(logged).toBeLessThanOrEqual(5);
    expect(checks.count).toBeLessThanOrEqual(5);
    // The right password is refused too, for the rest of the window.
    expect((await signInFrom('198.51.100.200', TARGET.uid, TARGET.password)).status).toBe(429);
  });

  it('300 simultaneous wrong sign-ins from one address make at most 50 tries', async ({ annotate }) => {
    const binds = await slapdBindCounter(`cn=emailng-no-such-user,${LDAP.peopleDn}`);
    const checks = countPasswordChecks(server.services);
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => signInFrom('203.0.113.77', `nobody-${i}-${Date.now()}`, 'guess')));
    const statuses = tally(results.map((r) => r.status));
    const logged = await binds.count();
    await annotate(`300 wrong sign-ins at once from one address: ${JSON.stringify(statuses)}; binds in slapd's log: ${logged}; password checks: ${checks.count}`);
    expect(statuses).toEqual({ 401: 50, 429: 250 });
    expect(logged).toBeLessThanOrEqual(50);
    expect(checks.count).toBeLessThanOrEqual(50);
  });

  it('60 right passwords at once from one address all get in (successes never count)', async () => {
    const users = Array.from({ length: 60 }, (_, i) => loadUser(104 + (i % 6)));
    const results = await Promise.all(users.map((u) => signInFrom('203.0.113.78', u.uid, u.password)));
    expect(tally(results.map((r) => r.status))).toEqual({ 200: 60 });
  });
});
