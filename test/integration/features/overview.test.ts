import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { USERS, deliverMessage, loadUser, makeMessage, resetUser } from '../../support/stack';

// A user of this file only: others test on the same stack at the same time.
const USER = loadUser(67);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function inNicosia(days: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Nicosia', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + days * 86_400_000));
  return `${parts}T00:00`;
}

async function put(api: ApiClient, path: string, json: unknown) {
  const etag = ((await api.request('GET', path)).body.etag as string) ?? '';
  const res = await api.request('PUT', path, { json, headers: { 'if-match': etag } });
  expect(res.status, path).toBe(200);
}

describe('overview', () => {
  it('shows quota, vacation, forwarding, spam, filters and addresses in one call', async () => {
    await resetUser(USER.uid);
    const api = new ApiClient(server.url);
    await api.signIn(USER.uid, USER.password);
    await put(api, '/api/vacation', {
      enabled: true, start: null, end: inNicosia(3), timeZone: 'Europe/Nicosia', subject: 'Away', message: 'Back soon', intervalDays: 7, from: null,
    });
    await put(api, '/api/forwarding', { addresses: ['elsewhere@example.net'], keepCopy: true });
    await put(api, '/api/spam', { level: 'strict', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' });
    for (let i = 0; i < 2; i++) await deliverMessage({ to: USER.uid, raw: makeMessage({ to: USER.mail, subject: `overview ${i}`, body: 'x'.repeat(2000) }) });

    const res = await api.request('GET', '/api/overview');
    expect(res.status).toBe(200);
    const o = res.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(o.uid).toBe(USER.uid);
    expect(o.addresses.map((a: { address: string }) => a.address)).toEqual([USER.mail, USER.alias]);
    expect(o.vacation).toMatchObject({ enabled: true, end: inNicosia(3) });
    expect([2, 3]).toContain(o.vacation.endsInDays); // 3 days at midnight Nicosia: 2.x days from now, rounded up
    expect(o.forwarding).toEqual({ addresses: ['elsewhere@example.net'], keepCopy: true });
    expect(o.spam).toEqual({ level: 'strict', threshold: 4 });
    expect(o.filters).toEqual({ rules: 0, custom: 0 });
    // Two delivered messages, plus the forwarding notice (and its forwarded copies are elsewhere).
    expect(o.quota.messages.used).toBe(3);
    expect(o.quota.storage.usedBytes).toBeGreaterThan(4000);
    expect(o.quota.storage.limitBytes).toBe(USER.quotaBytes);
    expect(o.unavailable).toEqual([]);
  });

  it('lists the user’s mailing lists', async () => {
    const api = new ApiClient(server.url);
    await api.signIn(USERS.alice.uid, USERS.alice.password);
    const o = (await api.request('GET', '/api/overview')).body as { lists: Array<{ cn: string }> };
    expect(o.lists.map((l) => l.cn)).toEqual(['cs-staff', 'seminar-list']);
  });

  it('still shows the rest when the mailbox cannot be read, and says which part is missing', async () => {
    const noImap = await startTestServer((c) => ({ ...c, directors: c.directors.map((d) => ({ ...d, imapPort: 9 })) }));
    try {
      const api = new ApiClient(noImap.url);
      await api.signIn(USER.uid, USER.password);
      const o = (await api.request('GET', '/api/overview')).body as Record<string, unknown>;
      expect(o.unavailable).toEqual(['quota']);
      expect(o.quota).toBeNull();
      expect(o.vacation).toMatchObject({ enabled: true });
    } finally {
      await noImap.close();
    }
  });
});
