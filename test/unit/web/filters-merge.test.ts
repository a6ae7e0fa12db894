import { describe, expect, it } from 'vitest';
import type { FilterRule } from '../../../web/src/api/types';
import type { CustomEntry, Entry, RuleEntry } from '../../../web/src/composables/filtersForm';
import { applyChoice, mergeFilters, sameRule } from '../../../web/src/composables/filtersMerge';

// The three-way merge of the rule list after a 409 (issue 14, item 11). base: what the tab
// loaded; mine: what it wants to save; theirs: what the server has now. A rule the other side
// changed comes back under a new id (ids follow the Sieve text), hence the `r2` keys below.

function rule(key: string, name: string, over: Partial<FilterRule> = {}): RuleEntry {
  const r: FilterRule = {
    id: key,
    name,
    enabled: true,
    match: 'all',
    conditions: [{ type: 'subject', operator: 'contains', negate: false, value: name }],
    actions: [{ type: 'fileinto', mailbox: name, copy: false, create: false }],
    stop: false,
    ...over,
  };
  return { kind: 'rule', key, rule: r };
}

/** The same rule as the server would return it after a change: new id, new content. */
function changed(e: RuleEntry, newKey: string, over: Partial<FilterRule>): RuleEntry {
  return { kind: 'rule', key: newKey, rule: { ...e.rule, ...over, id: newKey } };
}

const custom = (id: string, text: string): CustomEntry => ({ kind: 'custom', key: id, id, text });
const keys = (items: readonly Entry[]) => items.map((e) => e.key);
const names = (items: readonly Entry[]) => items.map((e) => (e.kind === 'rule' ? e.rule.name : `custom:${e.id}`));

const A = rule('rA', 'Alpha');
const B = rule('rB', 'Beta');
const C = rule('rC', 'Gamma');
const base = [A, B, C];

describe('mergeFilters: nothing in common to decide', () => {
  it('returns the server’s list when neither side changed anything', () => {
    const out = mergeFilters(base, base, base);
    expect(keys(out.items)).toEqual(['rA', 'rB', 'rC']);
    expect(out).toMatchObject({ fromThem: [], conflicts: [], deleteCustom: [] });
  });

  it('keeps a rule the other tab added after the rules before it, and this tab’s new rule too', () => {
    const T = rule('rT', 'Theirs');
    const M = rule('new-1', 'Mine');
    const out = mergeFilters(base, [...base, M], [...base, T]);
    expect(keys(out.items)).toEqual(['rA', 'rB', 'rC', 'rT', 'new-1']);
    expect(out.fromThem).toEqual(['rT']);
    expect(out.conflicts).toEqual([]);
  });

  it('puts a rule the other tab added at the top at the top', () => {
    const T = rule('rT', 'Theirs');
    const out = mergeFilters(base, [A, B], [T, ...base]);
    expect(keys(out.items)).toEqual(['rT', 'rA', 'rB']);
    expect(out.fromThem).toEqual(['rT']);
  });

  it('keeps a rule added in the middle there in its place among this tab’s rules', () => {
    const T = rule('rT', 'Theirs');
    const out = mergeFilters(base, base, [A, T, B, C]);
    expect(keys(out.items)).toEqual(['rA', 'rT', 'rB', 'rC']);
  });

  it('takes the other side’s change of a rule this tab left alone, under its new id, marked', () => {
    const B2 = changed(B, 'rB2', { enabled: false });
    const out = mergeFilters(base, base, [A, B2, C]);
    expect(out.items[1]).toBe(B2);
    expect(out.fromThem).toEqual(['rB2']);
  });

  it('keeps this tab’s change of a rule the other side left alone', () => {
    const mineB = { ...B, rule: { ...B.rule, stop: true } };
    const out = mergeFilters(base, [A, mineB, C], base);
    expect(out.items[1]).toEqual(mineB);
    expect(out.fromThem).toEqual([]);
  });

  it('sends this tab’s change under the server’s id when only the id moved there (same content)', () => {
    const mineB = { ...B, rule: { ...B.rule, stop: true } };
    const sameB = changed(B, 'rB-moved', {});
    const out = mergeFilters(base, [A, mineB, C], [A, sameB, C]);
    expect(out.items[1]).toMatchObject({ key: 'rB-moved', rule: { id: 'rB-moved', stop: true } });
  });

  it('is no conflict when both sides made the same change', () => {
    const mineB = { ...B, rule: { ...B.rule, enabled: false } };
    const B2 = changed(B, 'rB2', { enabled: false });
    const out = mergeFilters(base, [A, mineB, C], [A, B2, C]);
    expect(out.conflicts).toEqual([]);
    expect(out.items[1]).toBe(B2);
  });

  it('drops a rule deleted on one side and untouched on the other, and one deleted on both', () => {
    expect(keys(mergeFilters(base, [A, C], base).items)).toEqual(['rA', 'rC']);
    expect(keys(mergeFilters(base, base, [A, C]).items)).toEqual(['rA', 'rC']);
    expect(keys(mergeFilters(base, [A, C], [A, C]).items)).toEqual(['rA', 'rC']);
  });

  it('compares rules by content, whatever the order of their fields', () => {
    const reorderedFields = JSON.parse(JSON.stringify({ stop: B.rule.stop, actions: B.rule.actions, id: 'x', conditions: B.rule.conditions, match: B.rule.match, enabled: B.rule.enabled, name: B.rule.name })) as FilterRule;
    expect(sameRule(reorderedFields, B.rule)).toBe(true);
    const out = mergeFilters(base, [A, { ...B, rule: { ...reorderedFields, id: 'rB' } }, C], [A, C]);
    expect(out.conflicts).toEqual([]);
    expect(keys(out.items)).toEqual(['rA', 'rC']);
  });

  it('keeps this tab’s copy of a rule whose original the other side changed', () => {
    const copy = rule('new-2', 'Beta (copy)');
    const B2 = changed(B, 'rB2', { stop: true });
    const out = mergeFilters(base, [A, B, copy, C], [A, B2, C]);
    expect(keys(out.items)).toEqual(['rA', 'rB2', 'new-2', 'rC']);
  });
});

describe('mergeFilters: order', () => {
  it('keeps this tab’s new order and places the other side’s new rule after its predecessor', () => {
    const T = rule('rT', 'Theirs');
    const out = mergeFilters(base, [C, B, A], [A, T, B, C]);
    expect(keys(out.items)).toEqual(['rC', 'rB', 'rA', 'rT']);
  });

  it('takes the other side’s order when only it reordered, with this tab’s new rule after its predecessor', () => {
    const M = rule('new-1', 'Mine');
    const out = mergeFilters(base, [A, M, B, C], [C, B, A]);
    expect(keys(out.items)).toEqual(['rC', 'rB', 'rA', 'new-1']);
  });

  it('keeps this tab’s order when both reordered', () => {
    const out = mergeFilters(base, [B, A, C], [C, A, B]);
    expect(keys(out.items)).toEqual(['rB', 'rA', 'rC']);
  });

  it('places the other side’s changed rule where this tab has it after a move here', () => {
    const A2 = changed(A, 'rA2', { stop: true });
    const out = mergeFilters(base, [B, C, A], [A2, B, C]);
    expect(keys(out.items)).toEqual(['rB', 'rC', 'rA2']);
  });
});

describe('mergeFilters: real conflicts ask, per rule', () => {
  it('the same rule changed on both sides: either version, in its place', () => {
    const mineB = { ...B, rule: { ...B.rule, name: 'Beta', stop: true } };
    const B2 = changed(B, 'rB2', { enabled: false });
    const out = mergeFilters(base, [A, mineB, C], [A, B2, C]);
    expect(keys(out.items)).toEqual(['rA', 'rC']);
    expect(out.conflicts).toHaveLength(1);
    const [conflict] = out.conflicts;
    expect(conflict).toMatchObject({ kind: 'both-changed', key: 'rB', theirs: B2 });
    // Mine is sent under the server's id: an edit of the rule there, not a second rule.
    expect(conflict?.mine).toMatchObject({ key: 'rB2', rule: { id: 'rB2', stop: true, enabled: true } });

    const keepMine = [...out.items];
    expect(applyChoice(keepMine, conflict!, 'mine')).toBe(1);
    expect(keepMine[1]).toMatchObject({ rule: { stop: true, enabled: true } });
    // Changing one's mind replaces the version put in, never adds a second.
    applyChoice(keepMine, conflict!, 'theirs');
    expect(keys(keepMine)).toEqual(['rA', 'rB2', 'rC']);
    expect(keepMine[1]).toBe(B2);
  });

  it('changed here, deleted there: keep it (as a new rule) or let it go', () => {
    const mineB = { ...B, rule: { ...B.rule, stop: true } };
    const out = mergeFilters(base, [A, mineB, C], [A, C]);
    const [conflict] = out.conflicts;
    expect(conflict).toMatchObject({ kind: 'deleted-there', mine: mineB, theirs: null });
    const kept = [...out.items];
    applyChoice(kept, conflict!, 'mine');
    expect(keys(kept)).toEqual(['rA', 'rB', 'rC']);
    const gone = [...out.items];
    expect(applyChoice(gone, conflict!, 'theirs')).toBe(-1);
    expect(keys(gone)).toEqual(['rA', 'rC']);
  });

  it('deleted here, changed there: keep their version or delete it', () => {
    const B2 = changed(B, 'rB2', { stop: true });
    const out = mergeFilters(base, [A, C], [A, B2, C]);
    const [conflict] = out.conflicts;
    expect(conflict).toMatchObject({ kind: 'deleted-here', mine: null, theirs: B2 });
    const kept = [...out.items];
    applyChoice(kept, conflict!, 'theirs');
    expect(keys(kept)).toEqual(['rA', 'rB2', 'rC']);
  });

  it('a conflicted first rule goes back first', () => {
    const mineA = { ...A, rule: { ...A.rule, stop: true } };
    const A2 = changed(A, 'rA2', { enabled: false });
    const out = mergeFilters(base, [mineA, B, C], [A2, B, C]);
    const items = [...out.items];
    expect(applyChoice(items, out.conflicts[0]!, 'theirs')).toBe(0);
    expect(keys(items)).toEqual(['rA2', 'rB', 'rC']);
  });

  it('a rule renamed and changed there cannot be paired: it is added, the old one counts as deleted there', () => {
    const B2 = changed(B, 'rB2', { name: 'Beta renamed', stop: true });
    const untouched = mergeFilters(base, base, [A, B2, C]);
    expect(keys(untouched.items)).toEqual(['rA', 'rB2', 'rC']);
    expect(untouched.conflicts).toEqual([]);
    const mineB = { ...B, rule: { ...B.rule, enabled: false } };
    const edited = mergeFilters(base, [A, mineB, C], [A, B2, C]);
    expect(edited.conflicts.map((c) => c.kind)).toEqual(['deleted-there']);
    expect(keys(edited.items)).toEqual(['rA', 'rB2', 'rC']);
  });

  it('pairs by name only when the name picks out one rule on each side', () => {
    const twinA = rule('rA', 'Twin');
    const twinB = rule('rB', 'Twin', { stop: true });
    const b = [twinA, twinB];
    const mineA = { ...twinA, rule: { ...twinA.rule, enabled: false } };
    const theirs = [changed(twinA, 'rX', { match: 'any' }), changed(twinB, 'rY', { match: 'any' })];
    const out = mergeFilters(b, [mineA, twinB], theirs);
    // Unpaired: their two versions are kept as added; this tab's edited one asks (deleted there).
    expect(keys(out.items)).toEqual(['rX', 'rY']);
    expect(out.conflicts.map((c) => [c.kind, c.key])).toEqual([['deleted-there', 'rA']]);
  });

  it('pairs a Greek name typed in another Unicode form (NFD) with the loaded one', () => {
    const nfc = 'Σχολή Θετικών Επιστημών'.normalize('NFC');
    const G = rule('rG', nfc);
    const G2 = changed(G, 'rG2', { name: nfc.normalize('NFD'), stop: true });
    const mineG = { ...G, rule: { ...G.rule, enabled: false } };
    const out = mergeFilters([G], [mineG], [G2]);
    expect(out.conflicts).toHaveLength(1);
    expect(out.conflicts[0]).toMatchObject({ kind: 'both-changed', theirs: G2 });
  });

  it('keeps hostile names as data: control and format characters, final sigma, tonos', () => {
    const odd = rule('rO', 'Κανόνας\u200b "x" \u0007 τελικός ς ά');
    const T = rule('rT', '\u202eevil\u0000');
    const out = mergeFilters([odd], [odd], [odd, T]);
    expect(names(out.items)).toEqual(['Κανόνας\u200b "x" \u0007 τελικός ς ά', '\u202eevil\u0000']);
  });
});

describe('mergeFilters: custom blocks', () => {
  const X = custom('cX', 'if header :is "X-Loop" "a" {\r\n  discard;\r\n}\r\n');
  const Y = custom('cY', '# hand-written\r\nkeep;\r\n');

  it('keeps each block the very entry the server sent (its text byte for byte)', () => {
    const out = mergeFilters([A, X], [A, X], [A, X]);
    expect(out.items[1]).toBe(X);
  });

  it('keeps a block the other side added, marked, where it put it', () => {
    const out = mergeFilters([A, B], [A, B], [A, Y, B]);
    expect(names(out.items)).toEqual(['Alpha', 'custom:cY', 'Beta']);
    expect(out.fromThem).toEqual(['cY']);
  });

  it('deletes a block this tab deleted only while the server still has it', () => {
    expect(mergeFilters([X, Y], [Y], [X, Y])).toMatchObject({ deleteCustom: ['cX'] });
    expect(mergeFilters([X, Y], [Y], [Y])).toMatchObject({ deleteCustom: [] });
  });

  it('lets a block the other side deleted go, even though this tab kept it', () => {
    const out = mergeFilters([X, A], [X, A], [A]);
    expect(keys(out.items)).toEqual(['rA']);
    expect(out.deleteCustom).toEqual([]);
  });

  it('a block edited there (new text, new id) is the old one deleted and a new one added', () => {
    const X2 = custom('cX2', X.text.replace('discard', 'stop'));
    const out = mergeFilters([X], [X], [X2]);
    expect(out.items).toEqual([X2]);
    expect(out.fromThem).toEqual(['cX2']);
  });
});
