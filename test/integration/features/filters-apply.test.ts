import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { deliverMessage, loadUser, makeMessage, resetUser } from '../../support/stack';
import { folderMessages, newRule, subjectContains, type RuleBody } from './filters-support';

const USER = loadUser(36);
let server: TestServer;
let api: ApiClient;

const SEED: Array<{ subject: string; from: string; headers?: Record<string, string> }> = [
  { subject: 'Invoice 1001', from: 'billing@shop.example' },
  { subject: 'Lunch?', from: 'friend@example.net' },
  { subject: 'invoice reminder', from: 'billing@shop.example' },
  { subject: 'Seminar: Sieve', from: 'seminars@cs.uni.example', headers: { 'List-Id': '<seminars.cs.uni.example>' } },
  { subject: 'Your INVOICE', from: 'other@else.example' },
  { subject: 'Προσφορά τιμολογίου', from: 'πωλήσεις@shop.example' },
];

beforeAll(async () => {
  server = await startTestServer();
  await resetUser(USER.uid);
  for (const m of SEED) {
    await deliverMessage({ to: USER.uid, from: 'envelope@example.org', raw: makeMessage({ from: m.from, to: USER.mail, subject: m.subject, ...(m.headers ? { headers: m.headers } : {}) }) });
  }
  api = new ApiClient(server.url);
  expect((await api.signIn(USER.uid, USER.password)).status).toBe(200);
});
afterAll(async () => {
  await server.close();
});

async function testRule(rule: Record<string, unknown>) {
  const res = await api.request('POST', '/api/filters/test', { json: { rule } });
  expect(res.status, res.text).toBe(200);
  return res.body as { method: string; messages: Array<{ uid: number; subject: string; from: string }>; unchecked: number[]; examined: number };
}

const strip = ({ kind: _k, ...rule }: RuleBody): Record<string, unknown> => rule;

describe('test this rule', () => {
  it('runs the rule’s own Sieve on the recent INBOX messages and returns exactly the matches, changing nothing', async () => {
    const before = await folderMessages(server, USER.uid, 'INBOX');
    const r1 = await testRule(strip(newRule({ conditions: [subjectContains('invoice')], actions: [{ type: 'keep' }] })));
    expect(r1.method).toBe('sieve');
    expect(r1.examined).toBe(SEED.length);
    expect(r1.messages.map((m) => m.subject).sort()).toEqual(['Invoice 1001', 'Your INVOICE', 'invoice reminder']);
    expect(r1.unchecked).toEqual([]);

    const r2 = await testRule(strip(newRule({ match: 'all', conditions: [subjectContains('invoice'), { type: 'from', operator: 'is', negate: false, value: 'billing@shop.example' }], actions: [{ type: 'keep' }] })));
    expect(r2.messages.map((m) => m.subject).sort()).toEqual(['Invoice 1001', 'invoice reminder']);

    const r3 = await testRule(strip(newRule({ match: 'any', conditions: [{ type: 'list-id', operator: 'contains', negate: false, value: 'seminars' }, { type: 'subject', operator: 'regex', negate: false, value: '^Lunch' }], actions: [{ type: 'keep' }] })));
    expect(r3.messages.map((m) => m.subject).sort()).toEqual(['Lunch?', 'Seminar: Sieve']);

    const greek = await testRule(strip(newRule({ conditions: [subjectContains('τιμολογίου')], actions: [{ type: 'keep' }] })));
    expect(greek.messages.map((m) => m.subject)).toEqual(['Προσφορά τιμολογίου']);

    const none = await testRule(strip(newRule({ conditions: [subjectContains('nothing like this')], actions: [{ type: 'keep' }] })));
    expect(none.messages).toEqual([]);

    // Nothing changed in the mailbox: same messages, same flags.
    expect(await folderMessages(server, USER.uid, 'INBOX')).toEqual(before);
  });

  it('refuses an empty condition with a field code', async () => {
    const res = await api.request('POST', '/api/filters/test', { json: { rule: strip(newRule({ conditions: [subjectContains('')], actions: [{ type: 'keep' }] })) } });
    expect(res.status).toBe(400);
    expect((res.body.fields as Record<string, string>)['rule.conditions.0.value']).toBe('required');
  });
});

describe('apply to existing messages', () => {
  it('previews a count and moves exactly those messages, flagging them', async () => {
    const rule = strip(newRule({ conditions: [subjectContains('invoice')], actions: [{ type: 'addflag', flags: ['\\Seen'] }, { type: 'fileinto', mailbox: 'Τιμολόγια', copy: false, create: true }] }));
    const refused = await api.request('POST', '/api/filters/apply/preview', { json: { rule: { ...rule, actions: [{ type: 'discard' }] } } });
    expect(refused.status).toBe(400);
    expect((refused.body.fields as Record<string, string>)['rule.actions.0.type']).toBe('not_applicable');

    const preview = await api.request('POST', '/api/filters/apply/preview', { json: { rule } });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.count).toBe(3);
    // A message arriving after the preview is not touched, even if it matches.
    await deliverMessage({ to: USER.uid, raw: makeMessage({ to: USER.mail, subject: 'Late invoice' }) });

    const changed = await api.request('POST', '/api/filters/apply', { json: { rule: { ...rule, name: 'renamed is fine', conditions: [subjectContains('other')] }, token: preview.body.token } });
    expect(changed.status).toBe(400);
    expect((changed.body.fields as Record<string, string>).token).toBe('rule_changed');

    const applied = await api.request('POST', '/api/filters/apply', { json: { rule, token: preview.body.token } });
    expect(applied.status).toBe(200);
    expect(applied.headers.get('content-type')).toMatch(/ndjson/);
    const lines = applied.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ type: 'done', done: 3, total: 3, moved: 3, flagged: 3 });

    const moved = await folderMessages(server, USER.uid, 'Τιμολόγια');
    expect(moved.map((m) => m.subject).sort()).toEqual(['Invoice 1001', 'Your INVOICE', 'invoice reminder']);
    expect(moved.every((m) => m.flags.includes('\\Seen'))).toBe(true);
    const inbox = await folderMessages(server, USER.uid, 'INBOX');
    expect(inbox.map((m) => m.subject).sort()).toEqual(['Late invoice', 'Lunch?', 'Seminar: Sieve', 'Προσφορά τιμολογίου']);
  });
});

describe('apply to existing mail: flag actions in the rule’s order', () => {
  const FLAGS_USER = loadUser(88);
  let flagsApi: ApiClient;

  beforeAll(async () => {
    await resetUser(FLAGS_USER.uid);
    for (const subject of ['Report 1', 'Report 2', 'Other']) {
      await deliverMessage({ to: FLAGS_USER.uid, raw: makeMessage({ to: FLAGS_USER.mail, subject }) });
    }
    flagsApi = new ApiClient(server.url);
    expect((await flagsApi.signIn(FLAGS_USER.uid, FLAGS_USER.password)).status).toBe(200);
  });

  async function applyRule(actions: RuleBody['actions']) {
    const rule = strip(newRule({ conditions: [subjectContains('report')], actions }));
    const preview = await flagsApi.request('POST', '/api/filters/apply/preview', { json: { rule } });
    expect(preview.status, preview.text).toBe(200);
    const applied = await flagsApi.request('POST', '/api/filters/apply', { json: { rule, token: preview.body.token } });
    expect(applied.status).toBe(200);
    return JSON.parse(applied.text.trim().split('\n').at(-1)!) as Record<string, unknown>;
  }

  const flagsOf = async () => Object.fromEntries((await folderMessages(server, FLAGS_USER.uid, 'INBOX')).map((m) => [m.subject, m.flags]));

  it('adds, then removes, then replaces flags on exactly the matching messages', async () => {
    expect(await applyRule([{ type: 'addflag', flags: ['\\Flagged', '$Work', '\\Seen'] }])).toMatchObject({ type: 'done', done: 2, flagged: 2 });
    expect(await flagsOf()).toEqual({ 'Report 1': ['$Work', '\\Flagged', '\\Seen'], 'Report 2': ['$Work', '\\Flagged', '\\Seen'], Other: [] });

    expect(await applyRule([{ type: 'removeflag', flags: ['\\Flagged'] }])).toMatchObject({ type: 'done', done: 2, flagged: 2 });
    expect(await flagsOf()).toEqual({ 'Report 1': ['$Work', '\\Seen'], 'Report 2': ['$Work', '\\Seen'], Other: [] });

    // setflag replaces: \Seen goes too; in one rule the actions run in order.
    expect(await applyRule([{ type: 'setflag', flags: ['$Archive'] }, { type: 'addflag', flags: ['\\Answered'] }])).toMatchObject({ type: 'done', flagged: 2 });
    expect(await flagsOf()).toEqual({ 'Report 1': ['$Archive', '\\Answered'], 'Report 2': ['$Archive', '\\Answered'], Other: [] });
  });
});
