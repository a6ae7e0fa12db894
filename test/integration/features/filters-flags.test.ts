// IMAP flags in rules (addflag/setflag). The server stores a script with any keyword; at
// delivery it skips a keyword that is not an atom, and one longer than its
// mail_max_keyword_length costs the message every keyword, all without a word in the log. So
// the API refuses such flags with a field code per flag and writes nothing, and what it
// accepts really lands on the message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser, resetUser } from '../../support/stack';
import { activeScript, deliverSubject, folderMessages, freshUser, newRule, putFilters, subjectContains, withSieve } from './filters-support';

// Users of this file only.
const API_USER = loadUser(51);
const SERVER_USER = loadUser(52);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const fresh = (uid: string): Promise<ApiClient> => freshUser(server, uid);
const deliver = deliverSubject;

const flagRule = (flags: string[], type: 'addflag' | 'setflag' = 'addflag') => newRule({ name: 'Flags', conditions: [subjectContains('flag-me')], actions: [{ type, flags }] });

describe('PUT /api/filters with IMAP flags', () => {
  let api: ApiClient;
  let before: string;

  beforeAll(async () => {
    api = await fresh(API_USER.uid);
    const first = await putFilters(api, [newRule({ name: 'Existing', conditions: [subjectContains('existing')], actions: [{ type: 'addflag', flags: ['\\Seen'] }] })]);
    expect(first.status, first.text).toBe(200);
    before = await activeScript(server, API_USER.uid);
    expect(before).toContain('# rule:[Existing]');
  });

  const cases: Array<[string, string[], string, string]> = [
    ['a Greek keyword', ['\\Flagged', 'Εργασία'], 'items.1.actions.0.flags.1', 'invalid_flag'],
    ['an accented keyword', ['café'], 'items.1.actions.0.flags.0', 'invalid_flag'],
    ['\\Recent (the server’s own)', ['\\Recent'], 'items.1.actions.0.flags.0', 'invalid_flag'],
    ['an unknown system flag', ['$Ok', '\\Important'], 'items.1.actions.0.flags.1', 'invalid_flag'],
    ['a parenthesis', ['a(b'], 'items.1.actions.0.flags.0', 'invalid_flag'],
    ['a brace (a variable, were variables required)', ['${x}'], 'items.1.actions.0.flags.0', 'invalid_flag'],
    ['a closing bracket', ['x]'], 'items.1.actions.0.flags.0', 'invalid_flag'],
    ['a quote', ['a"b'], 'items.1.actions.0.flags.0', 'invalid_flag'],
    ['a control character', ['a\tb'], 'items.1.actions.0.flags.0', 'invalid_flag'],
    ['a keyword over 50 characters', ['$Ok', 'k'.repeat(51)], 'items.1.actions.0.flags.1', 'too_long'],
    ['an empty flag', [''], 'items.1.actions.0.flags.0', 'required'],
  ];

  it.each(cases)('%s: 400 with the flag’s field path, the script unchanged', async (_label, flags, field, code) => {
    const view = (await api.request('GET', '/api/filters')).body as { etag: string; items: Array<{ kind: 'rule'; rule: Record<string, unknown> }> };
    const existing = { kind: 'rule', ...view.items[0]!.rule };
    const res = await putFilters(api, [existing, flagRule(flags, 'setflag')], view.etag);
    expect(res.status, res.text).toBe(400);
    expect(res.body.code).toBe('validation');
    expect(res.body.fields, JSON.stringify(res.body.fields)).toEqual({ [field]: code });
    expect(await activeScript(server, API_USER.uid)).toBe(before);
  });

  it('sets what it accepts: system flags in any case and keywords land on the delivered message', async () => {
    const saved = await putFilters(api, [flagRule(['\\flagged', '$Work', 'Project-X.2025', 'k'.repeat(50)])]);
    expect(saved.status, saved.text).toBe(200);
    await deliver(API_USER.uid, 'please flag-me');
    const message = (await folderMessages(server, API_USER.uid, 'INBOX')).find((m) => m.subject === 'please flag-me');
    expect(message?.flags).toEqual(expect.arrayContaining(['\\Flagged', '$Work', 'Project-X.2025', 'k'.repeat(50)]));
  });
});

describe('what the server does with the flags the API refuses', () => {
  it.each([
    ['a Greek keyword is skipped', 'Εργασία', ['$Ok', '\\Seen']],
    ['a keyword with a parenthesis is skipped', 'a(b', ['$Ok', '\\Seen']],
    ['a keyword over 50 characters costs every keyword, the good one too', 'k'.repeat(51), ['\\Seen']],
  ])('%s, with the script stored without complaint', async (_label, bad, landed) => {
    await resetUser(SERVER_USER.uid);
    const script = `require ["imap4flags"];\r\nif header :contains "subject" "flag-me" {\r\n\taddflag ["\\\\Seen", "$Ok", "${bad}"];\r\n}\r\n`;
    await withSieve(server, SERVER_USER.uid, async (c) => {
      await c.putScript('emailng', script);
      await c.setActive('emailng');
    });
    await deliver(SERVER_USER.uid, 'please flag-me');
    const message = (await folderMessages(server, SERVER_USER.uid, 'INBOX')).find((m) => m.subject === 'please flag-me');
    expect(message?.flags).toEqual(landed);
  });

  it('sets both without the bad one', async () => {
    await resetUser(SERVER_USER.uid);
    const script = 'require ["imap4flags"];\r\nif header :contains "subject" "flag-me" {\r\n\taddflag ["\\\\Seen", "$Ok"];\r\n}\r\n';
    await withSieve(server, SERVER_USER.uid, async (c) => {
      await c.putScript('emailng', script);
      await c.setActive('emailng');
    });
    await deliver(SERVER_USER.uid, 'please flag-me');
    const message = (await folderMessages(server, SERVER_USER.uid, 'INBOX')).find((m) => m.subject === 'please flag-me');
    expect(message?.flags).toEqual(['$Ok', '\\Seen']);
  });
});
