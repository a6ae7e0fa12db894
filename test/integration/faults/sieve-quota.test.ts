import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { resetUser } from '../../support/stack';
import { activeScriptOf } from '../ops/instance';
import { saveVacation, signedIn } from './support';

// ManageSieve quota exceeded (the script is over the server's sieve_max_script_size, 1 MiB by
// default; HAVESPACE says NO (QUOTA/MAXSIZE)): a clear error with the server's words, and the
// script that was active stays active, byte for byte, still answering with the vacation reply.

const UID = 'load193';
let server: TestServer;
let client: ApiClient;

beforeAll(async () => {
  await resetUser(UID);
  server = await startTestServer();
  client = await signedIn(server.url, UID);
}, 30_000);
afterAll(async () => {
  await server?.close();
  await resetUser(UID);
});

describe('ManageSieve quota exceeded', () => {
  it('answers a clear 413 and keeps the old script active', async () => {
    expect((await saveVacation(client, 'still away')).status).toBe(200);
    const before = await activeScriptOf(server.services.config, UID);
    const raw = await client.request('GET', '/api/script/raw');
    expect(raw.status).toBe(200);
    const huge = `${String(raw.body.text)}# ${'x'.repeat(1024 * 1024 + 10)}\r\n`;
    const res = await client.request('PUT', '/api/script/raw', { json: { text: huge }, headers: { 'if-match': String(raw.body.etag) } });
    expect(res.status, res.text).toBe(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/mail server does not take a script of \d+ bytes.*nothing was saved/) });
    expect(await activeScriptOf(server.services.config, UID)).toBe(before);
    const vacation = await client.request('GET', '/api/vacation');
    expect(vacation.body.vacation).toMatchObject({ enabled: true, subject: 'still away' });
    // And the next ordinary save works.
    expect((await saveVacation(client, 'back on the 5th')).status).toBe(200);
  });
});
