import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSO_FRAME_HEADERS } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

// GET /sso against the real API and the local stack's directory and directors: a good token
// opens a session and lands in the SPA's embedded mode; every bad one gets the "please sign
// in" page and no cookie at all.

const SECRET = new Uint8Array(randomBytes(32));
const ISSUER = 'https://webmail.test/roundcube';
const AUDIENCE = 'emailng-settings-test';
const WEBMAIL = 'http://127.0.0.1:1';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((config) => ({
    ...config,
    webmailOrigin: WEBMAIL,
    sso: { issuer: ISSUER, audience: AUDIENCE, algorithm: 'HS256', key: SECRET, maxAgeSeconds: 60, clockToleranceSeconds: 5 },
  }));
});
afterAll(async () => {
  await server?.close();
});

type Claims = Record<string, unknown>;

function claims(overrides: Claims = {}): Claims {
  const now = Math.floor(Date.now() / 1000);
  const all: Claims = { iss: ISSUER, aud: AUDIENCE, sub: 'alice', jti: randomBytes(18).toString('base64url'), iat: now, exp: now + 60, ...overrides };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}

function sign(overrides: Claims = {}, key: Uint8Array = SECRET): Promise<string> {
  return new SignJWT(claims(overrides)).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

const FRAME = SSO_FRAME_HEADERS;

async function sso(
  token: string | null,
  extra = '',
  headers: Record<string, string> = FRAME,
): Promise<{ status: number; location: string | null; cookies: string[]; text: string; headers: Headers }> {
  const query = token === null ? extra : `token=${encodeURIComponent(token)}${extra}`;
  const res = await fetch(`${server.url}/sso?${query}`, { redirect: 'manual', headers });
  return { status: res.status, location: res.headers.get('location'), cookies: res.headers.getSetCookie(), text: await res.text(), headers: res.headers };
}

async function me(cookie: string): Promise<{ status: number; uid?: string }> {
  const res = await fetch(`${server.url}/api/me`, { headers: { cookie } });
  const body = (await res.json()) as { me?: { uid: string } };
  return { status: res.status, uid: body.me?.uid };
}

function expectRefused(res: Awaited<ReturnType<typeof sso>>, lang: 'en' | 'el' = 'en'): void {
  expect(res.status).toBe(401);
  expect(res.cookies).toEqual([]);
  expect(res.location).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.text).toContain(lang === 'en' ? 'Please sign in' : 'Παρακαλούμε συνδεθείτε');
  expect(res.text).toContain(`<html lang="${lang}">`);
  expect(res.text).toContain('href="./#/sign-in?embedded=1');
}

describe('GET /sso with a good token', () => {
  it('opens a session for the token’s user and redirects to the embedded SPA', async () => {
    const token = await sign({ sub: 'alice' });
    const res = await sso(token, '&lang=el_GR&theme=dark');
    expect(res.status).toBe(303);
    expect(res.location).toBe('./#/?embedded=1&lang=el&theme=dark');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.cookies).toHaveLength(1);
    const cookie = res.cookies[0] ?? '';
    expect(cookie).toMatch(/^emailng_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(await me(cookie.split(';')[0] ?? '')).toEqual({ status: 200, uid: 'alice' });
    // The token never reaches the log (the access log omits query strings).
    expect(server.rawLogs()).not.toContain(token);
    expect(server.logs).toContainEqual(expect.objectContaining({ event: 'login', uid: 'alice', method: 'sso' }));
  });

  it('defaults to English and no theme for unknown values', async () => {
    const res = await sso(await sign({ sub: 'bob' }), '&lang=de_DE&theme=%3Cscript%3E');
    expect(res.status).toBe(303);
    expect(res.location).toBe('./#/?embedded=1&lang=en');
  });

  it('from "Create a filter…": lands on the rule editor with the message’s values, encoded, and nothing else of the query', async () => {
    const token = await sign({ sub: 'bob' });
    const values = new URLSearchParams({ next: 'filter-from-message', from: 'a+b@example.org', listId: 'l.example.org', subject: 'Νέα\r\n<b>&x', other: 'dropped' });
    const res = await sso(token, `&lang=el_GR&theme=light&${values.toString()}`);
    expect(res.status).toBe(303);
    expect(res.location).toBe(
      './#/filters/new?embedded=1&lang=el&theme=light&from=a%2Bb%40example.org&listId=l.example.org&subject=%CE%9D%CE%AD%CE%B1%0D%0A%3Cb%3E%26x&source=message',
    );
    expect(res.location).not.toContain(token.slice(-20));
    expect(res.cookies).toHaveLength(1);
  });

  it('may be framed only by the webmail origin (CSP frame-ancestors, no X-Frame-Options)', async () => {
    for (const path of ['/sso', '/']) {
      const res = await fetch(server.url + path, { redirect: 'manual' });
      expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors ${WEBMAIL}`);
      expect(res.headers.get('x-frame-options')).toBeNull();
    }
  });
});

describe('GET /sso refuses, with a "please sign in" page and no cookie', () => {
  it('a replayed token', async () => {
    const token = await sign();
    expect((await sso(token)).status).toBe(303);
    expectRefused(await sso(token));
    expect(server.logs).toContainEqual(expect.objectContaining({ event: 'sso_refused', reason: 'replayed' }));
  });

  it('an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectRefused(await sso(await sign({ iat: now - 90, exp: now - 30 })));
  });

  it('a token that would live longer than 60 s', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectRefused(await sso(await sign({ iat: now, exp: now + 3600 })));
  });

  it('a token for another audience', async () => {
    expectRefused(await sso(await sign({ aud: 'https://other.example' })));
  });

  it('a token from another issuer', async () => {
    expectRefused(await sso(await sign({ iss: 'https://evil.example' })));
  });

  it('a token signed with the wrong key', async () => {
    expectRefused(await sso(await sign({}, new Uint8Array(randomBytes(32)))));
  });

  it('an unsigned token (alg none)', async () => {
    const token = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims()))}.`;
    expectRefused(await sso(token));
  });

  it('a token signed with EdDSA while HS256 is configured', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expectRefused(await sso(await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey)));
  });

  it('malformed tokens, and none at all', async () => {
    for (const token of ['x', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9.e30', 'a'.repeat(5000)]) expectRefused(await sso(token));
    expectRefused(await sso(null));
    expectRefused(await sso(''));
  });

  it('a token without jti, sub, exp or iat', async () => {
    for (const missing of ['jti', 'sub', 'exp', 'iat']) expectRefused(await sso(await sign({ [missing]: undefined })));
  });

  it('a token for a user the directory does not know', async () => {
    expectRefused(await sso(await sign({ sub: 'mallory' })));
    expect(server.logs).toContainEqual(expect.objectContaining({ event: 'sso_refused', reason: 'unknown_user', uid: 'mallory' }));
  });

  it('in Greek when Roundcube’s language is Greek', async () => {
    expectRefused(await sso(await sign({ aud: 'nope' }), '&lang=el_GR'), 'el');
  });

  it('keeps a session the browser already had (a bad token signs nobody out)', async () => {
    const first = await sso(await sign({ sub: 'carol' }));
    const cookie = (first.cookies[0] ?? '').split(';')[0] ?? '';
    const res = await fetch(`${server.url}/sso?token=junk`, { headers: { ...FRAME, cookie }, redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await me(cookie)).toEqual({ status: 200, uid: 'carol' });
  });
});

describe('GET /sso refuses login CSRF', () => {
  const cookieOf = (res: { cookies: string[] }) => (res.cookies[0] ?? '').split(';')[0] ?? '';

  it('a cross-site top-level navigation with a valid token for another account', async () => {
    const victim = await sso(await sign({ sub: 'bob' }));
    const attackersToken = await sign({ sub: 'carol' });
    const res = await sso(attackersToken, '', { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site', cookie: cookieOf(victim) });
    expectRefused(res);
    expect(await me(cookieOf(victim))).toEqual({ status: 200, uid: 'bob' });
    expect(server.logs.some((l) => l.event === 'sso_refused' && l.reason === 'not_framed')).toBe(true);
  });

  it('a top-level navigation from the webmail’s own site, a typed URL, and a request without Fetch Metadata', async () => {
    const contexts: Array<Record<string, string>> = [
      { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of contexts) {
      expectRefused(await sso(await sign({ sub: 'carol' }), '', headers));
    }
  });

  it('a frame on another site when the cookie is not partitioned', async () => {
    expectRefused(await sso(await sign({ sub: 'carol' }), '', { ...FRAME, 'sec-fetch-site': 'cross-site' }));
    expect(server.logs.some((l) => l.event === 'sso_refused' && l.reason === 'cross_site')).toBe(true);
  });

  it('never replaces a live session of another user: says so, and both stay as they were', async () => {
    const victim = await sso(await sign({ sub: 'bob' }));
    const res = await sso(await sign({ sub: 'carol' }), '&lang=el_GR', { ...FRAME, cookie: cookieOf(victim) });
    expect(res.status).toBe(409);
    expect(res.cookies).toEqual([]);
    expect(res.text).toContain('Είναι συνδεδεμένος άλλος χρήστης');
    expect(res.text).not.toContain('carol');
    expect(await me(cookieOf(victim))).toEqual({ status: 200, uid: 'bob' });
  });

  it('the same user again gets a fresh session, and the one it replaces ends', async () => {
    const first = await sso(await sign({ sub: 'alice' }));
    const again = await sso(await sign({ sub: 'alice' }), '', { ...FRAME, cookie: cookieOf(first) });
    expect(again.status).toBe(303);
    expect(await me(cookieOf(again))).toEqual({ status: 200, uid: 'alice' });
    expect((await me(cookieOf(first))).status).toBe(401);
  });

  it('a session that already ended does not block another user', async () => {
    const ended = await sso(await sign({ sub: 'bob' }));
    const { csrfToken } = (await (await fetch(`${server.url}/api/me`, { headers: { cookie: cookieOf(ended) } })).json()) as { csrfToken: string };
    const out = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie: cookieOf(ended), origin: server.url, 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    const res = await sso(await sign({ sub: 'carol' }), '', { ...FRAME, cookie: cookieOf(ended) });
    expect(res.status).toBe(303);
  });
});

describe('GET /sso when SSO is off, and with EdDSA or partitioned cookies', () => {
  it('refuses every token when config.sso is null', async () => {
    const off = await startTestServer((config) => ({ ...config, sso: null }));
    try {
      const res = await fetch(`${off.url}/sso?token=${await sign()}`, { redirect: 'manual', headers: FRAME });
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie()).toEqual([]);
    } finally {
      await off.close();
    }
  });

  it('EdDSA: accepts the private key’s token; refuses HS256 keyed with the public key; sets a partitioned SameSite=None cookie', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const ed = await startTestServer((config) => ({
      ...config,
      session: { ...config.session, sameSite: 'none', partitioned: true },
      sso: { issuer: ISSUER, audience: AUDIENCE, algorithm: 'EdDSA', key: publicKey, maxAgeSeconds: 30, clockToleranceSeconds: 0 },
    }));
    try {
      const good = await new SignJWT(claims({ sub: 'gandre01', exp: Math.floor(Date.now() / 1000) + 30 })).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey);
      // A partitioned cookie may be set in a cross-site frame: it stays in that top-level site's jar.
      const ok = await fetch(`${ed.url}/sso?token=${good}`, { redirect: 'manual', headers: { ...FRAME, 'sec-fetch-site': 'cross-site' } });
      expect(ok.status).toBe(303);
      const cookie = ok.headers.getSetCookie()[0] ?? '';
      expect(cookie).toMatch(/; HttpOnly; Secure; SameSite=None; Partitioned$/);

      const confused = await sign({}, new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
      const bad = await fetch(`${ed.url}/sso?token=${confused}`, { redirect: 'manual', headers: FRAME });
      expect(bad.status).toBe(401);
      expect(bad.headers.getSetCookie()).toEqual([]);

      // maxAgeSeconds 30: a 60-second token is refused.
      const now = Math.floor(Date.now() / 1000);
      const long = await new SignJWT(claims({ iat: now, exp: now + 60 })).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey);
      expect((await fetch(`${ed.url}/sso?token=${long}`, { redirect: 'manual', headers: FRAME })).status).toBe(401);
    } finally {
      await ed.close();
    }
  });
});
