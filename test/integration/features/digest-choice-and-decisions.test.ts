// The user's choice of held-mail digest (GET/PUT /api/quarantine/digest), and the mail she gets
// in her language when the helpdesk decides her release request, captured in the stack's outbox
// and parsed back with postal-mime; the decision is in her activity's helpdesk stream too.
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appMailTo, outboxIds, type AppMail } from '../../support/app-mail';
import { filterMessage, sendThroughFilter } from '../../support/content-filter';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, loadUser, mailboxMessages, resetUser, startPiece, userDn } from '../../support/stack';

// This file's own users: others test on the same stack at the same time.
const USER = loadUser(38);
const APPROVER = loadUser(36);
const HELPDESK_GROUP = `helpdesk-digest-test-${process.pid}`;
const helpdeskGroupDn = `cn=${HELPDESK_GROUP},${LDAP.groupsDn}`;

let server: TestServer;
let api: ApiClient;
let approverApi: ApiClient;
let admin: Client;
let n = 0;
const token = `dc${process.pid}x${Date.now()}`;

const exe = {
  name: 'invoice.exe',
  type: 'application/octet-stream',
  content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('This program cannot be run in DOS mode.\r\n')]),
};

/** A banned attachment held for USER, its release requested: what the helpdesk decides. */
async function requested(): Promise<{ id: string; subject: string }> {
  const subject = `Τιμολόγιο ${token}-${++n}`;
  const raw = filterMessage({ from: 'Supplier <supplier@example.org>', to: USER.mail, subject: `=?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`, body: 'Invoice attached.', attachments: [exe] });
  expect((await sendThroughFilter({ from: 'supplier@example.org', to: USER.mail, raw })).outcome).toBe('held');
  const list = await api.request('GET', `/api/quarantine?search=${encodeURIComponent(subject)}`);
  const id = (list.body.items as Array<{ id: string }>)[0]?.id as string;
  expect((await api.request('POST', `/api/quarantine/${id}/release`, { json: { allowSender: false } })).status).toBe(202);
  return { id, subject };
}

const choose = (client: ApiClient, body: unknown) => client.request('PUT', '/api/quarantine/digest', { json: body });

beforeAll(async () => {
  for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
  await Promise.all([resetUser(USER.uid), resetUser(APPROVER.uid)]);
  admin = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
  await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  await admin.add(helpdeskGroupDn, { objectClass: 'groupOfUniqueNames', cn: HELPDESK_GROUP, uniqueMember: userDn(APPROVER.uid) });
  server = await startTestServer((config) => ({ ...config, quarantine: config.quarantine && { ...config.quarantine, approverGroup: HELPDESK_GROUP } }));
  api = new ApiClient(server.url);
  approverApi = new ApiClient(server.url);
  expect((await api.signIn(USER.uid, USER.password)).status).toBe(200);
  expect((await approverApi.signIn(APPROVER.uid, APPROVER.password)).status).toBe(200);
});

afterAll(async () => {
  await admin?.del(helpdeskGroupDn).catch(() => undefined);
  await admin?.unbind();
  await server?.close();
});

describe('the digest choice', () => {
  it('saves and reads back the schedule and language; the change is in her activity', async () => {
    for (const choice of [
      { schedule: 'weekly', language: 'el' },
      { schedule: 'never', language: 'en' },
      { schedule: 'daily', language: 'en' },
    ]) {
      const saved = await choose(api, choice);
      expect(saved.status, saved.text).toBe(200);
      expect(saved.body).toEqual(choice);
      const read = await api.request('GET', '/api/quarantine/digest');
      expect(read.status).toBe(200);
      expect(read.body).toEqual(choice);
    }
    const changes = await server.services.activity.list(USER.uid, 'changes', 5);
    expect(changes[0]).toMatchObject({ area: 'quarantine', what: 'digest', details: { schedule: 'daily', language: 'en' } });
  });

  it('refuses what is not a schedule or a language, field by field, and changes nothing', async () => {
    expect((await choose(api, { schedule: 'weekly', language: 'en' })).status).toBe(200);
    for (const body of [
      { schedule: 'hourly', language: 'en' },
      { schedule: 'weekly', language: 'de' },
      { schedule: 'WEEKLY', language: 'en' },
      { schedule: 'weekly', language: 'el\u0000' },
      { schedule: 'weekly', language: 'en', extra: true },
      { schedule: 'weekly' },
      'weekly',
      null,
    ]) {
      const answer = await choose(api, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.code).toBe('validation');
    }
    const bad = await choose(api, { schedule: 'hourly', language: 'de' });
    expect(bad.body.fields).toMatchObject({ schedule: 'invalid', language: 'invalid' });
    expect((await api.request('GET', '/api/quarantine/digest')).body).toEqual({ schedule: 'weekly', language: 'en' });
  });

  it('needs a session (and the CSRF token to save)', async () => {
    const stranger = new ApiClient(server.url);
    expect((await stranger.request('GET', '/api/quarantine/digest')).status).toBe(401);
    expect((await stranger.request('PUT', '/api/quarantine/digest', { json: { schedule: 'never', language: 'en' } })).status).toBe(401);
    const noCsrf = await api.request('PUT', '/api/quarantine/digest', { json: { schedule: 'never', language: 'en' }, headers: { 'x-csrf-token': 'wrong' } });
    expect(noCsrf.status).toBe(403);
    expect((await api.request('GET', '/api/quarantine/digest')).body).toEqual({ schedule: 'weekly', language: 'en' });
  });

  it('answers digests_not_configured where the site sends no mail', async () => {
    const silent = await startTestServer((config) => ({ ...config, outbound: null }));
    try {
      const client = new ApiClient(silent.url);
      expect((await client.signIn(USER.uid, USER.password)).status).toBe(200);
      const answer = await client.request('GET', '/api/quarantine/digest');
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('digests_not_configured');
    } finally {
      await silent.close();
    }
  });
});

describe('the helpdesk’s decision, mailed to the user', () => {
  it('an approval, in English: what was decided, the reason, and the message is in her Inbox', async () => {
    expect((await choose(api, { schedule: 'daily', language: 'en' })).status).toBe(200);
    const { id, subject } = await requested();
    const before = await outboxIds();
    const reason = 'Ticket 4711: the supplier’s invoice, checked — <b>ok</b>';
    expect((await approverApi.request('POST', `/api/quarantine-requests/${id}/decision`, { json: { decision: 'approve', reason } })).status).toBe(204);
    expect((await mailboxMessages(USER.uid, 'INBOX')).filter((m) => m.includes('invoice.exe'))).toHaveLength(1);

    const [mail, ...more] = await appMailTo(USER.mail, before);
    expect(more).toEqual([]);
    const { parsed, captured } = mail as AppMail;
    expect(captured.recipients).toEqual([USER.mail]);
    expect(parsed.subject).toBe('Your release request was approved');
    expect(parsed.text).toContain('delivered to your Inbox');
    expect(parsed.text).toContain(subject);
    expect(parsed.text).toContain(reason);
    expect(parsed.html).toContain('&lt;b&gt;ok&lt;/b&gt;');
    expect(parsed.html).not.toContain('<b>ok</b>');

    const [entry] = await server.services.activity.list(USER.uid, 'helpdesk', 1);
    expect(entry).toMatchObject({ actor: APPROVER.uid, kind: 'action', what: 'release-approved', reason });
  });

  it('a refusal, in Greek: the message stays held, the mail links to it on the page', async () => {
    expect((await choose(api, { schedule: 'weekly', language: 'el' })).status).toBe(200);
    const { id, subject } = await requested();
    const before = await outboxIds();
    const reason = 'Αίτημα 4712: πραγματικό κακόβουλο λογισμικό, δεν αποδεσμεύεται.';
    expect((await approverApi.request('POST', `/api/quarantine-requests/${id}/decision`, { json: { decision: 'refuse', reason } })).status).toBe(204);

    const [mail, ...more] = await appMailTo(USER.mail, before);
    expect(more).toEqual([]);
    const { parsed } = mail as AppMail;
    expect(parsed.subject).toBe('Το αίτημα αποδέσμευσης απορρίφθηκε');
    expect(parsed.text).toContain('παραμένει κρατημένο');
    expect(parsed.text).toContain(subject);
    expect(parsed.text).toContain(reason);
    expect(parsed.text).toContain(`${server.url}/held?open=${id}`);
    expect(parsed.html).toContain('lang="el"');

    const [entry] = await server.services.activity.list(USER.uid, 'helpdesk', 1);
    expect(entry).toMatchObject({ actor: APPROVER.uid, what: 'release-refused', reason });
  });
});
