// A filter's automatic reply goes out only From the user's own addresses (issue 14, item 5):
// the builder's reply action and a raw script save refuse any other :from, or a display name
// with a line break or an encoded-word, with a field code and nothing stored; an own address
// with a one-line display name is saved and the reply really goes out with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { DOMAIN, loadUser, waitForOutbox } from '../../support/stack';
import { activeScript, deliverSubject, freshUser, newRule, putFilters, subjectContains } from './filters-support';

// Users of this file only.
const USER = loadUser(134);
const OWN = `${USER.uid}@${DOMAIN}`;

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = await freshUser(server, USER.uid);
});
afterAll(async () => {
  await server.close();
});

const replyRule = (from: string) => newRule({ name: 'Reply', conditions: [subjectContains('reply-me')], actions: [{ type: 'vacation', reason: 'Got it.', days: 1, from }] });

const unfolded = (raw: string) => raw.replace(/\r?\n[ \t]+/g, ' ');

async function putRaw(text: string) {
  const raw = (await api.request('GET', '/api/script/raw')).body as { etag: string };
  return api.request('PUT', '/api/script/raw', { json: { text }, headers: { 'if-match': raw.etag } });
}

describe('the builder’s reply action', () => {
  it.each([
    ['another address', 'rector@uni.example', 'not_own_address'],
    ['another address behind a display name', 'Rector <rector@uni.example>', 'not_own_address'],
    ['the own address only as the display name', `"${OWN}" <rector@uni.example>`, 'not_own_address'],
    ['an encoded-word display name', `=?UTF-8?B?UmVjdG9y?= <${OWN}>`, 'encoded_word'],
    ['a line break', `Me\r\n <${OWN}>`, 'line_break'],
  ])('refuses %s with a field code, storing nothing', async (_label, from, code) => {
    const before = await activeScript(server, USER.uid);
    const res = await putFilters(api, [replyRule(from)]);
    expect(res.status, res.text).toBe(400);
    expect(res.body.fields).toMatchObject({ 'items.0.actions.0.from': code });
    expect(await activeScript(server, USER.uid)).toBe(before);
  });
});

describe('a raw script save', () => {
  it('refuses a foreign :from nested inside if blocks, with the line, storing nothing', async () => {
    const before = await activeScript(server, USER.uid);
    const text = ['require ["vacation"];', 'if true {', '  if header :contains "subject" "x" {', '    vacation :days 1 :from "Rector <rector@uni.example>" "hi";', '  }', '}', ''].join('\r\n');
    const res = await putRaw(text);
    expect(res.status, res.text).toBe(400);
    expect(res.body.code).toBe('validation');
    expect(res.body.fields).toEqual({ text: 'not_own_address' });
    expect(res.body.errors).toEqual([{ line: 4, message: expect.any(String) }]);
    expect(await activeScript(server, USER.uid)).toBe(before);
  });

  it('saves an own address with a Greek display name, and the reply goes out From it', async () => {
    const from = `"Γιώργος Ανδρέου" <${OWN}>`;
    const text = `require ["vacation"];\r\nif header :contains "subject" "reply-raw" {\r\n  vacation :days 1 :from "${from.replaceAll('"', '\\"')}" "Got it.";\r\n}\r\n`;
    const res = await putRaw(text);
    expect(res.status, res.text).toBe(200);
    const sender = `someone-${Date.now()}@example.org`;
    await deliverSubject(USER.uid, 'please reply-raw', { from: sender });
    const reply = await waitForOutbox((m) => m.recipients.includes(sender));
    // Pigeonhole writes the Greek name as an encoded-word and folds the header: unfold it.
    expect(unfolded(reply.raw)).toMatch(new RegExp(`^From: =\\?utf-8\\?b\\?[^?]+\\?= <${OWN.replaceAll('.', '\\.')}>`, 'mi'));
  });
});

describe('the builder’s reply action from an own address', () => {
  beforeAll(async () => {
    api = await freshUser(server, USER.uid);
  });

  it('is saved, and the reply goes out From it', async () => {
    const res = await putFilters(api, [replyRule(`Load User <${OWN.toUpperCase()}>`)]);
    expect(res.status, res.text).toBe(200);
    const sender = `other-${Date.now()}@example.org`;
    await deliverSubject(USER.uid, 'please reply-me', { from: sender });
    const reply = await waitForOutbox((m) => m.recipients.includes(sender));
    expect(unfolded(reply.raw)).toMatch(new RegExp(`^From: Load User <${OWN.toUpperCase().replaceAll('.', '\\.')}>`, 'mi'));
  });
});
