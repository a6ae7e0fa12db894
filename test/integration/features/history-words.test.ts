import { describe, expect, it } from 'vitest';
import { featureTestContext } from '../../support/feature';
import type { ApiClient } from '../../support/http';
import { loadUser } from '../../support/stack';

// What the history says replaced each version: a code and values for the page to word in the
// user's language (issue 18: the Greek page showed "vacation on from 2026-12-09T00:00 (UTC)").
const USER = loadUser(77);
const ctx = featureTestContext(USER);

interface Entry {
  summary: string;
  change: { what: string; details: Record<string, unknown> } | null;
  timeZone: string;
}

async function put(api: ApiClient, path: string, body: object): Promise<void> {
  const view = await api.request('GET', path);
  const res = await api.request('PUT', path, { json: body, headers: { 'if-match': String(view.body.etag) } });
  expect(res.status, res.text).toBe(200);
}

describe('history: what replaced each version', () => {
  it('records vacation and spam saves as codes and values, with the account’s time zone; never the message', async () => {
    // The first save replaces no script: nothing to keep yet.
    await put(ctx.api, '/api/spam', { level: 'standard', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' });
    const message = 'Λείπω — «απόρρητο» μήνυμα';
    await put(ctx.api, '/api/vacation', {
      enabled: true, start: '2026-12-09T00:00', end: '2027-01-06T00:00', timeZone: 'America/New_York',
      subject: 'Εκτός γραφείου', message, intervalDays: 7, from: null,
    });
    await put(ctx.api, '/api/spam', { level: 'strict', threshold: null, folder: 'SPAM', discardAbove: null, allow: ['a@b.example'], block: [], blockAction: 'discard' });
    await put(ctx.api, '/api/vacation', {
      enabled: false, start: null, end: null, timeZone: 'Europe/Nicosia', subject: 'x', message: 'y', intervalDays: 7, from: null,
    });
    const res = await ctx.api.request('GET', '/api/script/history');
    expect(res.status, res.text).toBe(200);
    const list = res.body as unknown as Entry[];
    // Newest first: each version is described by the save that replaced it.
    expect(list[0]!.change).toEqual({ what: 'vacation', details: { enabled: false, timeZone: 'Europe/Nicosia' } });
    expect(list[1]!.change).toMatchObject({ what: 'spam', details: { level: 'strict', allowed: 1, blocked: 0 } });
    expect(list[2]!.change).toEqual({ what: 'vacation', details: { enabled: true, start: '2026-12-09T00:00', end: '2027-01-06T00:00', timeZone: 'America/New_York' } });
    for (const e of list) expect(e.timeZone).toBe(ctx.server.services.config.mail.timeZone);
    expect(res.text).not.toContain('απόρρητο');
  });
});
