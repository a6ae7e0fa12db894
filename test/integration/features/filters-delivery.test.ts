// What a rule says is what delivery does (issue 14, items 1 and 7), on real mail through LMTP,
// read back over IMAP: flags chosen for a copy land on that copy only, and "From ends with
// @domain" files mail whose From has a display name. A rule the app once wrote in the header
// form is shown as upgraded and, saved, does what it says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser } from '../../support/stack';
import { activeScript, asInput, deliverSubject, freshUser, getFilters, newRule, putFilters, subjectContains, withSieve, flagsOf, foldersHolding } from './filters-support';

// Users of this file only.
const FLAGS = loadUser(131);
const FROM = loadUser(132);
const LEGACY = loadUser(133);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('flags belong to the message they were chosen for', () => {
  let api: ApiClient;

  beforeAll(async () => {
    api = await freshUser(server, FLAGS.uid);
    const res = await putFilters(api, [
      newRule({ name: 'Copy read', conditions: [subjectContains('copy-read')], actions: [{ type: 'fileinto', mailbox: 'Reports', copy: true, create: true, flags: ['\\Seen'] }] }),
      newRule({
        name: 'Copy flagged, Inbox read',
        conditions: [subjectContains('both-ways')],
        actions: [
          { type: 'fileinto', mailbox: 'Reports', copy: true, create: true, flags: ['\\Flagged'] },
          { type: 'keep', flags: ['\\Seen'] },
        ],
      }),
      newRule({ name: 'Move read', conditions: [subjectContains('move-read')], actions: [{ type: 'fileinto', mailbox: 'Archive', copy: false, create: true, flags: ['\\Seen', '\\Flagged'] }] }),
      newRule({
        name: 'Mark then copy',
        conditions: [subjectContains('mark-all')],
        actions: [
          { type: 'addflag', flags: ['\\Flagged'] },
          { type: 'fileinto', mailbox: 'Reports', copy: true, create: true },
        ],
      }),
    ]);
    expect(res.status, res.text).toBe(200);
  });

  it('writes :flags on the fileinto and keep themselves, and reads them back as written', async () => {
    const script = await activeScript(server, FLAGS.uid);
    expect(script).toContain('\tfileinto :copy :create :flags "\\\\Seen" "Reports";\r\n');
    expect(script).toContain('\tkeep :flags "\\\\Seen";\r\n');
    expect(script).not.toMatch(/addflag "\\\\Seen"/);
    const view = await getFilters(api);
    expect(view.items[0]).toMatchObject({ kind: 'rule', rule: { actions: [{ type: 'fileinto', mailbox: 'Reports', copy: true, flags: ['\\Seen'] }] } });
    expect(view.items.every((i) => !('upgraded' in i))).toBe(true);
    expect((await putFilters(api, asInput(view), view.etag)).status).toBe(200);
    expect(await activeScript(server, FLAGS.uid)).toBe(script);
  });

  it('copy marked read: the copy is read, the message in INBOX is not', async () => {
    await deliverSubject(FLAGS.uid, 'copy-read 1');
    expect(await flagsOf(server, FLAGS.uid, 'Reports', 'copy-read 1')).toEqual(['\\Seen']);
    expect(await flagsOf(server, FLAGS.uid, 'INBOX', 'copy-read 1')).toEqual([]);
  });

  it('copy flagged and Inbox kept read: each copy gets its own flag', async () => {
    await deliverSubject(FLAGS.uid, 'both-ways 1');
    expect(await flagsOf(server, FLAGS.uid, 'Reports', 'both-ways 1')).toEqual(['\\Flagged']);
    expect(await flagsOf(server, FLAGS.uid, 'INBOX', 'both-ways 1')).toEqual(['\\Seen']);
  });

  it('move marked read and flagged: the one message, nothing left in INBOX', async () => {
    await deliverSubject(FLAGS.uid, 'move-read 1');
    expect(await flagsOf(server, FLAGS.uid, 'Archive', 'move-read 1')).toEqual(['\\Flagged', '\\Seen']);
    expect(await flagsOf(server, FLAGS.uid, 'INBOX', 'move-read 1')).toBeUndefined();
  });

  it('a mark action before a copy marks both copies, as its summary says', async () => {
    await deliverSubject(FLAGS.uid, 'mark-all 1');
    expect(await flagsOf(server, FLAGS.uid, 'Reports', 'mark-all 1')).toEqual(['\\Flagged']);
    expect(await flagsOf(server, FLAGS.uid, 'INBOX', 'mark-all 1')).toEqual(['\\Flagged']);
  });

  it('refuses a flag the server would skip on a copy, with the flag’s field path', async () => {
    const before = await activeScript(server, FLAGS.uid);
    const res = await putFilters(api, [newRule({ conditions: [subjectContains('x')], actions: [{ type: 'fileinto', mailbox: 'Reports', copy: true, create: false, flags: ['\\Seen', 'Εργασία'] }] })]);
    expect(res.status, res.text).toBe(400);
    expect(res.body.fields).toEqual({ 'items.0.actions.0.flags.1': 'invalid_flag' });
    expect(await activeScript(server, FLAGS.uid)).toBe(before);
  });
});

const BILLING = '"Billing Dept" <pay@billing.example.com>';

describe('From is / starts with / ends with compare the address, never the display name', () => {
  const folders = ['INBOX', 'Billing', 'Boss', 'Pay', 'ByName'];

  beforeAll(async () => {
    const api = await freshUser(server, FROM.uid);
    const from = (operator: string, value: string, type = 'from') => [{ type, operator, negate: false, value }];
    const file = (mailbox: string) => [{ type: 'fileinto', mailbox, copy: false, create: true }];
    const res = await putFilters(api, [
      newRule({ name: 'Ends', conditions: from('ends', '@billing.example.com'), actions: file('Billing'), stop: true }),
      newRule({ name: 'Is', conditions: from('is', 'boss@uni.example'), actions: file('Boss'), stop: true }),
      newRule({ name: 'Starts', conditions: from('starts', 'payroll@'), actions: file('Pay'), stop: true }),
      newRule({ name: 'Name', conditions: from('contains', 'Γραμματεία', 'from-header'), actions: file('ByName'), stop: true }),
    ]);
    expect(res.status, res.text).toBe(200);
    expect(await activeScript(server, FROM.uid)).toContain('if allof (address :all :matches "from" "*@billing.example.com")\r\n');
  });

  it.each([
    ['a quoted display name', BILLING, 'Billing'],
    ['no display name', 'pay@billing.example.com', 'Billing'],
    ['an unquoted display name', 'Billing <pay@billing.example.com>', 'Billing'],
    ['a display name that looks like another address', '"boss@uni.example" <pay@billing.example.com>', 'Billing'],
    ['a display name for “is”', 'The Boss <boss@uni.example>', 'Boss'],
    ['a display name for “starts with”', 'Payroll Office <payroll@uni.example>', 'Pay'],
    ['a Greek encoded-word display name, matched by name', '=?UTF-8?B?zpPPgc6xzrzOvM6xz4TOtc6vzrE=?= <office@uni.example>', 'ByName'],
    ['a subdomain that only ends like it', 'x <pay@billing.example.com.evil.example>', 'INBOX'],
    ['the address only in the display name', '"pay@billing.example.com" <evil@evil.example>', 'INBOX'],
  ])('%s: %s is filed in %s', async (_label, from, folder) => {
    const subject = `from ${folder} ${Math.random().toString(36).slice(2)}`;
    await deliverSubject(FROM.uid, subject, { headerFrom: from });
    expect(await foldersHolding(server, FROM.uid, subject, folders)).toEqual([folder]);
  });
});

describe('a rule the app wrote in the header form', () => {
  const OLD = 'require ["fileinto", "mailbox"];\r\n# rule:[Billing]\r\nif header :matches "from" "*@billing.example.com"\r\n{\r\n\tfileinto :create "Billing";\r\n}\r\n';
  let api: ApiClient;

  beforeAll(async () => {
    api = await freshUser(server, LEGACY.uid);
    await withSieve(server, LEGACY.uid, async (c) => {
      await c.putScript('emailng', OLD);
      await c.setActive('emailng');
    });
  });

  it('is shown as upgraded, kept byte for byte until a save asks for the correction, then does what it says', async () => {
    const view = await getFilters(api);
    expect(view.items).toEqual([
      {
        kind: 'rule',
        editable: true,
        upgraded: true,
        rule: expect.objectContaining({ conditions: [{ type: 'from', operator: 'ends', negate: false, value: '@billing.example.com' }] }),
      },
    ]);
    // Before the save the old Sieve runs: the display name defeats it.
    await deliverSubject(LEGACY.uid, 'legacy before', { headerFrom: BILLING });
    expect(await foldersHolding(server, LEGACY.uid, 'legacy before', ['INBOX', 'Billing'])).toEqual(['INBOX']);
    expect(await activeScript(server, LEGACY.uid)).toBe(OLD);

    // A save that does not ask keeps the text; the SPA's save asks for every rule it showed as upgraded.
    expect((await putFilters(api, asInput(view), view.etag)).status).toBe(200);
    expect(await activeScript(server, LEGACY.uid)).toBe(OLD);
    const saved = await putFilters(api, asInput(view), (await getFilters(api)).etag, { upgrade: [view.items[0]!.kind === 'rule' ? view.items[0]!.rule.id : ''] });
    expect(saved.status, saved.text).toBe(200);
    expect(await activeScript(server, LEGACY.uid)).toBe(OLD.replace('if header :matches "from"', 'if address :all :matches "from"'));
    expect((await getFilters(api)).items[0]).not.toHaveProperty('upgraded');

    await deliverSubject(LEGACY.uid, 'legacy after', { headerFrom: BILLING });
    expect(await foldersHolding(server, LEGACY.uid, 'legacy after', ['INBOX', 'Billing'])).toEqual(['Billing']);
  });
});
