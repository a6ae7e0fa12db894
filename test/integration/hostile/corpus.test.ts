import { randomBytes } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { EncryptJWT, SignJWT, base64url } from 'jose';
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, SSO_FRAME_HEADERS, requestOnOwnConnection } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, resetUser, userDn } from '../../support/stack';
import { activeScriptOf } from '../ops/instance';

// A corpus of hostile requests against every endpoint: Sieve/LDAP/IMAP injection strings in
// every field, oversize bodies, wrong content types, malformed JSON, Unicode edge cases, no or
// a wrong CSRF token, another user's ids, tampered/expired/foreign cookies, JWT algorithm
// confusion at /sso. Each must be a 4xx with a clear { code, message } — never a 5xx — and
// the user's script and LDAP entry must be exactly as before afterwards.
// Then the injection strings that are legitimate text (a vacation subject may contain `";`)
// are saved and must read back exactly, with the script still the app's own.

const UID = 'load194';
const OTHER = 'load195';
const SSO_SECRET = new Uint8Array(randomBytes(32));
const WATCHED = ['mail', 'mailAlternateAddress', 'mailForwardingAddress', 'amavisSpamTag2Level', 'amavisSpamKillLevel', 'amavisWhitelistSender', 'amavisBlacklistSender', 'userPassword'];

const INJECTIONS = [
  '"; discard; "',
  '";\r\ndiscard;\r\n#',
  'text:\r\ndiscard;\r\n.\r\n',
  '\\"; redirect "evil@example.net"; "',
  '${"\\x22"}',
  '*)(uid=*',
  '*)(|(mail=*))',
  'admin)(&)',
  '\\2a\\28\\29',
  'a1 LOGOUT\r\na2 DELETE INBOX',
  '{5}\r\nhello',
  'INBOX/../../etc',
  '\u0000',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '\ud83d\ude00'.repeat(3),
  'e\u0301\u0301\u0301\u0301',
  '\uFEFF\u200B',
  'x'.repeat(5000),
];

let server: TestServer;
let user: ApiClient;
let scriptBefore: string;
let entryBefore: Record<string, unknown>;

async function ldapEntry(uid: string): Promise<Record<string, unknown>> {
  const client = new Client({ url: LDAP.url });
  try {
    await client.bind(LDAP.admin.dn, LDAP.admin.password);
    const { searchEntries } = await client.search(userDn(uid), { scope: 'base', attributes: WATCHED });
    const entry = searchEntries[0] ?? {};
    return Object.fromEntries(WATCHED.map((a) => [a, (entry as Record<string, unknown>)[a] ?? null]));
  } finally {
    await client.unbind();
  }
}

interface Case {
  name: string;
  method: string;
  path: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  /** Send no CSRF token / use this client instead of the signed-in user. */
  csrf?: boolean;
  as?: 'user' | 'anonymous' | 'cookie';
  cookie?: string;
  /** Expected status (default: any 4xx). */
  status?: number;
  code?: string;
  /** A check endpoint: answers 200 { available: false, reason } rather than refusing. */
  check?: boolean;
}

const WRITES: Array<{ method: string; path: string; json: unknown; etag?: boolean; noBody?: boolean }> = [
  { method: 'PUT', path: '/api/vacation', json: { enabled: false, start: null, end: null, timeZone: 'Europe/Nicosia', subject: 's', message: 'm', intervalDays: 7, from: null }, etag: true },
  { method: 'PUT', path: '/api/spam', json: { level: 'standard', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' }, etag: true },
  { method: 'PUT', path: '/api/forwarding', json: { addresses: ['somebody@example.net'], keepCopy: true }, etag: true },
  { method: 'PUT', path: '/api/filters', json: { items: [] }, etag: true },
  { method: 'PUT', path: '/api/aliases/additional', json: { address: 'load194.hostile.alias' } },
  { method: 'PUT', path: '/api/script/raw', json: { text: 'keep;\r\n' }, etag: true },
  { method: 'POST', path: '/api/script/take-over', json: {} },
  { method: 'POST', path: '/api/quota/empty', json: { folder: 'SPAM', uidValidity: '1', uidNext: 1, expectedMessages: 0 } },
  { method: 'POST', path: '/api/folders', json: { name: 'Hostile' } },
  // Takes no body: whatever is sent is not read.
  { method: 'POST', path: '/api/scripts/emailng/activate', json: {}, noBody: true },
  {
    method: 'POST',
    path: '/api/filters/test',
    json: { rule: { id: 'new-1', name: 'x', enabled: true, match: 'all', conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'x' }], actions: [{ type: 'keep' }], stop: false } },
  },
];
const READS = ['/api/me', '/api/vacation', '/api/spam', '/api/forwarding', '/api/filters', '/api/overview', '/api/quota', '/api/aliases', '/api/lists', '/api/script/raw', '/api/script/history', '/api/scripts', '/api/folders'];

const etags: Record<string, string> = {};
let cookies: { tampered: string; expired: string; foreignKey: string; garbage: string; none: string };

function buildCases(): Case[] {
  const cases: Case[] = [];
  const ifMatch = (w: (typeof WRITES)[number]): Record<string, string> => (w.etag ? { 'if-match': etags[w.path] ?? '"x"' } : {});
  for (const w of WRITES) {
    const base = { method: w.method, path: w.path, headers: ifMatch(w) };
    cases.push({ ...base, name: `${w.path} no CSRF token`, json: w.json, csrf: false, status: 403, code: 'csrf' });
    cases.push({ ...base, name: `${w.path} wrong CSRF token`, json: w.json, headers: { ...base.headers, 'x-csrf-token': 'A'.repeat(32) }, status: 403, code: 'csrf' });
    cases.push({ ...base, name: `${w.path} another site's Origin`, json: w.json, headers: { ...base.headers, origin: 'https://evil.example' }, status: 403, code: 'csrf' });
    cases.push({ ...base, name: `${w.path} Sec-Fetch-Site cross-site`, json: w.json, headers: { ...base.headers, 'sec-fetch-site': 'cross-site' }, status: 403, code: 'csrf' });
    cases.push({ ...base, name: `${w.path} text/plain`, body: JSON.stringify(w.json), headers: { ...base.headers, 'content-type': 'text/plain' }, status: 415 });
    cases.push({ ...base, name: `${w.path} form-urlencoded`, body: 'a=1&b=2', headers: { ...base.headers, 'content-type': 'application/x-www-form-urlencoded' }, status: 415 });
    cases.push({ ...base, name: `${w.path} multipart`, body: '--x\r\n\r\n--x--', headers: { ...base.headers, 'content-type': 'multipart/form-data; boundary=x' }, status: 415 });
    if (!w.noBody) {
      cases.push({ ...base, name: `${w.path} malformed JSON`, body: '{"a": ', headers: { ...base.headers, 'content-type': 'application/json' }, status: 400 });
      cases.push({ ...base, name: `${w.path} JSON array`, body: '[1,2,3]', headers: { ...base.headers, 'content-type': 'application/json' } });
      cases.push({ ...base, name: `${w.path} JSON null`, body: 'null', headers: { ...base.headers, 'content-type': 'application/json' } });
      cases.push({ ...base, name: `${w.path} JSON string`, body: '"discard;"', headers: { ...base.headers, 'content-type': 'application/json' } });
      cases.push({ ...base, name: `${w.path} prototype pollution`, body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}', headers: { ...base.headers, 'content-type': 'application/json' } });
    }
    cases.push({ ...base, name: `${w.path} without a session`, json: w.json, as: 'anonymous' });
    cases.push({ ...base, name: `${w.path} tampered cookie`, json: w.json, as: 'cookie', cookie: cookies.tampered, status: 401, code: 'unauthenticated' });
    cases.push({ ...base, name: `${w.path} expired cookie`, json: w.json, as: 'cookie', cookie: cookies.expired, status: 401, code: 'unauthenticated' });
    cases.push({ ...base, name: `${w.path} cookie sealed with another key`, json: w.json, as: 'cookie', cookie: cookies.foreignKey, status: 401, code: 'unauthenticated' });
    if (w.path !== '/api/script/raw') {
      cases.push({ ...base, name: `${w.path} 300 KB body`, body: JSON.stringify({ pad: 'x'.repeat(300 * 1024) }), headers: { ...base.headers, 'content-type': 'application/json' }, status: 413, code: 'payload_too_large' });
    }
  }
  for (const path of READS) {
    for (const [kind, cookie] of Object.entries(cookies)) {
      cases.push({ name: `GET ${path} cookie ${kind}`, method: 'GET', path, as: 'cookie', cookie, status: 401, code: 'unauthenticated' });
    }
  }

  // Field values that must be refused, with the field named.
  const vacation = WRITES[0]!.json as Record<string, unknown>;
  const vac = (over: Record<string, unknown>, name: string): Case => ({ name: `vacation ${name}`, method: 'PUT', path: '/api/vacation', json: { ...vacation, ...over }, headers: { 'if-match': etags['/api/vacation']! }, status: 400, code: 'validation' });
  cases.push(
    vac({ subject: 'a\r\nBcc: x@example.net' }, 'subject with CRLF'),
    vac({ subject: 's'.repeat(5000) }, 'subject too long'),
    vac({ message: 'm'.repeat(200_000) }, 'message too long'),
    vac({ intervalDays: -1 }, 'negative interval'),
    vac({ intervalDays: 1e12 }, 'huge interval'),
    vac({ intervalDays: '7' }, 'interval as string'),
    vac({ intervalDays: 1.5 }, 'fractional interval'),
    vac({ timeZone: '../../etc/passwd' }, 'path as time zone'),
    vac({ timeZone: 'Europe/Nicosia"; discard;' }, 'injection in time zone'),
    vac({ start: '2025-13-45T99:99' }, 'impossible start'),
    vac({ from: `${OTHER}@cs.ucy.ac.cy` }, 'another user’s address as From'),
    vac({ from: '"; discard; "@cs.ucy.ac.cy' }, 'injection as From'),
    vac({ enabled: 'yes' }, 'enabled as string'),
    vac({ extra: 1 }, 'unknown field'),
  );
  for (const s of INJECTIONS.slice(0, 10)) cases.push(vac({ timeZone: s }, `time zone ${JSON.stringify(s).slice(0, 20)}`));
  const spam = WRITES[1]!.json as Record<string, unknown>;
  const sp = (over: Record<string, unknown>, name: string, status = 400): Case => ({ name: `spam ${name}`, method: 'PUT', path: '/api/spam', json: { ...spam, ...over }, headers: { 'if-match': etags['/api/spam']! }, status });
  cases.push(
    sp({ level: 'custom', threshold: 'NaN' }, 'threshold NaN'),
    sp({ level: 'custom', threshold: -5 }, 'negative threshold'),
    sp({ level: 'custom', threshold: 1e308 }, 'huge threshold'),
    sp({ level: 'admin' }, 'unknown level'),
    sp({ folder: 'SPAM\u0000' }, 'NUL in folder'),
    sp({ folder: '' }, 'empty folder'),
    sp({ allow: Array.from({ length: 500 }, (_, i) => `a${i}@example.net`) }, 'allow list too long'),
  );
  for (const s of INJECTIONS) cases.push(sp({ allow: [s] }, `allow entry ${JSON.stringify(s).slice(0, 24)}`));
  const fw = (addresses: unknown, name: string): Case => ({ name: `forwarding ${name}`, method: 'PUT', path: '/api/forwarding', json: { addresses, keepCopy: true }, headers: { 'if-match': etags['/api/forwarding']! }, status: 400, code: 'validation' });
  cases.push(fw([`${UID}@cs.ucy.ac.cy`], 'to herself'), fw(Array.from({ length: 30 }, (_, i) => `f${i}@example.net`), 'too many'), fw('x@example.net', 'not a list'));
  for (const s of INJECTIONS) cases.push(fw([`${s}@example.net`], `address ${JSON.stringify(s).slice(0, 24)}`));
  const alias = (address: unknown, name: string, status?: number): Case => ({ name: `alias ${name}`, method: 'PUT', path: '/api/aliases/additional', json: { address }, ...(status ? { status } : {}) });
  cases.push(alias('short', 'too short'), alias(`${OTHER}`, 'another user’s login'), alias(`load.user${OTHER.slice(4)}@cs.ucy.ac.cy`, 'another user’s alias'), alias('someone.else@example.net', 'another domain'), alias(42, 'a number'));
  for (const s of INJECTIONS) cases.push(alias(`${s}longenough`, `address ${JSON.stringify(s).slice(0, 24)}`));
  for (const s of ['*', '*)(uid=*', `${OTHER}`, 'a'.repeat(300), '%00', '\u0000x']) {
    cases.push({ name: `availability ${JSON.stringify(s)}`, method: 'GET', path: `/api/aliases/availability?address=${encodeURIComponent(s)}`, check: true });
  }
  for (const folder of ['INBOX', '../INBOX', 'SPAM\u0000', '*', '%', 'Trash" DELETE INBOX', `user.${OTHER}.SPAM`]) {
    cases.push({ name: `empty-preview ${JSON.stringify(folder)}`, method: 'GET', path: `/api/quota/empty-preview?folder=${encodeURIComponent(folder)}` });
  }
  for (const name of ['../emailng', `../../${OTHER}/sieve/emailng`, 'a"b', 'x'.repeat(300), '%00', 'emailng\r\nDELETESCRIPT "emailng"']) {
    cases.push({ name: `scripts/${JSON.stringify(name).slice(0, 20)}/activate`, method: 'POST', path: `/api/scripts/${encodeURIComponent(name)}/activate`, json: {} });
  }
  for (const id of ['../../etc/passwd', 'AAAA', `${OTHER}-1`, '%2e%2e', 'x'.repeat(500)]) {
    cases.push({ name: `history ${JSON.stringify(id).slice(0, 20)} restore`, method: 'POST', path: `/api/script/history/${encodeURIComponent(id)}/restore`, json: {}, headers: { 'if-match': '"x"' } });
  }
  for (const s of INJECTIONS.slice(0, 8)) {
    cases.push({ name: `sign-in username ${JSON.stringify(s).slice(0, 20)}`, method: 'POST', path: '/api/session', json: { username: s, password: 'x' }, as: 'anonymous' });
  }
  cases.push({ name: 'sign-in as another user with this session', method: 'POST', path: '/api/session', json: { username: OTHER, password: 'not-the-password' }, status: 401 });
  return cases;
}

async function run(c: Case): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  if (c.body !== undefined && c.body.length > 200_000) {
    const headers: Record<string, string> = { origin: server.url, cookie: user.cookie, 'x-csrf-token': user.csrfToken, ...c.headers };
    const res = await requestOnOwnConnection(server.url + c.path, { method: c.method, headers, body: c.body });
    return { status: res.status, body: res.body, text: JSON.stringify(res.body) };
  }
  let client = user;
  if (c.as === 'anonymous') client = new ApiClient(server.url);
  if (c.as === 'cookie') {
    client = new ApiClient(server.url);
    client.cookie = c.cookie ? `emailng_session=${c.cookie}` : '';
    client.csrfToken = user.csrfToken;
  }
  const saved = { cookie: client.cookie, csrf: client.csrfToken };
  const res = await client.request(c.method, c.path, { json: c.json, body: c.body, headers: c.headers, csrf: c.csrf });
  // A refused request must not sign the user out or in: keep the client as it was.
  client.cookie = saved.cookie;
  client.csrfToken = saved.csrf;
  return res;
}

beforeAll(async () => {
  await resetUser(UID);
  server = await startTestServer((config) => ({
    ...config,
    loginRateLimit: { maxFailuresPerAccount: 1000, maxFailuresPerAddress: 100_000, windowSeconds: 60 },
    aliases: { ...config.aliases, checksPerMinute: 1000 },
    sso: { issuer: 'rc', audience: 'app', algorithm: 'HS256', key: SSO_SECRET, maxAgeSeconds: 60, clockToleranceSeconds: 5 },
  }));
  user = new ApiClient(server.url);
  expect((await user.signIn(UID, 'load-pass')).status).toBe(200);
  // A starting point with content: a vacation reply and a spam setting.
  const v = await user.request('GET', '/api/vacation');
  expect((await user.request('PUT', '/api/vacation', { json: { ...(WRITES[0]!.json as object), enabled: true, subject: 'Original subject' }, headers: { 'if-match': String(v.body.etag) } })).status).toBe(200);
  for (const path of ['/api/vacation', '/api/spam', '/api/forwarding', '/api/filters', '/api/script/raw']) {
    const res = await user.request('GET', path);
    if (res.status === 200) etags[path] = String(res.body.etag);
  }
  const codec = server.services.sessions;
  const account = await server.services.directory.getAccount(UID);
  const sealed = user.cookie.split('=').slice(1).join('=');
  const flip = sealed.slice(0, 60) + (sealed[60] === 'A' ? 'B' : 'A') + sealed.slice(61);
  const old = codec.create(account!.uid, account!.dn, Math.floor(Date.now() / 1000) - 30 * 24 * 3600);
  const foreign = await new EncryptJWT({ uid: UID, dn: account!.dn, csrf: user.csrfToken, lst: Math.floor(Date.now() / 1000) })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuer('emailng-settings')
    .setJti('x'.repeat(22))
    .setIssuedAt()
    .setExpirationTime('1h')
    .encrypt(new Uint8Array(randomBytes(32)));
  cookies = { tampered: flip, expired: await codec.seal(old), foreignKey: foreign, garbage: 'x'.repeat(5000), none: '' };
  scriptBefore = await activeScriptOf(server.services.config, UID);
  entryBefore = await ldapEntry(UID);
  expect(scriptBefore).toContain('Original subject');
}, 60_000);
afterAll(async () => {
  await server?.close();
  await resetUser(UID);
});

describe('hostile input corpus', () => {
  it('refuses every hostile request with a clear 4xx, never a 5xx, and changes nothing', async () => {
    const cases = buildCases();
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const problems: string[] = [];
    for (const c of cases) {
      const res = await run(c);
      if (c.check) {
        if (res.status !== 200 || res.body.available !== false || typeof res.body.reason !== 'string') problems.push(`${c.name}: ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      const clear = typeof res.body.code === 'string' && typeof res.body.message === 'string' && String(res.body.message).length > 5;
      if (res.status >= 500 || res.status < 400) problems.push(`${c.name}: ${res.status} ${res.text.slice(0, 200)}`);
      else if (c.status !== undefined && res.status !== c.status) problems.push(`${c.name}: expected ${c.status}, got ${res.status} ${res.text.slice(0, 200)}`);
      else if (c.code !== undefined && res.body.code !== c.code) problems.push(`${c.name}: expected code ${c.code}, got ${String(res.body.code)}`);
      else if (!clear) problems.push(`${c.name}: ${res.status} without a clear { code, message }: ${res.text.slice(0, 120)}`);
    }
    expect(problems).toEqual([]);
    expect(server.logs.filter((l) => l.msg === 'unhandled error')).toEqual([]);
    expect(await activeScriptOf(server.services.config, UID)).toBe(scriptBefore);
    expect(await ldapEntry(UID)).toEqual(entryBefore);
    // The session still works.
    expect((await user.request('GET', '/api/me')).status).toBe(200);
  }, 180_000);

  it('refuses forged single sign-on tokens: alg none, HS256 with a public key, other algorithms, wrong claims', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'rc', aud: 'app', sub: UID, jti: randomBytes(18).toString('base64url'), iat: now, exp: now + 60 };
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const tokens: Record<string, string> = {
      'alg none': unsigned,
      'alg none, signature kept': `${unsigned}${base64url.encode('sig')}`,
      'HS256 keyed with a public key PEM': await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(pem)),
      'EdDSA instead of HS256': await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey),
      'HS512 with the right secret': await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(SSO_SECRET),
      'wrong secret': await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(randomBytes(32))),
      'another issuer': await new SignJWT({ ...claims, iss: 'evil' }).setProtectedHeader({ alg: 'HS256' }).sign(SSO_SECRET),
      'expired': await new SignJWT({ ...claims, iat: now - 600, exp: now - 300 }).setProtectedHeader({ alg: 'HS256' }).sign(SSO_SECRET),
      'sub injection': await new SignJWT({ ...claims, sub: '*)(uid=*' }).setProtectedHeader({ alg: 'HS256' }).sign(SSO_SECRET),
      'kid path traversal': await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: '../../../../dev/null' }).sign(new Uint8Array(32)),
      'crit header': await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', crit: ['exp'] } as never).sign(SSO_SECRET).catch(() => 'a.b.c'),
      'garbage': '%00%0d%0a',
    };
    for (const [name, token] of Object.entries(tokens)) {
      // From the webmail's frame, so each is refused for its token, not for where it came from.
      const res = await fetch(`${server.url}/sso?token=${encodeURIComponent(token)}`, { redirect: 'manual', headers: SSO_FRAME_HEADERS });
      const text = await res.text();
      expect(res.status, name).toBe(401);
      expect(res.headers.getSetCookie(), name).toEqual([]);
      expect(text, name).toContain('Please sign in');
    }
  });

  it('saves legitimate text that looks like injection and reads it back exactly', async () => {
    // Invisible format characters (bidi override, BOM, zero-width space) would make the reply
    // read otherwise than the page showed: refused by name, nothing changed (vacation/text.ts).
    const invisible = /(?![\u200C\u200D])\p{Cf}/u;
    const candidates = INJECTIONS.filter((s) => !s.includes('\u0000') && !/[\r\n]/.test(s) && s.length <= 200);
    for (const s of candidates.filter((c) => invisible.test(c))) {
      const view = await user.request('GET', '/api/vacation');
      const body = { ...(WRITES[0]!.json as object), enabled: true, subject: s, message: s };
      const res = await user.request('PUT', '/api/vacation', { json: body, headers: { 'if-match': String(view.body.etag) } });
      expect(res.status, JSON.stringify(s)).toBe(400);
      expect(res.body.fields, JSON.stringify(s)).toEqual({ subject: 'format_character', message: 'format_character' });
      expect((await user.request('GET', '/api/vacation')).body.etag).toBe(view.body.etag);
    }
    const legit = candidates.filter((c) => !invisible.test(c));
    expect(candidates.length - legit.length).toBe(2); // the bidi override and the BOM + zero-width space
    for (const s of legit) {
      const view = await user.request('GET', '/api/vacation');
      const body = { ...(WRITES[0]!.json as object), enabled: true, subject: s, message: `${s}\r\n.\r\n${s}` };
      const res = await user.request('PUT', '/api/vacation', { json: body, headers: { 'if-match': String(view.body.etag) } });
      expect(res.status, `${JSON.stringify(s)}: ${res.text.slice(0, 200)}`).toBe(200);
      const back = (await user.request('GET', '/api/vacation')).body.vacation as { subject: string; message: string };
      expect(back.subject, JSON.stringify(s)).toBe(s);
      expect(back.message.replace(/\r\n/g, '\n'), JSON.stringify(s)).toBe(`${s}\n.\n${s}`);
    }
    // Nothing escaped into the script as a command of its own.
    const script = await activeScriptOf(server.services.config, UID);
    expect(script).not.toMatch(/^\s*(discard|redirect)\b/m);
    expect(await ldapEntry(UID)).toEqual(entryBefore);
  }, 60_000);
});
