import { connect } from 'node:net';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, USERS, loadUser, userDn } from '../../support/stack';

// Sessions live on the server: a cookie whose session ended is refused, whoever kept a copy.

const PASSWORD_CHANGER = loadUser(152);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
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

/** Signs in over a raw socket with a User-Agent of arbitrary bytes. */
async function signInRaw(uid: string, password: string, userAgent: Buffer): Promise<ApiClient> {
  const { hostname, port } = new URL(server.url);
  const body = JSON.stringify({ username: uid, password });
  const head = Buffer.from(
    `POST /api/session HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${server.url}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nUser-Agent: `,
  );
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(Buffer.concat([head, userAgent, Buffer.from(`\r\n\r\n${body}`)])));
    let text = '';
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  expect(reply).toMatch(/^HTTP\/1\.1 200/);
  const client = new ApiClient(server.url);
  client.cookie = /set-cookie: ([^;\r\n]+)/i.exec(reply)?.[1] ?? '';
  client.csrfToken = /"csrfToken":"([^"]+)"/.exec(reply)?.[1] ?? '';
  return client;
}

/** Another client holding the same cookie and CSRF token (a copied cookie). */
function copyOf(client: ApiClient): ApiClient {
  const copy = new ApiClient(server.url);
  copy.cookie = client.cookie;
  copy.csrfToken = client.csrfToken;
  return copy;
}

interface ListedSession {
  id: string;
  current: boolean;
  method: string;
  clientAddress: string;
  userAgent: string;
  createdAt: string;
  lastSeen: string;
}

async function sessionsOf(client: ApiClient): Promise<ListedSession[]> {
  const res = await client.request('GET', '/api/sessions');
  expect(res.status, res.text).toBe(200);
  return res.body.sessions as ListedSession[];
}

describe('sign-out ends the session', () => {
  it('a cookie copied before sign-out answers 401 after it, for reads and writes', async () => {
    const bob = await signedIn('bob', USERS.bob.password);
    const thief = copyOf(bob);
    expect((await thief.request('GET', '/api/me')).status).toBe(200);
    expect((await bob.request('DELETE', '/api/session')).status).toBe(204);
    const read = await thief.request('GET', '/api/vacation');
    expect(read.status).toBe(401);
    expect(read.body.code).toBe('unauthenticated');
    const write = await thief.request('POST', '/api/sessions/revoke-others', { json: {} });
    expect(write.status).toBe(401);
    // The refused cookie is cleared.
    expect(thief.cookie).toBe('');
  });

  it('signing out one session leaves the user’s other sessions alone', async () => {
    const here = await signedIn('carol', USERS.carol.password);
    const there = await signedIn('carol', USERS.carol.password);
    expect((await here.request('DELETE', '/api/session')).status).toBe(204);
    expect((await there.request('GET', '/api/me')).status).toBe(200);
  });
});

describe('the user’s sessions', () => {
  it('lists live sessions with how, where from and the browser; ids are not the cookie', async () => {
    const first = await signedIn('gandre01', USERS.gandre01.password, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0');
    const second = await signedIn('gandre01', USERS.gandre01.password);
    const listed = await sessionsOf(first);
    const mine = listed.find((s) => s.current);
    expect(mine).toMatchObject({ method: 'password', clientAddress: expect.stringMatching(/127\.0\.0\.1/), userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' });
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(Date.parse(mine!.createdAt)).toBeLessThanOrEqual(Date.now());
    for (const s of listed) {
      expect(s.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(first.cookie).not.toContain(s.id);
      expect(second.cookie).not.toContain(s.id);
    }
  });

  it('keeps a huge User-Agent with control characters short and clean', async () => {
    // fetch refuses to send such a header, so it goes over a raw socket, as an attacker's would.
    // (Node's parser already answers 400 to C0 controls other than tab, and 431 past 16 KB.)
    const hostile = Buffer.concat([Buffer.from('<script>alert(1)</script>\t'), Buffer.from('\u202e\u200b', 'utf8'), Buffer.from('A'.repeat(12_000))]);
    const client = await signInRaw('alice', USERS.alice.password, hostile);
    const mine = (await sessionsOf(client)).find((s) => s.current)!;
    expect(mine.userAgent.length).toBeLessThanOrEqual(256);
    expect(mine.userAgent).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(mine.userAgent).toMatch(/^<script>alert\(1\)<\/script> .*AAAA$/u);
  });

  it('“sign out everywhere else” ends every other session and keeps this one', async () => {
    const keep = await signedIn('alice', USERS.alice.password);
    const others = [await signedIn('alice', USERS.alice.password), await signedIn('alice', USERS.alice.password)];
    const bob = await signedIn('bob', USERS.bob.password);
    const res = await keep.request('POST', '/api/sessions/revoke-others', { json: {} });
    expect(res.status).toBe(200);
    expect(res.body.ended).toBeGreaterThanOrEqual(2);
    for (const other of others) expect((await other.request('GET', '/api/me')).status).toBe(401);
    expect((await keep.request('GET', '/api/me')).status).toBe(200);
    expect((await bob.request('GET', '/api/me')).status).toBe(200);
    expect((await sessionsOf(keep)).map((s) => s.current)).toEqual([true]);
  });

  it('ends one chosen session of the user’s own; that one answers 401 at once', async () => {
    const here = await signedIn('carol', USERS.carol.password);
    const there = await signedIn('carol', USERS.carol.password);
    const target = (await sessionsOf(there)).find((s) => s.current)!;
    expect((await here.request('DELETE', `/api/sessions/${target.id}`)).status).toBe(204);
    expect((await there.request('GET', '/api/me')).status).toBe(401);
    expect((await here.request('GET', '/api/me')).status).toBe(200);
    // Already ended: the same clear error, nothing else touched.
    const again = await here.request('DELETE', `/api/sessions/${target.id}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('session_not_found');
  });

  it('refuses another user’s session id, forged and truncated ids alike, and touches nothing', async () => {
    const alice = await signedIn('alice', USERS.alice.password);
    const bob = await signedIn('bob', USERS.bob.password);
    const bobs = (await sessionsOf(bob)).find((s) => s.current)!;
    const attempts = [bobs.id, bobs.id.slice(0, 10), `${bobs.id}x`, 'A'.repeat(16), '..%2F..%2Fsession', encodeURIComponent('ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠ'), 'x'.repeat(2000)];
    for (const id of attempts) {
      const res = await alice.request('DELETE', `/api/sessions/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body.code, id).toBe('session_not_found');
    }
    expect((await bob.request('GET', '/api/me')).status).toBe(200);
    expect((await alice.request('GET', '/api/me')).status).toBe(200);
  });

  it('needs a session and the CSRF token', async () => {
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.request('GET', '/api/sessions')).status).toBe(401);
    const alice = await signedIn('alice', USERS.alice.password);
    const noToken = await alice.request('POST', '/api/sessions/revoke-others', { json: {}, csrf: false });
    expect(noToken.status).toBe(403);
  });
});

describe('a password change seen at the next sign-in', () => {
  it('ends the user’s other sessions', async () => {
    const { uid, password } = PASSWORD_CHANGER;
    const admin = new Client({ url: LDAP.url });
    await admin.bind(LDAP.admin.dn, LDAP.admin.password);
    const entry = await admin.search(userDn(uid), { scope: 'base', attributes: ['userPassword'] });
    const original = entry.searchEntries[0]?.userPassword;
    expect(original).toBeDefined();
    try {
      const before = await signedIn(uid, password);
      const sameAgain = await signedIn(uid, password);
      // The same password again ends nothing.
      expect((await before.request('GET', '/api/me')).status).toBe(200);
      await admin.modify(userDn(uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'userPassword', values: ['a-new-Πass-2026'] }) }));
      // Sessions opened before the change go on until the new password is first used here.
      expect((await before.request('GET', '/api/me')).status).toBe(200);
      const after = await signedIn(uid, 'a-new-Πass-2026');
      expect((await before.request('GET', '/api/me')).status).toBe(401);
      expect((await sameAgain.request('GET', '/api/me')).status).toBe(401);
      expect((await after.request('GET', '/api/me')).status).toBe(200);
      expect(server.logs.some((l) => l.event === 'password_changed_sessions_ended' && l.uid === uid)).toBe(true);
    } finally {
      const values = (Array.isArray(original) ? original : [original]).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v))));
      await admin.modify(userDn(uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'userPassword', values }) }));
      await admin.unbind();
    }
  });
});
