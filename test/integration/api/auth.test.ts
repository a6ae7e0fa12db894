import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, requestOnOwnConnection } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((config) => ({
    ...config,
    loginRateLimit: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 1000, windowSeconds: 120 },
  }));
});
afterAll(async () => {
  await server.close();
});

describe('sign-in (happy)', () => {
  it('signs alice in by uid: HttpOnly session cookie, her name and addresses', async () => {
    const alice = new ApiClient(server.url);
    const res = await alice.signIn('alice', 'alice-demo-pass');
    expect(res.status).toBe(200);
    expect(res.body.me).toEqual({
      uid: 'alice',
      displayName: 'Alice Liddell',
      addresses: [
        { address: 'alice@cs.ucy.ac.cy', kind: 'login' },
        { address: 'alice.liddell@cs.ucy.ac.cy', kind: 'default' },
      ],
      quarantine: true,
      helpdesk: false,
    });
    const cookie = res.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^emailng_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await alice.request('GET', '/api/me');
    expect(me.status).toBe(200);
    expect((me.body.me as { uid: string }).uid).toBe('alice');
  });

  it('signs in by any of the user’s addresses, case-insensitively', async () => {
    for (const login of ['alice@cs.ucy.ac.cy', 'alice.liddell@cs.ucy.ac.cy', 'ALICE.Liddell@cs.ucy.ac.cy']) {
      const res = await new ApiClient(server.url).signIn(login, 'alice-demo-pass');
      expect(res.status, login).toBe(200);
    }
  });

  it('says when the site keeps no held mail, so the SPA hides that page', async () => {
    const plain = await startTestServer((config) => ({ ...config, quarantine: null }));
    try {
      const res = await new ApiClient(plain.url).signIn('alice', 'alice-demo-pass');
      expect(res.status).toBe(200);
      expect((res.body.me as { quarantine: boolean }).quarantine).toBe(false);
    } finally {
      await plain.close();
    }
  });

  it('shows a Greek display name intact', async () => {
    const res = await new ApiClient(server.url).signIn('gandre01', 'gandre01-demo-pass');
    expect((res.body.me as { displayName: string }).displayName).toBe('Γιώργος Ανδρέου');
  });

  it('keeps the user’s ManageSieve connection open for the next request', async () => {
    const before = server.services.sieve.size;
    await new ApiClient(server.url).signIn('carol', 'carol-demo-pass');
    expect(server.services.sieve.size).toBeGreaterThan(before === 0 ? 0 : before - 1);
  });

  it('signs out: the cookie is cleared and the old cookie no longer works after sign-out on the client', async () => {
    const bob = new ApiClient(server.url);
    await bob.signIn('bob', 'bob-demo-pass');
    const out = await bob.request('DELETE', '/api/session');
    expect(out.status).toBe(204);
    expect(bob.cookie).toBe('');
    expect((await bob.request('GET', '/api/me')).status).toBe(401);
  });

  it('reports LDAP and both directors healthy, with latency', async () => {
    const res = await new ApiClient(server.url).request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const directors = res.body.directors as Array<{ name: string; imap: { ok: boolean; latencyMs: number }; sieve: { ok: boolean } }>;
    expect(directors.map((d) => [d.name, d.imap.ok, d.sieve.ok])).toEqual([
      ['theano', true, true],
      ['elysso', true, true],
    ]);
    expect((res.body.ldap as { latencyMs: number }).latencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe('sign-in (errors)', () => {
  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await new ApiClient(server.url).signIn('bob', 'not-his-password');
    const unknown = await new ApiClient(server.url).signIn('nobody-here', 'whatever');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'invalid_credentials', message: 'wrong user name or password' });
      expect(res.body.requestId).toEqual(expect.any(String));
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('locks an account after repeated failures, says how long to wait, and refuses even the right password', async () => {
    const client = new ApiClient(server.url);
    for (let i = 0; i < 3; i++) expect((await client.signIn('gandre01', 'wrong')).status).toBe(401);
    // The lock follows the account, whichever login names it.
    const locked = await client.signIn('giorgos.andreou@cs.ucy.ac.cy', 'gandre01-demo-pass');
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('rate_limited');
    expect(locked.body.retryAfter).toBeGreaterThan(0);
    expect(locked.body.retryAfter).toBeLessThanOrEqual(120);
    expect(locked.headers.get('retry-after')).toBe(String(locked.body.retryAfter));
  });

  it('refuses malformed, overlong and binary input with field codes, never a 500', async () => {
    const client = new ApiClient(server.url);
    const cases: Array<[unknown, Record<string, string>]> = [
      [{ username: '', password: 'x' }, { username: 'required' }],
      [{ username: 'a'.repeat(300), password: 'x' }, { username: 'too_long' }],
      [{ username: 'alice\u0000', password: 'x' }, { username: 'invalid' }],
      [{ username: 'alice', password: 'p'.repeat(600) }, { password: 'too_long' }],
      [{ username: 'alice', password: 'a\u0000b' }, { password: 'invalid' }],
      [{ username: 'alice' }, { password: 'required' }],
      [{ username: 'alice', password: 'x', extra: 1 }, { '(body)': 'invalid' }],
    ];
    for (const [json, fields] of cases) {
      const res = await client.request('POST', '/api/session', { json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.code).toBe('validation');
      expect(res.body.fields).toMatchObject(fields);
    }
    const malformed = await client.request('POST', '/api/session', { body: '{"username": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    const huge = await requestOnOwnConnection(`${server.url}/api/session`, {
      method: 'POST',
      body: JSON.stringify({ username: 'a', password: 'x'.repeat(300_000) }),
      headers: { 'content-type': 'application/json', origin: server.url },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');
  });

  it('refuses a filter-injection login rather than matching someone', async () => {
    for (const username of ['*', 'al*', '*)(uid=*', 'alice)(|(uid=*', '\\2a']) {
      const res = await new ApiClient(server.url).signIn(username, 'alice-demo-pass');
      expect(res.status, username).toBe(401);
    }
  });
});

describe('sign-in when a back end is down', () => {
  it('says the directory is unavailable when LDAP does not answer', async () => {
    const down = await startTestServer((c) => ({ ...c, ldap: { ...c.ldap, url: 'ldap://127.0.0.1:9', timeoutMs: 500 } }));
    try {
      const res = await new ApiClient(down.url).signIn('alice', 'alice-demo-pass');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('directory_unavailable');
    } finally {
      await down.close();
    }
  });

  it('says the mail servers are unavailable when both directors are down', async () => {
    const down = await startTestServer((c) => ({
      ...c,
      directors: c.directors.map((d) => ({ ...d, sievePort: 9, imapPort: 9 })),
    }));
    try {
      const res = await new ApiClient(down.url).signIn('alice', 'alice-demo-pass');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('mail_unavailable');
      expect(res.headers.getSetCookie()).toEqual([]);
      const health = await new ApiClient(down.url).request('GET', '/api/health');
      expect(health.status).toBe(503);
      expect(health.body.ok).toBe(false);
    } finally {
      await down.close();
    }
  });
});

describe('security', () => {
  it('refuses a state change without the CSRF token and changes nothing', async () => {
    const alice = new ApiClient(server.url);
    await alice.signIn('alice', 'alice-demo-pass');
    const res = await alice.request('DELETE', '/api/session', { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('csrf');
    expect((await alice.request('GET', '/api/me')).status).toBe(200);
  });

  it('refuses cross-origin and non-JSON state changes', async () => {
    const client = new ApiClient(server.url);
    const crossOrigin = await client.request('POST', '/api/session', {
      json: { username: 'alice', password: 'alice-demo-pass' },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossOrigin.status).toBe(403);
    const form = await client.request('POST', '/api/session', {
      body: 'username=alice&password=alice-demo-pass',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('unsupported_media_type');
  });

  it('gives each user only their own data; a tampered cookie is no session', async () => {
    const alice = new ApiClient(server.url);
    const bob = new ApiClient(server.url);
    await alice.signIn('alice', 'alice-demo-pass');
    await bob.signIn('bob', 'bob-demo-pass');
    expect(((await bob.request('GET', '/api/me')).body.me as { uid: string }).uid).toBe('bob');
    // Bob cannot use his CSRF token with alice's cookie, nor the reverse.
    const mixed = new ApiClient(server.url);
    mixed.cookie = alice.cookie;
    mixed.csrfToken = bob.csrfToken;
    expect((await mixed.request('DELETE', '/api/session')).status).toBe(403);
    const tampered = new ApiClient(server.url);
    tampered.cookie = alice.cookie.slice(0, -4) + 'AAAA';
    expect((await tampered.request('GET', '/api/me')).status).toBe(401);
  });

  it('sends strict security headers on pages and API', async () => {
    for (const path of ['/', '/api/health']) {
      const res = await fetch(server.url + path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('never logs a password, cookie or token', async () => {
    const client = new ApiClient(server.url);
    await client.signIn('bob', 'bob-demo-pass');
    await client.signIn('bob', 'a-wrong-secret-xyz');
    await client.request('GET', '/api/me');
    const logs = server.rawLogs();
    expect(logs).toContain('"event":"login"');
    for (const secret of ['bob-demo-pass', 'a-wrong-secret-xyz', client.cookie.split('=')[1]!, client.csrfToken, 'master-secret', 'emailng-api-secret']) {
      expect(logs).not.toContain(secret);
    }
  });

  it('describes every API route in /api/openapi.json', async () => {
    const res = await new ApiClient(server.url).request('GET', '/api/openapi.json');
    const paths = Object.keys(res.body.paths as object);
    expect(paths).toEqual(expect.arrayContaining(['/api/session', '/api/me', '/api/health']));
  });
});
