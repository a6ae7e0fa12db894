import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { resetUser, startPiece, stopPiece } from '../../support/stack';
import { allRunning, saveVacation, signedIn } from './support';

// LDAP down: sign-in fails with a clear 503; users already signed in go on editing what lives
// in their Sieve script (vacation, spam, filters): the API uses the account as it last read it
// (backends/ldap/last-known.ts). What lives in LDAP (aliases) answers a clear 503.
// Stops slapd for a few seconds.

const UID = 'load189';
let server: TestServer;
let client: ApiClient;

beforeAll(async () => {
  await allRunning();
  await resetUser(UID);
  // A site whose spam settings live in Sieve only: with spam.amavisLdap (the local default) a
  // spam save also writes LDAP and is refused, changing nothing (integration/features/spam.test.ts).
  server = await startTestServer((config) => ({ ...config, ldap: { ...config.ldap, timeoutMs: 1000 }, spam: { ...config.spam, amavisLdap: false } }));
  client = await signedIn(server.url, UID);
  expect((await client.request('GET', '/api/me')).status).toBe(200);
}, 30_000);
afterAll(async () => {
  await allRunning();
  await server?.close();
});

describe('LDAP down', () => {
  it('refuses sign-in clearly; signed-in users still read and save vacation, spam and filters', async () => {
    try {
      await stopPiece('ldap');

      const signIn = await new ApiClient(server.url).signIn('load190', 'load-pass');
      expect(signIn.status).toBe(503);
      expect(signIn.body).toMatchObject({ code: 'directory_unavailable', message: expect.stringMatching(/directory \(LDAP\) is not answering/) });

      expect((await client.request('GET', '/api/me')).status).toBe(200);
      const saved = await saveVacation(client, 'saved while LDAP was down');
      expect(saved.status, saved.text).toBe(200);
      const spam = await client.request('GET', '/api/spam');
      expect(spam.status).toBe(200);
      const spamSaved = await client.request('PUT', '/api/spam', {
        json: { level: 'lenient', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' },
        headers: { 'if-match': String(spam.body.etag) },
      });
      expect(spamSaved.status, spamSaved.text).toBe(200);
      const filters = await client.request('GET', '/api/filters');
      if (filters.status !== 404) {
        expect(filters.status).toBe(200);
        const rule = { kind: 'rule', id: 'new-1', name: 'While LDAP was down', enabled: true, match: 'all', conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'x' }], actions: [{ type: 'keep' }], stop: false };
        const put = await client.request('PUT', '/api/filters', { json: { items: [rule] }, headers: { 'if-match': String(filters.body.etag) } });
        expect(put.status, put.text).toBe(200);
      }
      // What lives in the directory cannot change now, and says so.
      const alias = await client.request('PUT', '/api/aliases/additional', { json: { address: 'load189.while.down' } });
      expect(alias.status).toBe(503);
      expect(alias.body.code).toBe('directory_unavailable');
    } finally {
      await startPiece('ldap');
    }
    // And sign-in works again by itself.
    expect((await new ApiClient(server.url).signIn('load190', 'load-pass')).status).toBe(200);
    const view = await client.request('GET', '/api/vacation');
    expect((view.body.vacation as { subject: string }).subject).toBe('saved while LDAP was down');
  }, 60_000);
});
