import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser, resetUser } from '../../support/stack';
import { activeScript, newRule, putFilters, subjectContains, withSieve } from './filters-support';

const USER = loadUser(38);
let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  await resetUser(USER.uid);
  api = new ApiClient(server.url);
  expect((await api.signIn(USER.uid, USER.password)).status).toBe(200);
});
afterAll(async () => {
  await server.close();
});

interface Entry {
  id: string;
  savedAt: string;
  summary: string;
  size: number;
}

describe('history of the app’s script', () => {
  it('keeps the previous versions (newest first, at most 10) and restores one byte for byte', async () => {
    const versions: string[] = [];
    // A raw version with odd bytes (LF only, trailing spaces, Greek) to prove exactness.
    const raw = (await api.request('GET', '/api/script/raw')).body as { etag: string };
    const odd = '# Δοκιμή  \n# tabs\there   \n';
    expect((await api.request('PUT', '/api/script/raw', { json: { text: odd }, headers: { 'if-match': raw.etag } })).status).toBe(200);
    versions.push(await activeScript(server, USER.uid));
    for (let i = 1; i <= 11; i++) {
      const res = await putFilters(api, [newRule({ name: `Version ${i}`, conditions: [subjectContains(`v${i}`)], actions: [{ type: 'keep' }] })]);
      expect(res.status, res.text).toBe(200);
      versions.push(await activeScript(server, USER.uid));
    }
    const list = (await api.request('GET', '/api/script/history')).body as unknown as Entry[];
    expect(list).toHaveLength(10);
    // Newest first: the version before the current one.
    const newest = (await api.request('GET', `/api/script/history/${list[0]!.id}`)).body as { text: string };
    expect(newest.text).toBe(versions[10]);
    expect(list[0]!.summary).toMatch(/filters: 1 rule/);
    expect(list[0]!.size).toBe(Buffer.byteLength(versions[10]!, 'utf8'));

    // The oldest kept is versions[1] (versions[0], the odd raw one, fell off after 10).
    const oldest = (await api.request('GET', `/api/script/history/${list[9]!.id}`)).body as { text: string };
    expect(oldest.text).toBe(versions[1]);

    const etag = ((await api.request('GET', '/api/script/raw')).body as { etag: string }).etag;
    expect((await api.request('POST', `/api/script/history/${list[4]!.id}/restore`, { json: {}, headers: { 'if-match': '"stale"' } })).status).toBe(409);
    expect((await api.request('POST', `/api/script/history/${list[4]!.id}/restore`, { json: {} })).status).toBe(428);
    const restored = await api.request('POST', `/api/script/history/${list[4]!.id}/restore`, { json: {}, headers: { 'if-match': etag } });
    expect(restored.status, restored.text).toBe(200);
    expect(await activeScript(server, USER.uid)).toBe(versions[6]);
    // The replaced text is now the newest kept version.
    const after = (await api.request('GET', '/api/script/history')).body as unknown as Entry[];
    expect(((await api.request('GET', `/api/script/history/${after[0]!.id}`)).body as { text: string }).text).toBe(versions[11]);
    expect((await api.request('GET', '/api/script/history/nope')).status).toBe(404);
  });

  it('restores an odd raw text exactly, and the history script is comments only (never acts)', async () => {
    const raw = (await api.request('GET', '/api/script/raw')).body as { etag: string };
    const odd = '# Δοκιμή  \n# tabs\there   \nkeep;\n';
    expect((await api.request('PUT', '/api/script/raw', { json: { text: odd }, headers: { 'if-match': raw.etag } })).status).toBe(200);
    const r2 = (await api.request('GET', '/api/script/raw')).body as { etag: string };
    expect((await api.request('PUT', '/api/script/raw', { json: { text: 'keep;\r\n' }, headers: { 'if-match': r2.etag } })).status).toBe(200);
    const list = (await api.request('GET', '/api/script/history')).body as unknown as Entry[];
    const r3 = (await api.request('GET', '/api/script/raw')).body as { etag: string };
    expect((await api.request('POST', `/api/script/history/${list[0]!.id}/restore`, { json: {}, headers: { 'if-match': r3.etag } })).status).toBe(200);
    expect(await activeScript(server, USER.uid)).toBe(odd);
    const history = await withSieve(server, USER.uid, (c) => c.getScript('emailng.history'));
    const withoutComments = history.replace(/\/\*[\s\S]*?\*\//g, '').replace(/#[^\n]*\n/g, '');
    expect(withoutComments.trim()).toBe('');
    await withSieve(server, USER.uid, (c) => c.checkScript(history));
  });
});
