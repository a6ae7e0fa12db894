import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putActiveScript } from '../../support/feature';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, loadUser, resetUser, userDn } from '../../support/stack';

// The Security page's API: sign-ins, changes (through the app and outside it), sessions.
// Users of this file only: others test on the same stack at the same time.

const SIGNER = loadUser(45);
const CHANGER = loadUser(46);
const FORWARDER = loadUser(47);
const MAX_ACCOUNT_FAILURES = 3;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((config) => ({ ...config, loginRateLimit: { ...config.loginRateLimit, maxFailuresPerAccount: MAX_ACCOUNT_FAILURES } }));
  await Promise.all([SIGNER, CHANGER, FORWARDER].map((u) => resetUser(u.uid)));
});
afterAll(async () => {
  await server.close();
});

async function signedIn(uid: string, password: string, userAgent?: string): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  const res = await client.request('POST', '/api/session', { json: { username: uid, password }, ...(userAgent ? { headers: { 'user-agent': userAgent } } : {}) });
  expect(res.status, res.text).toBe(200);
  return client;
}

interface Security {
  timeZone: string;
  sessions: Array<{ id: string; current: boolean; browser: string | null; os: string | null; userAgent: string }>;
  signIns: Array<{ at: string; outcome: string; method: string; clientAddress: string; browser: string | null }>;
  changes: Array<{ at: string; area: string; source: string; what: string; session: string | null; sessionId: string | null; clientAddress?: string }>;
  helpdesk: unknown[];
}

async function security(client: ApiClient): Promise<Security> {
  const res = await client.request('GET', '/api/security');
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return res.body as unknown as Security;
}

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe('sign-in history', () => {
  it('lists successes, wrong passwords and throttled tries, newest first; nothing for an unknown login', async () => {
    const client = await signedIn(SIGNER.uid, SIGNER.password, FIREFOX_WINDOWS);
    for (let i = 0; i < MAX_ACCOUNT_FAILURES; i += 1) {
      const wrong = await new ApiClient(server.url).signIn(SIGNER.uid, `wrong-Πass-${i}`);
      expect(wrong.status).toBe(401);
    }
    const throttled = await new ApiClient(server.url).signIn(SIGNER.uid, SIGNER.password);
    expect(throttled.status).toBe(429);
    const { signIns, sessions } = await security(client);
    expect(signIns.map((s) => s.outcome)).toEqual(['throttled', 'wrong-password', 'wrong-password', 'wrong-password', 'success']);
    expect(signIns[4]).toMatchObject({ method: 'password', clientAddress: expect.stringMatching(/127\.0\.0\.1/), browser: 'Firefox 128' });
    expect(sessions.find((s) => s.current)).toMatchObject({ browser: 'Firefox 128', os: 'Windows 10' });
    expect(await server.services.activity.list('nobody-such-user', 'sign-ins')).toEqual([]);
    expect((await new ApiClient(server.url).signIn('nobody-such-user', 'x')).status).toBe(401);
    expect(await server.services.activity.list('nobody-such-user', 'sign-ins')).toEqual([]);
  });
});

describe('what changed', () => {
  it('records a vacation saved through the app with its session and address, once', async () => {
    const client = await signedIn(CHANGER.uid, CHANGER.password);
    const read = await client.request('GET', '/api/vacation');
    const body = { ...(read.body.vacation as object), enabled: true, start: null, end: null, subject: 'Εκτός γραφείου', message: 'Λείπω.' };
    const saved = await client.request('PUT', '/api/vacation', { json: body, headers: { 'if-match': read.body.etag as string } });
    expect(saved.status, saved.text).toBe(200);
    const { changes, sessions } = await security(client);
    const vacation = changes.filter((c) => c.area === 'vacation');
    expect(vacation).toHaveLength(1);
    expect(vacation[0]).toMatchObject({ source: 'app', what: 'page', session: 'this', sessionId: sessions.find((s) => s.current)!.id, clientAddress: expect.stringMatching(/127\.0\.0\.1/) });
    // Seen from another session, the same change is "another session's".
    const other = await signedIn(CHANGER.uid, CHANGER.password);
    expect((await security(other)).changes.find((c) => c.area === 'vacation')?.session).toBe('other');
  });

  it('finds a script changed by another ManageSieve client on the next read, once', async () => {
    const client = await signedIn(CHANGER.uid, CHANGER.password);
    await security(client);
    const before = (await security(client)).changes.length;
    await putActiveScript(server.services.config, CHANGER.uid, server.services.config.sieve.scriptName, 'require ["fileinto"];\nif header :contains "subject" "x" { fileinto "Junk"; }\n');
    const { changes } = await security(client);
    expect(changes.length).toBe(before + 1);
    expect(changes[0]).toMatchObject({ area: 'script', source: 'outside', what: 'script-changed', session: null });
    expect((await security(client)).changes.length).toBe(before + 1);
  });

  it('says so when another client made another script the active one', async () => {
    const client = await signedIn(CHANGER.uid, CHANGER.password);
    await security(client);
    await putActiveScript(server.services.config, CHANGER.uid, 'roundcube', 'keep;\n');
    expect((await security(client)).changes[0]).toMatchObject({ source: 'outside', what: 'other-script-active' });
  });

  it('finds LDAP forwarding changed by another tool', async () => {
    const client = await signedIn(FORWARDER.uid, FORWARDER.password);
    await security(client);
    const admin = new Client({ url: LDAP.url });
    await admin.bind(LDAP.admin.dn, LDAP.admin.password);
    const set = (values: string[]) => admin.modify(userDn(FORWARDER.uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'mailForwardingAddress', values }) }));
    try {
      await set(['somewhere@example.org']);
      expect((await security(client)).changes[0]).toMatchObject({ area: 'forwarding', source: 'outside', what: 'ldap-forwarding-changed' });
    } finally {
      await set([]);
      await admin.unbind();
    }
  });
});

describe('ending a session from the page', () => {
  // Another user's handle: test/integration/routes/security.test.ts (another user's ids).
  it('answers session_not_found to forged, truncated and ended handles, touching nothing', async () => {
    const mine = await signedIn(FORWARDER.uid, FORWARDER.password);
    const second = await signedIn(FORWARDER.uid, FORWARDER.password);
    const secondId = (await security(second)).sessions.find((s) => s.current)!.id;
    const tries = ['AAAAAAAAAAAAAAAA', secondId.slice(0, 10), `${secondId}x`, '..%2F..%2Fetc', '%E2%80%AE'.repeat(4)];
    for (const id of tries) {
      const res = await mine.request('DELETE', `/api/sessions/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body.code).toBe('session_not_found');
    }
    expect((await second.request('GET', '/api/me')).status).toBe(200);
    expect((await mine.request('DELETE', `/api/sessions/${secondId}`)).status).toBe(204);
    const again = await mine.request('DELETE', `/api/sessions/${secondId}`);
    expect(again.status).toBe(404);
    expect((await second.request('GET', '/api/me')).status).toBe(401);
    expect((await mine.request('GET', '/api/me')).status).toBe(200);
  });
});
