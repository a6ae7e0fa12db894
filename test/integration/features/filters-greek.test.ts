// Greek terms match regardless of case, Unicode form and accents (issue 14, item 3), on mail
// delivered through LMTP: the server has only i;ascii-casemap and i;octet, so the app writes
// such a term as a :regex of UTF-8 spellings (api/src/sieve/rules/fold.ts). Subject, From
// display name and body (plain 8-bit and base64), each in lower, Title, UPPER without tonos,
// NFD and with the other sigma; "match accents exactly" keeps the tonos but folds the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { DOMAIN, deliverMessage, loadUser, makeMessage } from '../../support/stack';
import { activeScript, asInput, folderMessages, freshUser, getFilters, newRule, putFilters } from './filters-support';

// Users of this file only.
const USER = loadUser(135);
const FOLDERS = ['INBOX', 'Subject', 'Name', 'Body', 'Exact'];

let server: TestServer;

const text = (type: string, value: string, extra: Record<string, unknown> = {}) => ({ type, operator: 'contains', negate: false, value, ...extra });
const file = (mailbox: string) => [{ type: 'fileinto', mailbox, copy: false, create: true }];

beforeAll(async () => {
  server = await startTestServer();
  const api = await freshUser(server, USER.uid);
  const res = await putFilters(api, [
    newRule({ name: 'Exact', conditions: [text('subject', 'νέα', { exactAccents: true })], actions: file('Exact'), stop: true }),
    newRule({ name: 'Subject', conditions: [text('subject', 'ανακοίνωση')], actions: file('Subject'), stop: true }),
    newRule({ name: 'Name', conditions: [text('from-header', 'Γραμματεία')], actions: file('Name'), stop: true }),
    newRule({ name: 'Body', conditions: [text('body', 'συνεδρίαση')], actions: file('Body'), stop: true }),
  ]);
  expect(res.status, res.text).toBe(200);
  // Read back as the terms typed, and saved again byte for byte.
  const view = await getFilters(api);
  expect(view.items.map((i) => (i.kind === 'rule' ? i.rule.conditions : null))).toEqual([
    [{ type: 'subject', operator: 'contains', negate: false, value: 'νέα', exactAccents: true }],
    [{ type: 'subject', operator: 'contains', negate: false, value: 'ανακοίνωση' }],
    [{ type: 'from-header', operator: 'contains', negate: false, value: 'Γραμματεία' }],
    [{ type: 'body', operator: 'contains', negate: false, value: 'συνεδρίαση' }],
  ]);
  const script = await activeScript(server, USER.uid);
  expect(script).toContain('header :regex "subject" "(α|Α|ά|');
  expect((await putFilters(api, asInput(view), view.etag)).status).toBe(200);
  expect(await activeScript(server, USER.uid)).toBe(script);
});
afterAll(async () => {
  await server.close();
});

let n = 0;
const b64word = (s: string) => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;

async function deliver(opts: { subject: string; from?: string; body?: string; base64?: boolean }): Promise<string> {
  n += 1;
  const id = `#${n}`;
  const subject = `${opts.subject} ${id}`;
  const body = opts.body ?? 'Hello.';
  const raw = makeMessage({
    from: opts.from ?? 'Sender <sender@example.org>',
    to: `${USER.uid}@${DOMAIN}`,
    subject,
    body: opts.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    ...(opts.base64 ? { headers: { 'Content-Transfer-Encoding': 'base64' } } : {}),
  });
  await deliverMessage({ to: USER.uid, from: 'sender@example.org', raw });
  return id;
}

async function whereIs(id: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of FOLDERS) {
    const messages = await folderMessages(server, USER.uid, folder).catch(() => []);
    if (messages.some((m) => m.subject.endsWith(` ${id}`))) out.push(folder);
  }
  return out;
}

const WORD = 'ανακοίνωση';

describe('a Greek term in the Subject', () => {
  it.each([
    ['lower case', WORD],
    ['Title case', 'Ανακοίνωση'],
    ['UPPER case without tonos', 'ΑΝΑΚΟΙΝΩΣΗ'],
    ['UPPER case with tonos', 'ΑΝΑΚΟΊΝΩΣΗ'],
    ['without tonos', 'ανακοινωση'],
    ['decomposed (NFD)', WORD.normalize('NFD')],
    ['UPPER and NFD', 'ΑΝΑΚΟΊΝΩΣΗ'.normalize('NFD')],
    ['with a final sigma inside', 'ανακοίνωςη'],
    ['with dialytika', 'ανακοΐνωση'],
    ['inside other words', 'Σημαντική Ανακοίνωσης'],
    ['as an encoded-word', b64word('ΑΝΑΚΟΙΝΩΣΗ')],
  ])('%s: filed', async (_label, subject) => {
    expect(await whereIs(await deliver({ subject }))).toEqual(['Subject']);
  });

  it.each([
    ['another word', 'ανακοινωτικό'],
    ['a letter missing', 'ανακονωση'],
  ])('%s: stays in INBOX', async (_label, subject) => {
    expect(await whereIs(await deliver({ subject }))).toEqual(['INBOX']);
  });
});

describe('match accents exactly', () => {
  it.each([
    ['as typed', 'νέα', 'Exact'],
    ['Title case', 'Νέα', 'Exact'],
    ['UPPER with tonos', 'ΝΈΑ', 'Exact'],
    ['NFD', 'νέα'.normalize('NFD'), 'Exact'],
    ['UPPER without tonos', 'ΝΕΑ', 'INBOX'],
    ['without tonos', 'νεα', 'INBOX'],
  ])('%s: %s in %s', async (_label, subject, folder) => {
    expect(await whereIs(await deliver({ subject }))).toEqual([folder]);
  });
});

describe('a Greek term in the From display name', () => {
  it.each([
    ['raw UTF-8, quoted', '"Γραμματεία Τμήματος" <office@uni.example>'],
    ['an encoded-word, UPPER without tonos', `${b64word('ΓΡΑΜΜΑΤΕΙΑ')} <office@uni.example>`],
    ['NFD', `"${'γραμματεία'.normalize('NFD')}" <office@uni.example>`],
  ])('%s: filed', async (_label, from) => {
    expect(await whereIs(await deliver({ subject: 'from test', from }))).toEqual(['Name']);
  });
});

describe('a Greek term in the body', () => {
  it.each([
    ['8-bit, lower', 'Η συνεδρίαση αναβάλλεται.', false],
    ['8-bit, UPPER without tonos', 'Η ΣΥΝΕΔΡΙΑΣΗ ΑΝΑΒΑΛΛΕΤΑΙ.', false],
    ['8-bit, NFD', 'Η συνεδρίαση αναβάλλεται.'.normalize('NFD'), false],
    ['base64, Title case (decoded by the server)', 'Συνεδρίαση αύριο.', true],
  ])('%s: filed', async (_label, body, base64) => {
    expect(await whereIs(await deliver({ subject: 'body test', body, base64 }))).toEqual(['Body']);
  });
});
