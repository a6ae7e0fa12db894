import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { resetUser, startPiece, stopPiece } from '../../support/stack';
import { activeScriptOf } from '../ops/instance';
import { allRunning, saveVacation, signedIn, vacationBody } from './support';

// Both directors down: clear 503s naming the mail servers, nothing half-written, and the
// service comes back by itself when one director returns (no new sign-in needed).
// Stops theano and elysso together for a few seconds.

const UID = 'load186';
let server: TestServer;
let client: ApiClient;

beforeAll(async () => {
  await allRunning();
  await resetUser(UID);
  server = await startTestServer((config) => ({ ...config, mailTransport: { ...config.mailTransport, connectTimeoutMs: 1000, commandTimeoutMs: 2000 } }));
  client = await signedIn(server.url, UID);
  expect((await saveVacation(client, 'before the outage')).status).toBe(200);
}, 30_000);
afterAll(async () => {
  await allRunning();
  await server?.close();
});

describe('both directors down', () => {
  it('answers 503 mail_unavailable, writes nothing, and recovers by itself when elysso returns', async () => {
    const before = await activeScriptOf(server.services.config, UID);
    const etag = String((await client.request('GET', '/api/vacation')).body.etag);
    try {
      await stopPiece('theano');
      await stopPiece('elysso');

      for (const [method, path, json] of [
        ['GET', '/api/vacation', undefined],
        ['GET', '/api/spam', undefined],
        ['PUT', '/api/vacation', vacationBody('during the outage')],
      ] as const) {
        const started = performance.now();
        const res = await client.request(method, path, { json, headers: method === 'PUT' ? { 'if-match': etag } : {} });
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(503);
        expect(res.body).toMatchObject({ code: 'mail_unavailable', message: expect.stringMatching(/mail servers are not answering/) });
        expect(performance.now() - started).toBeLessThan(5000);
      }
      // The overview still answers, naming what it could not read.
      const overview = await client.request('GET', '/api/overview');
      expect([200, 503]).toContain(overview.status);
      if (overview.status === 200) expect(overview.body.unavailable).toEqual(expect.arrayContaining(['script']));
      // A new sign-in says the same, clearly.
      const fresh = await new (client.constructor as typeof ApiClient)(server.url).signIn('load187', 'load-pass');
      expect(fresh.status).toBe(503);
      expect(fresh.body.code).toBe('mail_unavailable');

      await startPiece('elysso');
      // Back by itself: the same session works again, on the next request.
      const after = await saveVacation(client, 'after the outage');
      expect(after.status, after.text).toBe(200);
    } finally {
      await startPiece('elysso').catch(() => undefined);
      await startPiece('theano');
    }
    const script = await activeScriptOf(server.services.config, UID);
    expect(script).not.toContain('during the outage');
    expect(script).toContain('after the outage');
    expect(before).toContain('before the outage');
  }, 60_000);
});
