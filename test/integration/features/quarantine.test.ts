// Held mail, end to end on the stack's real content filter: messages sent in through amavisd
// (SpamAssassin, the EICAR check, banned files, the user's block list in LDAP) are held in its
// SQL quarantine; the API lists, previews, releases over AM.PDP and deletes them, for their
// recipient only.
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR, GTUBE, filterMessage, sendThroughFilter } from '../../support/content-filter';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, loadUser, mailboxMessages, resetUser, startPiece, userDn } from '../../support/stack';

// This file's own users: others test on the same stack at the same time.
const USER = loadUser(156);
const OTHER = loadUser(157);
const APPROVER = loadUser(158);
/** The helpdesk's group for this file's server only (quarantine.approverGroup). */
const HELPDESK_GROUP = `helpdesk-test-${process.pid}`;
const helpdeskGroupDn = `cn=${HELPDESK_GROUP},${LDAP.groupsDn}`;
const BLOCKED = 'pest@example.org';
const SENDER = 'Lab Tester <tester@example.org>';

let server: TestServer;
let api: ApiClient;
let otherApi: ApiClient;
let approverApi: ApiClient;
let ldap: Client;
let admin: Client;
let n = 0;
const token = `q${process.pid}x${Date.now()}`;
const subject = (what: string) => `${what} ${token}-${++n}`;

const eicar = { name: 'readme.txt', type: 'application/octet-stream', content: Buffer.from(EICAR, 'latin1') };
const exe = {
  name: 'invoice.exe',
  type: 'application/octet-stream',
  content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('This program cannot be run in DOS mode.\r\n')]),
};

interface Held {
  id: string;
  subject: string;
  reason: string;
  detail: string | null;
  score: number | null;
  sender: string;
  from: string;
  status: string;
  release: string;
  deleteAfter: string;
  receivedAt: string;
}

async function send(to: string, what: string, opts: { from?: string; body?: string; attachments?: Array<typeof exe> } = {}) {
  const s = subject(what);
  const from = opts.from ?? 'tester@example.org';
  const raw = filterMessage({ from: opts.from ?? SENDER, to, subject: s, body: opts.body ?? 'Hello, see you at the seminar.', attachments: opts.attachments });
  const result = await sendThroughFilter({ from, to, raw });
  return { subject: s, raw, result };
}

async function held(client: ApiClient, query = ''): Promise<{ items: Held[]; total: number; retentionDays: number }> {
  const response = await client.request('GET', `/api/quarantine${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body as unknown as { items: Held[]; total: number; retentionDays: number };
}

async function heldBySubject(subjectText: string): Promise<Held> {
  const { items } = await held(api, `?search=${encodeURIComponent(subjectText)}`);
  expect(items.map((i) => i.subject)).toEqual([subjectText]);
  return items[0] as Held;
}

const bodyOf = (raw: string) => raw.replace(/\r\n/g, '\n').split('\n\n').slice(1).join('\n\n');

beforeAll(async () => {
  for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
  await Promise.all([resetUser(USER.uid), resetUser(OTHER.uid), resetUser(APPROVER.uid)]);
  admin = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
  await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  await admin.add(helpdeskGroupDn, { objectClass: 'groupOfUniqueNames', cn: HELPDESK_GROUP, uniqueMember: userDn(APPROVER.uid) });
  ldap = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
  await ldap.bind(LDAP.api.dn, LDAP.api.password);
  await ldap.modify(userDn(USER.uid), [new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisBlacklistSender', values: [BLOCKED] }) })]);
  server = await startTestServer((config) => ({ ...config, quarantine: config.quarantine && { ...config.quarantine, approverGroup: HELPDESK_GROUP } }));
  api = new ApiClient(server.url);
  otherApi = new ApiClient(server.url);
  approverApi = new ApiClient(server.url);
  expect((await approverApi.signIn(APPROVER.uid, APPROVER.password)).status).toBe(200);
  expect((await api.signIn(USER.uid, USER.password)).status).toBe(200);
  expect((await otherApi.signIn(OTHER.uid, OTHER.password)).status).toBe(200);
});

afterAll(async () => {
  await ldap?.modify(userDn(USER.uid), [new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisBlacklistSender', values: [] }) })]).catch(() => undefined);
  await ldap?.unbind();
  await admin?.del(helpdeskGroupDn).catch(() => undefined);
  await admin?.unbind();
  await server?.close();
});

describe('what the filter held, as the page lists it', () => {
  let gtube: Awaited<ReturnType<typeof send>>;
  let virus: Awaited<ReturnType<typeof send>>;
  let banned: Awaited<ReturnType<typeof send>>;
  let blocked: Awaited<ReturnType<typeof send>>;

  beforeAll(async () => {
    [gtube, virus, banned, blocked] = await Promise.all([
      send(USER.mail, 'gtube', { body: `Buy now.\n${GTUBE}\nΚαλημέρα, τελευταία γραμμή.` }),
      send(USER.mail, 'virus', { attachments: [eicar] }),
      send(USER.mail, 'banned', { attachments: [exe] }),
      send(USER.mail, 'blocked', { from: BLOCKED }),
    ]);
    for (const sent of [gtube, virus, banned, blocked]) expect(sent.result.outcome, sent.result.reply.text).toBe('held');
  });

  it('lists each with why it was held, newest first, and when it will be deleted', async () => {
    const { items, total, retentionDays } = await held(api, `?search=${token}`);
    expect(total).toBe(4);
    expect(retentionDays).toBe(30);
    const bySubject = new Map(items.map((i) => [i.subject, i]));
    expect(bySubject.get(gtube.subject)).toMatchObject({ reason: 'spam', status: 'held', release: 'direct', sender: 'tester@example.org', from: SENDER });
    expect(bySubject.get(gtube.subject)?.score).toBeGreaterThanOrEqual(20);
    expect(bySubject.get(virus.subject)).toMatchObject({ reason: 'virus', detail: 'Eicar-Test-Signature', release: 'request' });
    expect(bySubject.get(banned.subject)).toMatchObject({ reason: 'banned', detail: 'invoice.exe', release: 'request' });
    expect(bySubject.get(blocked.subject)).toMatchObject({ reason: 'blocked', sender: BLOCKED, release: 'direct' });
    const times = items.map((i) => Date.parse(i.receivedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const item of items) {
      expect(Date.parse(item.deleteAfter) - Date.parse(item.receivedAt)).toBe(30 * 86_400_000);
      expect(JSON.stringify(item)).not.toMatch(/secret/i);
    }
  });

  it('counts them on the overview, as held this week', async () => {
    const { total } = await held(api);
    const overview = await api.request('GET', '/api/overview');
    expect(overview.status).toBe(200);
    const counts = overview.body.held as { total: number; lastWeek: number };
    expect(counts.total).toBe(total);
    // This file's four just now at least; older runs' rows on a kept stack may be older than a week.
    expect(counts.lastWeek).toBeGreaterThanOrEqual(4);
    expect(counts.lastWeek).toBeLessThanOrEqual(total);
    expect(overview.body.unavailable).not.toContain('held');
  });

  it('filters by reason and pages', async () => {
    expect((await held(api, `?search=${token}&reason=virus`)).items.map((i) => i.subject)).toEqual([virus.subject]);
    expect((await held(api, `?search=${token}&reason=blocked`)).items.map((i) => i.subject)).toEqual([blocked.subject]);
    const page1 = await held(api, `?search=${token}&pageSize=3&page=1`);
    const page2 = await held(api, `?search=${token}&pageSize=3&page=2`);
    expect(page1.items).toHaveLength(3);
    expect(page2.items).toHaveLength(1);
    expect([page1.total, page2.total]).toEqual([4, 4]);
    expect(new Set([...page1.items, ...page2.items].map((i) => i.id)).size).toBe(4);
    // A stale page number past the end still says how many there are.
    expect(await held(api, `?search=${token}&pageSize=3&page=5`)).toMatchObject({ items: [], total: 4 });
    expect(await held(api, `?search=no-such-${token}`)).toMatchObject({ items: [], total: 0 });
  });

  it('previews headers, text and attachment names, never the content', async () => {
    const item = await heldBySubject(banned.subject);
    const response = await api.request('GET', `/api/quarantine/${item.id}`);
    expect(response.status, response.text).toBe(200);
    const { preview } = response.body as { preview: { headers: Array<{ name: string; value: string }>; text: string; attachments: unknown[] } };
    expect(preview.headers).toContainEqual({ name: 'subject', value: banned.subject });
    expect(preview.text).toContain('see you at the seminar');
    expect(preview.attachments).toEqual([{ filename: 'invoice.exe', mimeType: 'application/octet-stream', size: exe.content.length }]);
    expect(response.text).not.toContain(exe.content.toString('base64').slice(0, 16));
  });

  it('treats search text literally: %, _, quotes and 200 characters find nothing else; 201 is refused', async () => {
    for (const search of ['%', '_', "'", "' OR '1'='1", '\\', 'x'.repeat(200)]) {
      const { items } = await held(api, `?search=${encodeURIComponent(search)}`);
      expect(items.filter((i) => i.subject.includes(token)), search).toEqual([]);
    }
    for (const search of ['x'.repeat(201), 'a\u0000b', 'a\nb']) {
      const response = await api.request('GET', `/api/quarantine?search=${encodeURIComponent(search)}`);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation');
    }
  });

  it('releases spam to the INBOX, not SPAM, with its body byte for byte; a second release is refused', async () => {
    const item = await heldBySubject(gtube.subject);
    const response = await api.request('POST', `/api/quarantine/${item.id}/release`, { json: { allowSender: false } });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ status: 'released', allowSender: 'not_asked' });
    const inbox = (await mailboxMessages(USER.uid, 'INBOX')).filter((m) => m.includes(gtube.subject));
    expect(inbox).toHaveLength(1);
    expect((await mailboxMessages(USER.uid, 'SPAM')).some((m) => m.includes(gtube.subject))).toBe(false);
    expect(bodyOf(inbox[0] as string)).toBe(bodyOf(gtube.raw));

    const again = await api.request('POST', `/api/quarantine/${item.id}/release`, { json: { allowSender: false } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_released');
    expect((await mailboxMessages(USER.uid, 'INBOX')).filter((m) => m.includes(gtube.subject))).toHaveLength(1);
    expect((await held(api, `?search=${encodeURIComponent(gtube.subject)}`)).items).toEqual([]);
  });

  it('stores a virus release as a request for the helpdesk, once', async () => {
    const item = await heldBySubject(virus.subject);
    const response = await api.request('POST', `/api/quarantine/${item.id}/release`, { json: { allowSender: false } });
    expect(response.status, response.text).toBe(202);
    expect(response.body).toEqual({ status: 'requested' });
    expect((await heldBySubject(virus.subject)).status).toBe('requested');
    const again = await api.request('POST', `/api/quarantine/${item.id}/release`, { json: { allowSender: false } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_requested');
    expect((await mailboxMessages(USER.uid, 'INBOX')).some((m) => m.includes(virus.subject))).toBe(false);
  });

  it('shows another user nothing of it and lets them act on none of it, by id or in bulk', async () => {
    const item = await heldBySubject(banned.subject);
    expect((await held(otherApi, `?search=${token}`)).items).toEqual([]);
    expect((await otherApi.request('GET', `/api/quarantine/${item.id}`)).status).toBe(404);
    expect((await otherApi.request('POST', `/api/quarantine/${item.id}/release`, { json: { allowSender: false } })).status).toBe(404);
    expect((await otherApi.request('DELETE', `/api/quarantine/${item.id}`)).status).toBe(404);
    const bulk = await otherApi.request('POST', '/api/quarantine/bulk', { json: { action: 'delete', ids: [item.id] } });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toEqual({ done: [], requested: [], failed: [{ id: item.id, code: 'not_found' }] });
    expect((await heldBySubject(banned.subject)).status).toBe('held');
  });

  it('refuses ids it did not make, without touching anything', async () => {
    for (const id of ['AAAA', 'not-base64!', Buffer.from("0.0.x' OR '1'='1").toString('base64url'), 'a'.repeat(129)]) {
      const response = await api.request('GET', `/api/quarantine/${encodeURIComponent(id)}`);
      expect([400, 404], id).toContain(response.status);
    }
    expect((await held(api, `?search=${token}`)).total).toBe(3);
  });

  it('deletes: the message leaves the list and cannot be released afterwards', async () => {
    const item = await heldBySubject(blocked.subject);
    expect((await api.request('DELETE', `/api/quarantine/${item.id}`)).status).toBe(204);
    expect((await held(api, `?search=${encodeURIComponent(blocked.subject)}`)).items).toEqual([]);
    expect((await api.request('POST', `/api/quarantine/${item.id}/release`, { json: { allowSender: false } })).status).toBe(404);
  });
});

describe('racing and bulk', () => {
  it('two releases at once deliver exactly one copy', async () => {
    const sent = await send(USER.mail, 'race', { body: GTUBE });
    expect(sent.result.outcome).toBe('held');
    const item = await heldBySubject(sent.subject);
    const other = new ApiClient(server.url);
    expect((await other.signIn(USER.uid, USER.password)).status).toBe(200);
    const answers = await Promise.all([api, other, api].map((c) => c.request('POST', `/api/quarantine/${item.id}/release`, { json: { allowSender: false } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect((await mailboxMessages(USER.uid, 'INBOX')).filter((m) => m.includes(sent.subject))).toHaveLength(1);
  });

  it('releases several at once and reports each; "release and always allow" adds the sender to the allow list', async () => {
    const [a, b] = await Promise.all([send(USER.mail, 'bulk-a', { body: GTUBE }), send(USER.mail, 'bulk-b', { body: GTUBE, from: 'newsletter@example.net' })]);
    const [itemA, itemB] = [await heldBySubject(a.subject), await heldBySubject(b.subject)];
    const bulk = await api.request('POST', '/api/quarantine/bulk', { json: { action: 'release', ids: [itemA.id, itemA.id, 'AAAA'] } });
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.body).toEqual({ done: [itemA.id], requested: [], failed: [{ id: 'AAAA', code: 'not_found' }] });

    const allow = await api.request('POST', `/api/quarantine/${itemB.id}/release`, { json: { allowSender: true } });
    expect(allow.status, allow.text).toBe(200);
    expect(allow.body).toEqual({ status: 'released', allowSender: 'added' });
    const spam = await api.request('GET', '/api/spam');
    expect((spam.body.spam as { allow: string[] }).allow).toContain('newsletter@example.net');
  });
});

describe('when the quarantine does not answer', () => {
  it('says so on the held mail calls, and every other page works', async () => {
    const dead = await startTestServer((config) => ({
      ...config,
      quarantine: config.quarantine && { ...config.quarantine, databaseUrl: 'postgres://webapp@127.0.0.1:1/mail_log', releasePort: 1, timeoutMs: 1000 },
    }));
    try {
      const client = new ApiClient(dead.url);
      expect((await client.signIn(USER.uid, USER.password)).status).toBe(200);
      const list = await client.request('GET', '/api/quarantine');
      expect(list.status).toBe(503);
      expect(list.body.code).toBe('quarantine_unavailable');
      const overview = await client.request('GET', '/api/overview');
      expect(overview.status).toBe(200);
      expect(overview.body.held).toBeNull();
      expect(overview.body.unavailable).toEqual(['held']);
      for (const path of ['/api/overview', '/api/vacation', '/api/spam', '/api/filters']) {
        expect((await client.request('GET', path)).status, path).toBe(200);
      }
    } finally {
      await dead.close();
    }
  });
});

describe('the helpdesk decides release requests', () => {
  interface Request {
    id: string;
    recipient: string;
    subject: string;
    reason: string;
  }
  const requests = async (client: ApiClient) => client.request('GET', '/api/quarantine-requests?pageSize=100');
  const decide = (client: ApiClient, id: string, body: unknown) => client.request('POST', `/api/quarantine-requests/${id}/decision`, { json: body });

  async function requested(to: typeof USER, client: ApiClient, what: string) {
    const sent = await send(to.mail, what, { attachments: [exe] });
    expect(sent.result.outcome).toBe('held');
    const { items } = await held(client, `?search=${encodeURIComponent(sent.subject)}`);
    const item = items[0] as Held;
    expect((await client.request('POST', `/api/quarantine/${item.id}/release`, { json: { allowSender: false } })).status).toBe(202);
    return { sent, item };
  }

  it('is closed to users outside the group', async () => {
    expect((await requests(api)).status).toBe(403);
    expect((await decide(api, 'AAAA', { decision: 'approve', reason: 'mine' })).status).toBe(403);
  });

  it('lists the request without its secret, needs a reason, and an approval delivers it to the user, once', async () => {
    const { sent, item } = await requested(USER, api, 'approve-me');
    const listed = await requests(approverApi);
    expect(listed.status, listed.text).toBe(200);
    const mine = (listed.body.items as Request[]).find((r) => r.subject === sent.subject);
    expect(mine).toMatchObject({ id: item.id, recipient: USER.mail, reason: 'banned' });
    expect(listed.text).not.toMatch(/secret/i);

    for (const reason of ['', '   ', 'a\u0000b']) {
      const refused = await decide(approverApi, item.id, { decision: 'approve', reason });
      expect(refused.status, JSON.stringify(reason)).toBe(400);
    }
    expect((await decide(approverApi, item.id, { decision: 'approve', reason: 'ticket 4711: invoice expected from supplier' })).status).toBe(204);
    expect((await mailboxMessages(USER.uid, 'INBOX')).filter((m) => m.includes(sent.subject))).toHaveLength(1);
    expect((await held(api, `?search=${encodeURIComponent(sent.subject)}`)).items).toEqual([]);
    expect((await decide(approverApi, item.id, { decision: 'approve', reason: 'again' })).status).toBe(404);
    expect((await mailboxMessages(USER.uid, 'INBOX')).filter((m) => m.includes(sent.subject))).toHaveLength(1);
    const audit = server.logs.find((l) => l.log === 'audit' && String(l.change).includes('approved'));
    expect(audit).toMatchObject({ uid: APPROVER.uid, reason: 'ticket 4711: invoice expected from supplier' });
  });

  it('a refusal leaves the message held, as before the request', async () => {
    const { sent, item } = await requested(USER, api, 'refuse-me');
    expect((await decide(approverApi, item.id, { decision: 'refuse', reason: 'ticket 4712: real malware' })).status).toBe(204);
    expect((await heldBySubject(sent.subject)).status).toBe('held');
    expect((await mailboxMessages(USER.uid, 'INBOX')).some((m) => m.includes(sent.subject))).toBe(false);
  });

  it('a member never decides a request for their own mail', async () => {
    const { sent, item } = await requested(APPROVER, approverApi, 'own');
    const answer = await decide(approverApi, item.id, { decision: 'approve', reason: 'my own' });
    expect(answer.status).toBe(403);
    expect((await mailboxMessages(APPROVER.uid, 'INBOX')).some((m) => m.includes(sent.subject))).toBe(false);
    expect((await held(approverApi, `?search=${encodeURIComponent(sent.subject)}`)).items[0]?.status).toBe('requested');
  });
});
