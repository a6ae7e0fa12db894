// The builder's has-flag, spam-score and nested-group conditions (issue 14, item 13) on real
// mail through LMTP, read back over IMAP: each does on delivery what its words say, at the
// boundary of each, and what the API refuses leaves the script as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spamtestPercent } from '../../../api/src/sieve/spam.js';
import type { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser } from '../../support/stack';
import { activeScript, deliverSubject, flagsOf, foldersHolding, freshUser, getFilters, newRule, putFilters, subjectContains } from './filters-support';

// Users of this file only.
const FLAGS = loadUser(87);
const SCORE = loadUser(88);
const GROUPS = loadUser(89);
const REFUSED = loadUser(93);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const move = (mailbox: string) => ({ type: 'fileinto', mailbox, copy: false, create: true });

describe('has flag: a flag an earlier rule set', () => {
  let api: ApiClient;

  beforeAll(async () => {
    api = await freshUser(server, FLAGS.uid);
    const res = await putFilters(api, [
      newRule({ name: 'Urgent', conditions: [subjectContains('urgent')], actions: [{ type: 'addflag', flags: ['\\Flagged'] }] }),
      newRule({ name: 'Flagged ones', match: 'any', conditions: [{ type: 'hasflag', negate: false, flags: ['$Later', '\\Flagged'] }], actions: [move('Important')], stop: true }),
      newRule({ name: 'Unflagged reports', conditions: [{ type: 'hasflag', negate: true, flags: ['\\flagged'] }, subjectContains('report')], actions: [move('Reports')] }),
    ]);
    expect(res.status, res.text).toBe(200);
  });

  it('files a message an earlier rule flagged, with the flag, and leaves the rest', async () => {
    await deliverSubject(FLAGS.uid, 'urgent report');
    await deliverSubject(FLAGS.uid, 'weekly report');
    await deliverSubject(FLAGS.uid, 'hello');
    expect(await foldersHolding(server, FLAGS.uid, 'urgent report', ['INBOX', 'Important', 'Reports'])).toEqual(['Important']);
    expect(await flagsOf(server, FLAGS.uid, 'Important', 'urgent report')).toEqual(['\\Flagged']);
    // "does not have \flagged" (any case: system flags compare case-insensitively)
    expect(await foldersHolding(server, FLAGS.uid, 'weekly report', ['INBOX', 'Important', 'Reports'])).toEqual(['Reports']);
    expect(await foldersHolding(server, FLAGS.uid, 'hello', ['INBOX', 'Important', 'Reports'])).toEqual(['INBOX']);
  });

  it('reads back as the rules that were saved', async () => {
    const view = await getFilters(api);
    expect(view.items.map((i) => (i.kind === 'rule' ? i.rule.conditions : null))).toEqual([
      [subjectContains('urgent')],
      [{ type: 'hasflag', negate: false, flags: ['$Later', '\\Flagged'] }],
      [{ type: 'hasflag', negate: true, flags: ['\\flagged'] }, subjectContains('report')],
    ]);
  });
});

describe('spam score: the site’s X-Spam-Score as a percent of the server’s maximum', () => {
  const MAX = 20; // sieve_spamtest_max_value of the local stack (deploy/config/local.yaml)
  /** The lowest score, to amavisd's 0.001, that the server puts at `percent` or above. */
  const lowestAt = (percent: number): number => {
    let milli = 0;
    while (spamtestPercent(milli / 1000, MAX) < percent) milli++;
    return milli / 1000;
  };
  const at = lowestAt(20);
  const below = (at * 1000 - 1) / 1000;

  beforeAll(async () => {
    const api = await freshUser(server, SCORE.uid);
    // Below the site's tag level (6.31), so the spam section leaves these in the Inbox.
    const res = await putFilters(api, [
      newRule({ name: 'Suspect', match: 'any', conditions: [{ type: 'spamscore', negate: false, comparison: 'ge', percent: 20 }], actions: [move('Suspect')], stop: true }),
      newRule({ name: 'Clean', match: 'any', conditions: [{ type: 'spamscore', negate: false, comparison: 'lt', percent: 5 }], actions: [{ type: 'addflag', flags: ['$Clean'] }] }),
    ]);
    expect(res.status, res.text).toBe(200);
  });

  it.each([
    ['at the boundary', () => at, ['Suspect'], []],
    ['just below it', () => below, ['INBOX'], []],
    ['a clean message', () => 0.4, ['INBOX'], ['$Clean']],
  ])('a score %s is filed as the rule says', async (label, score, folders, flags) => {
    const subject = `score ${label} ${score()}`;
    await deliverSubject(SCORE.uid, subject, { headers: { 'X-Spam-Score': score().toFixed(3) } });
    expect(await foldersHolding(server, SCORE.uid, subject, ['INBOX', 'Suspect'])).toEqual(folders);
    expect(await flagsOf(server, SCORE.uid, folders[0] as string, subject)).toEqual(flags);
  });

  it('mail the site did not scan has score 0: below every threshold', async () => {
    await deliverSubject(SCORE.uid, 'unscanned');
    expect(await foldersHolding(server, SCORE.uid, 'unscanned', ['INBOX', 'Suspect'])).toEqual(['INBOX']);
    expect(await flagsOf(server, SCORE.uid, 'INBOX', 'unscanned')).toEqual(['$Clean']);
  });

  it('the boundary is where the server’s scale puts it, not at a round score', () => {
    expect(at).toBeGreaterThan(3.9);
    expect(at).toBeLessThanOrEqual(4);
    expect(spamtestPercent(below, MAX)).toBe(19);
  });
});

describe('nested groups: any of several inside all of', () => {
  beforeAll(async () => {
    const api = await freshUser(server, GROUPS.uid);
    const res = await putFilters(api, [
      newRule({
        name: 'Invoices',
        match: 'all',
        conditions: [
          { type: 'from', operator: 'ends', negate: false, value: '@billing.example.com' },
          { type: 'group', negate: false, match: 'any', conditions: [subjectContains('invoice'), subjectContains('τιμολόγιο')] },
        ],
        actions: [move('Invoices')],
        stop: true,
      }),
      newRule({
        name: 'Not a list',
        match: 'all',
        conditions: [subjectContains('news'), { type: 'group', negate: true, match: 'any', conditions: [{ type: 'list-id', operator: 'contains', negate: false, value: 'seminar' }, { type: 'header', header: 'Precedence', operator: 'is', negate: false, value: 'bulk' }] }],
        actions: [move('Personal news')],
      }),
    ]);
    expect(res.status, res.text).toBe(200);
  });

  const billing = { from: 'pay@billing.example.com', headerFrom: '"Billing Dept" <pay@billing.example.com>' };

  it.each([
    ['billing invoice', billing, ['Invoices']],
    ['ΤΙΜΟΛΟΓΙΟ Μαρτίου', billing, ['Invoices']], // Greek capitals without tonos
    ['billing hello', billing, ['INBOX']], // all-of holds, none of the any-of
    ['invoice from elsewhere', { from: 'pay@example.org' }, ['INBOX']], // any-of holds, the rest not
  ])('%j is filed where all-of(from, any-of(subjects)) says', async (subject, from, folders) => {
    await deliverSubject(GROUPS.uid, subject, from);
    expect(await foldersHolding(server, GROUPS.uid, subject, ['INBOX', 'Invoices'])).toEqual(folders);
  });

  it.each([
    ['news: personal', {}, ['Personal news']],
    ['news: from a list', { 'List-Id': 'CS seminar <seminar.cs.ucy.ac.cy>' }, ['INBOX']],
    ['news: bulk', { Precedence: 'bulk' }, ['INBOX']],
  ])('a negated group (none of): %s', async (subject, headers, folders) => {
    await deliverSubject(GROUPS.uid, subject, { headers });
    expect(await foldersHolding(server, GROUPS.uid, subject, ['INBOX', 'Personal news'])).toEqual(folders);
  });
});

describe('what the API refuses changes nothing', () => {
  let api: ApiClient;
  let before: string;

  beforeAll(async () => {
    api = await freshUser(server, REFUSED.uid);
    const res = await putFilters(api, [newRule({ name: 'Existing', conditions: [subjectContains('x')], actions: [move('X')] })]);
    expect(res.status, res.text).toBe(200);
    before = await activeScript(server, REFUSED.uid);
  });

  const group = (conditions: unknown[], negate = false) => ({ type: 'group', negate, match: 'any', conditions });
  it.each([
    ['a group inside a group', [group([group([subjectContains('a')])])], 'items.0.conditions.0.conditions.0.type', 'invalid'],
    ['an empty group', [group([])], 'items.0.conditions.0.conditions', 'required'],
    ['a flag the server would skip', [{ type: 'hasflag', negate: false, flags: ['Εργασία'] }], 'items.0.conditions.0.flags.0', 'invalid_flag'],
    ['no flag at all', [{ type: 'hasflag', negate: false, flags: [] }], 'items.0.conditions.0.flags', 'required'],
    ['a percent over 100', [{ type: 'spamscore', negate: false, comparison: 'ge', percent: 101 }], 'items.0.conditions.0.percent', 'out_of_range'],
    ['a fractional percent', [{ type: 'spamscore', negate: false, comparison: 'ge', percent: 20.5 }], 'items.0.conditions.0.percent', 'invalid'],
    ['an empty value inside a group', [group([subjectContains('  ')])], 'items.0.conditions.0.conditions.0.value', 'required'],
  ])('%s: 400 with the field’s code', async (_label, conditions, field, code) => {
    const res = await putFilters(api, [newRule({ conditions, actions: [move('Y')] })]);
    expect(res.status, res.text).toBe(400);
    expect((res.body.fields as Record<string, string> | undefined)?.[field], JSON.stringify(res.body.fields)).toBe(code);
    expect(await activeScript(server, REFUSED.uid)).toBe(before);
  });
});
