import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, SSO_FRAME_HEADERS } from '../../support/http';
import { deliverMessage, makeMessage, resetUser } from '../../support/stack';
import { asSieveUser, startInstance, type Instance } from './instance';

// The audit stream (config logging.auditFile): every settings change and every sign-in/out,
// with who and from where, in its own file; the access log and the rest stay on the main stream.

const USER = 'load175';
const SECRET = new Uint8Array(randomBytes(32));
let dir: string;
let auditFile: string;
let api: Instance;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'emailng-audit-'));
  auditFile = path.join(dir, 'audit', 'audit.log');
  await resetUser(USER);
  api = await startInstance((config) => ({
    ...config,
    logging: { level: 'info', auditFile },
    sso: { issuer: 'rc', audience: 'app', algorithm: 'HS256', key: SECRET, maxAgeSeconds: 60, clockToleranceSeconds: 5 },
  }));
}, 30_000);
afterAll(async () => {
  await api?.close();
  await resetUser(USER);
  rmSync(dir, { recursive: true, force: true });
});

function auditLines(): Array<Record<string, unknown>> {
  return readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function etagOf(client: ApiClient, route: string): Promise<string> {
  const res = await client.request('GET', route);
  expect(res.status, route).toBe(200);
  return String(res.body.etag);
}

describe('audit stream', () => {
  it('records every kind of change and sign-in/out in its own file, none on the main stream', async () => {
    // Something in SPAM to empty (the site default files flagged mail there).
    await deliverMessage({ to: USER, raw: makeMessage({ to: `${USER}@cs.ucy.ac.cy`, subject: 'spam for the audit test', headers: { 'X-Spam-Flag': 'YES', 'X-Spam-Score': '9.5' } }) });
    // Another script active, to be taken over.
    await asSieveUser(api.services.config, USER, async (c) => {
      await c.putScript('roundcube', 'require ["fileinto"];\r\n# rule:[x]\r\nif header :contains "subject" "x" { fileinto "INBOX"; }\r\n');
      await c.setActive('roundcube');
    });

    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ iss: 'rc', aud: 'app', sub: USER, jti: randomBytes(18).toString('base64url'), iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(SECRET);
    expect((await fetch(`${api.url}/sso?token=${token}`, { redirect: 'manual', headers: SSO_FRAME_HEADERS })).status).toBe(303);

    const user = new ApiClient(api.url);
    expect((await new ApiClient(api.url).signIn(USER, 'wrong')).status).toBe(401);
    expect((await user.signIn(USER, 'load-pass')).status).toBe(200);
    expect((await user.request('POST', '/api/script/take-over', { json: {} })).status).toBe(200);
    const vacation = { enabled: true, start: null, end: null, timeZone: 'Europe/Nicosia', subject: 'Away', message: 'Back soon.', intervalDays: 7, from: null };
    expect((await user.request('PUT', '/api/vacation', { json: vacation, headers: { 'if-match': await etagOf(user, '/api/vacation') } })).status).toBe(200);
    const spam = { level: 'strict', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' };
    expect((await user.request('PUT', '/api/spam', { json: spam, headers: { 'if-match': await etagOf(user, '/api/spam') } })).status).toBe(200);
    const forwarding = { addresses: ['audit-test@example.net'], keepCopy: true };
    expect((await user.request('PUT', '/api/forwarding', { json: forwarding, headers: { 'if-match': await etagOf(user, '/api/forwarding') } })).status).toBe(200);
    const alias = `load175.audit.${randomBytes(3).toString('hex')}`;
    expect((await user.request('PUT', '/api/aliases/additional', { json: { address: alias } })).status).toBe(200);
    expect((await user.request('DELETE', '/api/aliases/additional')).status).toBe(200);
    const preview = await user.request('GET', '/api/quota/empty-preview?folder=SPAM');
    expect(preview.status).toBe(200);
    const { uidValidity, uidNext, messages } = preview.body as { uidValidity: string; uidNext: number; messages: number };
    expect((await user.request('POST', '/api/quota/empty', { json: { folder: 'SPAM', uidValidity, uidNext, expectedMessages: messages } })).status).toBe(200);
    expect((await user.request('DELETE', '/api/session')).status).toBe(204);

    const lines = auditLines();
    const mine = lines.filter((l) => l.uid === USER);
    const changes = mine.filter((l) => l.log === 'audit').map((l) => String(l.change ?? l.event));
    expect(changes).toEqual([
      'took over script "roundcube"',
      expect.stringMatching(/^vacation on/),
      expect.stringMatching(/^spam strict/),
      expect.stringMatching(/^forwarding to 1 address/),
      // An alias change is two: the directory's, and the vacation :addresses that follow it.
      'vacation addresses follow the user’s aliases',
      'alias_set',
      'vacation addresses follow the user’s aliases',
      'alias_removed',
      'folder_emptied',
    ]);
    const auth = mine.filter((l) => l.log === 'auth').map((l) => `${String(l.event)}${l.method ? `:${String(l.method)}` : ''}`);
    expect(auth).toEqual(['login:sso', 'login_failed', 'login:password', 'logout']);
    // Who, what, from where, when — on every line.
    for (const l of mine) {
      expect(l.client, JSON.stringify(l)).toBe('127.0.0.1');
      expect(l.time).toEqual(expect.any(String));
    }
    // The main stream keeps the access log and nothing of the audit stream.
    expect(api.mainLines.some((l) => l.log === 'access')).toBe(true);
    expect(api.mainLines.filter((l) => l.log === 'audit' || l.log === 'auth')).toEqual([]);
    expect(lines.filter((l) => l.log === 'access')).toEqual([]);
    // Never a password, cookie or token in it.
    const raw = readFileSync(auditFile, 'utf8');
    for (const secret of ['load-pass', token, user.csrfToken]) expect(raw).not.toContain(secret);
  });
});
