// "Save mine anyway" no longer loses the other tab's rules (issue 14, item 11): two API
// clients race on the same user's filters; the second save meets 409, the page's three-way
// merge (web/src/composables/filtersMerge.ts) of what it loaded, what it wants and what the
// server has keeps both sides' rules, and saved with the new ETag, real mail delivered through
// LMTP follows both. A same-rule change on both sides is a conflict that asks.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FiltersResponse } from '../../../web/src/api/types';
import { applyChoice, mergeFilters } from '../../../web/src/composables/filtersMerge';
import { toBody, toForm, type Entry } from '../../../web/src/composables/filtersForm';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser, REPO_ROOT } from '../../support/stack';
import { activeScript, deliverSubject, foldersHolding, freshUser, getFilters, newRule, putFilters, subjectContains, withSieve } from './filters-support';

// Users of this file only.
const RACE = loadUser(97);
const CLASH = loadUser(98);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** `uid` afresh with Roundcube's mixed script (rules and a hand-written block) taken over, signed in twice: two tabs. */
async function twoTabs(uid: string): Promise<[ApiClient, ApiClient, string]> {
  const first = await freshUser(server, uid);
  const original = readFileSync(`${REPO_ROOT}/test/fixtures/sieve/roundcube-edit-mixed.sieve`, 'utf8');
  await withSieve(server, uid, async (c) => {
    await c.putScript('roundcube', original);
    await c.setActive('roundcube');
  });
  expect((await first.request('POST', '/api/script/take-over', { json: {} })).status).toBe(200);
  const second = new ApiClient(server.url);
  expect((await second.signIn(uid, 'load-pass')).status).toBe(200);
  return [first, second, original];
}

const view = async (api: ApiClient) => (await getFilters(api)) as unknown as FiltersResponse;
const ruleEntry = (rule: ReturnType<typeof newRule>): Entry => {
  const { kind: _kind, ...r } = rule;
  return { kind: 'rule', key: r.id, rule: r as never };
};
/** PUT /api/filters with the body the page sends for this list. */
function save(api: ApiClient, items: Entry[], deleteCustom: string[], etag: string) {
  const body = toBody({ items, deleteCustom });
  return putFilters(api, body.items, etag, { deleteCustom: body.deleteCustom, upgrade: body.upgrade });
}
const names = (items: readonly Entry[]) => items.map((e) => (e.kind === 'rule' ? e.rule.name : 'custom'));

describe('two tabs add a rule each', () => {
  it('the second save 409s, the merge keeps the first tab’s rule, and delivery follows both', async () => {
    const [tab1, tab2, original] = await twoTabs(RACE.uid);
    const seen1 = await view(tab1);
    const seen2 = await view(tab2);
    const [loaded1, loaded2] = [toForm(seen1), toForm(seen2)];

    // Tab 1 adds a rule and turns the old one on; it saves first.
    const one = newRule({ name: 'Tab one', conditions: [subjectContains('merge-one')], actions: [{ type: 'fileinto', mailbox: 'One', copy: false, create: true }] });
    const mine1 = structuredClone(loaded1.items);
    const old1 = mine1.find((e) => e.kind === 'rule' && e.rule.name === 'Old rule');
    if (old1?.kind !== 'rule') throw new Error('expected Old rule');
    old1.rule.enabled = true;
    mine1.push(ruleEntry(one));
    const first = await save(tab1, mine1, [], seen1.etag);
    expect(first.status, first.text).toBe(200);

    // Tab 2, still on what it loaded, adds a Greek rule at the top and deletes Boss.
    const two = newRule({ name: 'Δεύτερη καρτέλα', conditions: [subjectContains('συγχώνευση')], actions: [{ type: 'fileinto', mailbox: 'Δύο', copy: false, create: true }] });
    const mine2 = [ruleEntry(two), ...loaded2.items.filter((e) => !(e.kind === 'rule' && e.rule.name === 'Boss'))];
    const refused = await save(tab2, mine2, [], seen2.etag);
    expect(refused.status).toBe(409);
    const current = refused.body.current as unknown as FiltersResponse;

    const merged = mergeFilters(loaded2.items, mine2, toForm(current).items);
    expect(merged.conflicts).toEqual([]);
    expect(names(merged.items)).toEqual(['Δεύτερη καρτέλα', 'Newsletters', 'custom', 'Old rule', 'Seminar announcements', 'Tab one']);
    // What came from the other tab: its new rule and its change of the old one.
    const fromThem = merged.items.filter((e) => merged.fromThem.includes(e.key)).map((e) => (e.kind === 'rule' ? e.rule.name : 'custom'));
    expect(fromThem).toEqual(['Old rule', 'Tab one']);

    const saved = await save(tab2, merged.items, merged.deleteCustom, current.etag);
    expect(saved.status, saved.text).toBe(200);
    const script = await activeScript(server, RACE.uid);
    expect(script).toContain('# rule:[Tab one]');
    expect(script).toContain('# rule:[Δεύτερη καρτέλα]');
    expect(script).not.toContain('# rule:[Boss]');
    expect(script).not.toContain('if false');
    // The hand-written block and the untouched rules, byte for byte.
    for (const kept of ['# a hand-written block Roundcube never saw\r\nif exists "X-Tracker"   {  addflag   "tracked" ; }\r\n', original.slice(original.indexOf('# rule:[Seminar'))]) {
      expect(script.replace(/\r\n/g, '\n')).toContain(kept.replace(/\r\n/g, '\n'));
    }

    await deliverSubject(RACE.uid, 'merge-one report');
    await deliverSubject(RACE.uid, 'η συγχώνευση έγινε');
    expect(await foldersHolding(server, RACE.uid, 'merge-one report', ['INBOX', 'One', 'Δύο'])).toEqual(['One']);
    expect(await foldersHolding(server, RACE.uid, 'η συγχώνευση έγινε', ['INBOX', 'One', 'Δύο'])).toEqual(['Δύο']);
  });
});

describe('both tabs change the same rule', () => {
  it('is a conflict; the version chosen is saved once, in its place, and delivery follows it', async () => {
    const [tab1, tab2] = await twoTabs(CLASH.uid);
    const seen1 = await view(tab1);
    const seen2 = await view(tab2);
    const bossOf = (items: Entry[]) => {
      const boss = items.find((e) => e.kind === 'rule' && e.rule.name === 'Boss');
      if (boss?.kind !== 'rule') throw new Error('expected Boss');
      return boss;
    };

    const mine1 = toForm(seen1).items;
    bossOf(mine1).rule.actions = [{ type: 'fileinto', mailbox: 'Boss-one', copy: false, create: true }];
    expect((await save(tab1, mine1, [], seen1.etag)).status).toBe(200);

    const loaded2 = toForm(seen2).items;
    const mine2 = structuredClone(loaded2);
    bossOf(mine2).rule.actions = [{ type: 'fileinto', mailbox: 'Προϊστάμενος', copy: false, create: true }];
    const refused = await save(tab2, mine2, [], seen2.etag);
    expect(refused.status).toBe(409);
    const current = refused.body.current as unknown as FiltersResponse;

    const merged = mergeFilters(loaded2, mine2, toForm(current).items);
    expect(merged.conflicts.map((c) => c.kind)).toEqual(['both-changed']);
    // Saving before choosing is not offered by the page; the list holds every other rule.
    expect(names(merged.items)).toEqual(['Newsletters', 'custom', 'Old rule', 'Seminar announcements']);
    const items = [...merged.items];
    applyChoice(items, merged.conflicts[0]!, 'mine');
    expect(names(items)).toEqual(['Newsletters', 'custom', 'Boss', 'Old rule', 'Seminar announcements']);
    const saved = await save(tab2, items, merged.deleteCustom, current.etag);
    expect(saved.status, saved.text).toBe(200);

    const script = await activeScript(server, CLASH.uid);
    expect(script.match(/# rule:\[Boss\]/g)).toHaveLength(1);
    expect(script).toContain('"Προϊστάμενος"');
    expect(script).not.toContain('Boss-one');
    await deliverSubject(CLASH.uid, 'weekly plan', { from: 'boss@uni.example' });
    expect(await foldersHolding(server, CLASH.uid, 'weekly plan', ['INBOX', 'Boss-one', 'Προϊστάμενος'])).toEqual(['Προϊστάμενος']);
  });
});
