import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser } from '../../support/stack';
import { deliverSubject, freshUser, newRule, subjectContains, type RuleBody } from '../features/filters-support';

// Work that scans a mail folder runs one at a time per user, and only so often: past either,
// 429 scan_limited with Retry-After. Another user is not held up.

const USER = loadUser(155);
const OTHER = loadUser(159);
let server: TestServer;
let api: ApiClient;

const strip = ({ kind: _k, ...rule }: RuleBody): Record<string, unknown> => rule;
const rule = strip(newRule({ conditions: [subjectContains('invoice')], actions: [{ type: 'keep' }] }));

beforeAll(async () => {
  server = await startTestServer((config) => ({ ...config, scanLimit: { maxPerWindow: 4, windowSeconds: 120 } }));
  api = await freshUser(server, USER.uid);
  for (let i = 0; i < 20; i++) await deliverSubject(USER.uid, `Invoice ${i}`);
});
afterAll(async () => {
  await server.close();
});

describe('folder scans per user', () => {
  it('runs one at a time, then refuses past the window’s limit, saying when to retry', async () => {
    const together = await Promise.all(Array.from({ length: 6 }, () => api.request('POST', '/api/filters/test', { json: { rule } })));
    const busy = together.filter((r) => r.status === 429);
    const ran = together.filter((r) => r.status === 200).length;
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(ran + busy.length).toBe(6);
    for (const r of busy) {
      expect(r.body.code).toBe('scan_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }

    // Four may start in the window; the apply preview and emptying a folder count too.
    const kinds = [
      () => api.request('POST', '/api/filters/apply/preview', { json: { rule: strip(newRule({ conditions: [subjectContains('invoice')], actions: [{ type: 'addflag', flags: ['\\Seen'] }] })) } }),
      () => api.request('GET', '/api/quota/empty-preview?folder=Trash'),
      () => api.request('POST', '/api/filters/test', { json: { rule } }),
    ];
    let started = ran;
    for (const run of kinds) {
      if (started >= 4) break;
      const res = await run();
      expect(res.status, res.text).toBe(200);
      started += 1;
    }
    while (started < 4) {
      expect((await api.request('POST', '/api/filters/test', { json: { rule } })).status).toBe(200);
      started += 1;
    }
    for (const run of kinds) {
      const refused = await run();
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('scan_limited');
      expect(refused.body.retryAfter).toBeGreaterThan(0);
      expect(refused.body.retryAfter).toBeLessThanOrEqual(120);
      expect(refused.headers.get('retry-after')).toBe(String(refused.body.retryAfter));
    }
    // Other requests of the same user are not limited.
    expect((await api.request('GET', '/api/filters')).status).toBe(200);
  });

  it('does not hold up another user', async () => {
    const other = await freshUser(server, OTHER.uid);
    expect((await other.request('POST', '/api/filters/test', { json: { rule } })).status).toBe(200);
  });

  it('a signed-out request is refused as before, without taking a slot', async () => {
    const res = await fetch(`${server.url}/api/filters/test`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ rule }) });
    expect(res.status).toBe(401);
  });
});
