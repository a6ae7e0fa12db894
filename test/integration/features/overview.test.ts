import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpamDelivery } from '../../../api/src/features/spam/delivery';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { USERS, deliverMessage, loadUser, mailboxMessages, makeMessage, resetUser } from '../../support/stack';

// A user of this file only: others test on the same stack at the same time.
const USER = loadUser(67);
// The delivery matrix's own user.
const MATRIX = loadUser(68);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function inNicosia(days: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Nicosia', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + days * 86_400_000));
  return `${parts}T00:00`;
}

async function put(api: ApiClient, path: string, json: unknown) {
  const etag = ((await api.request('GET', path)).body.etag as string) ?? '';
  const res = await api.request('PUT', path, { json, headers: { 'if-match': etag } });
  expect(res.status, path).toBe(200);
}

describe('overview', () => {
  it('shows quota, vacation, forwarding, spam, filters and addresses in one call', async () => {
    await resetUser(USER.uid);
    const api = new ApiClient(server.url);
    await api.signIn(USER.uid, USER.password);
    await put(api, '/api/vacation', {
      enabled: true, start: null, end: inNicosia(3), timeZone: 'Europe/Nicosia', subject: 'Away', message: 'Back soon', intervalDays: 7, from: null,
    });
    await put(api, '/api/forwarding', { addresses: ['elsewhere@example.net'], keepCopy: true });
    await put(api, '/api/spam', { level: 'strict', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' });
    for (let i = 0; i < 2; i++) await deliverMessage({ to: USER.uid, raw: makeMessage({ to: USER.mail, subject: `overview ${i}`, body: 'x'.repeat(2000) }) });

    const res = await api.request('GET', '/api/overview');
    expect(res.status).toBe(200);
    const o = res.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(o.uid).toBe(USER.uid);
    expect(o.addresses.map((a: { address: string }) => a.address)).toEqual([USER.mail, USER.alias]);
    expect(o.vacation).toMatchObject({ enabled: true, end: inNicosia(3) });
    expect([2, 3]).toContain(o.vacation.endsInDays); // 3 days at midnight Nicosia: 2.x days from now, rounded up
    expect(o.forwarding).toEqual({ addresses: ['elsewhere@example.net'], keepCopy: true });
    expect(o.spam).toEqual({ level: 'strict', threshold: 4, delivery: { filing: 'score', folder: 'SPAM', from: 4, discardFrom: null } });
    expect(o.filters).toEqual({ rules: 0, custom: 0 });
    // Two delivered messages, plus the forwarding notice (and its forwarded copies are elsewhere).
    expect(o.quota.messages.used).toBe(3);
    expect(o.quota.storage.usedBytes).toBeGreaterThan(4000);
    expect(o.quota.storage.limitBytes).toBe(USER.quotaBytes);
    expect(o.unavailable).toEqual([]);
  });

  it('lists the user’s mailing lists', async () => {
    const api = new ApiClient(server.url);
    await api.signIn(USERS.alice.uid, USERS.alice.password);
    const o = (await api.request('GET', '/api/overview')).body as { lists: Array<{ cn: string }> };
    expect(o.lists.map((l) => l.cn)).toEqual(['cs-staff', 'seminar-list']);
  });

  it('still shows the rest when the mailbox cannot be read, and says which part is missing', async () => {
    const noImap = await startTestServer((c) => ({ ...c, directors: c.directors.map((d) => ({ ...d, imapPort: 9 })) }));
    try {
      const api = new ApiClient(noImap.url);
      await api.signIn(USER.uid, USER.password);
      const o = (await api.request('GET', '/api/overview')).body as Record<string, unknown>;
      expect(o.unavailable).toEqual(['quota']);
      expect(o.quota).toBeNull();
      expect(o.vacation).toMatchObject({ enabled: true });
    } finally {
      await noImap.close();
    }
  });
});

type Delivery = SpamDelivery;

const SITE_TAG_LEVEL = 6.31;
let sent = 0;

/** Delivers a message as the relays would pass it on (flagged at the site's tag level) and
 *  says where it landed. */
async function landing(score: number): Promise<string> {
  sent += 1;
  const subject = `matrix ${process.pid} ${Date.now()} ${sent} score ${score}`;
  const headers: Record<string, string> = { 'X-Spam-Score': score.toFixed(3), ...(score >= SITE_TAG_LEVEL ? { 'X-Spam-Flag': 'YES' } : {}) };
  await deliverMessage({ to: MATRIX.uid, raw: makeMessage({ to: MATRIX.mail, subject, headers }) });
  for (const folder of ['INBOX', 'SPAM', 'Junk']) if ((await mailboxMessages(MATRIX.uid, folder)).some((m) => m.includes(subject))) return folder;
  return 'nowhere';
}

/** Where the overview's sentence says a message with this score goes. */
function promised(d: Delivery, score: number): string {
  if (d.filing === 'none' || d.filing === 'foreign') return 'INBOX';
  if (d.discardFrom !== null && score >= d.discardFrom) return 'nowhere';
  return score >= d.from ? d.folder : 'INBOX';
}

describe('what the overview says about spam is what delivery does', () => {
  const spam = (level: string, extra: Record<string, unknown> = {}) => ({ level, threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard', ...extra });
  const cases: Array<[string, Record<string, unknown> | null, Delivery['filing']]> = [
    ['no script of her own (the site default runs)', null, 'flagged'],
    ['Off', spam('off'), 'none'],
    ['Lenient', spam('lenient'), 'score'],
    ['Standard', spam('standard'), 'flagged'],
    ['Strict', spam('strict'), 'score'],
    ['Custom 6.31 into Junk, deleting from 15', spam('custom', { threshold: 6.31, folder: 'Junk', discardAbove: 15 }), 'score'],
  ];

  it.each(cases)('%s', async (_name, body, filing) => {
    await resetUser(MATRIX.uid);
    const api = new ApiClient(server.url);
    await api.signIn(MATRIX.uid, MATRIX.password);
    if (body) await put(api, '/api/spam', body);
    const delivery = ((await api.request('GET', '/api/overview')).body.spam as { delivery: Delivery }).delivery;
    expect(delivery.filing).toBe(filing);
    // Both sides of every boundary the sentence names, and the two ends of the scale.
    const scores = new Set([0, 3, 19.9, SITE_TAG_LEVEL - 0.01, SITE_TAG_LEVEL]);
    if (delivery.filing === 'flagged' || delivery.filing === 'score') {
      for (const b of [delivery.from, delivery.discardFrom]) if (b !== null) [b - 0.001, b].forEach((s) => scores.add(Math.round(s * 1000) / 1000));
    }
    for (const score of [...scores].sort((a, b) => a - b)) expect(await landing(score), `score ${score}`).toBe(promised(delivery, score));
  });
});
