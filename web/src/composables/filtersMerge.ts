import type { FilterRule } from '../api/types';
import type { CustomEntry, Entry, RuleEntry } from './filtersForm';

// Three-way merge of the rule list after a 409 (issue 14, item 11): base is what this tab
// loaded, mine what it wants to save, theirs what the server holds now. Every rule the other
// side added or changed that this side left alone is kept; only the same rule changed on both
// sides (or changed on one and deleted on the other) is a conflict the user decides.
//
// Rule ids come from a hash of the rule's Sieve text (api/src/sieve/document), so a rule the
// other side changed comes back under a new id. Such a rule is paired with the base rule that
// vanished by its name when the name picks out exactly one of each; otherwise it counts as
// deleted there and added there, which loses nothing.

export type Side = 'mine' | 'theirs';

export type ConflictKind =
  /** Changed here and there, differently. */
  | 'both-changed'
  /** Changed here, deleted there. */
  | 'deleted-there'
  /** Deleted here, changed there. */
  | 'deleted-here';

export interface RuleConflict {
  kind: ConflictKind;
  /** The rule as this tab has it, null when deleted here. */
  mine: RuleEntry | null;
  /** The rule as saved elsewhere, null when deleted there. */
  theirs: RuleEntry | null;
  /** The key it had in the loaded list (names the conflict). */
  key: string;
  /** Keys of the merged entries before it, nearest first: where a kept version goes. */
  after: string[];
}

export interface FiltersMerge {
  /** The merged list without the conflicted rules (they go in once chosen). */
  items: Entry[];
  /** Custom blocks this tab deleted that are still on the server. */
  deleteCustom: string[];
  /** Keys of merged entries that came from the other side (added or changed there). */
  fromThem: string[];
  conflicts: RuleConflict[];
}

type Slot = { entry: Entry; theirs: boolean } | { conflict: Omit<RuleConflict, 'after'> };

/** JSON with sorted keys, so two equal rules compare equal whatever the order of their fields. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What a rule does and is called, without its id (which follows its text on the server). */
export function sameRule(a: FilterRule, b: FilterRule): boolean {
  const { id: _a, ...restA } = a;
  const { id: _b, ...restB } = b;
  return canonical(restA) === canonical(restB);
}

const isRule = (e: Entry | undefined): e is RuleEntry => e?.kind === 'rule';

/** theirs key → base key, for rules the other side changed (and so renamed by id). */
function pairChanged(base: readonly Entry[], theirs: readonly Entry[]): Map<string, string> {
  const theirKeys = new Set(theirs.map((e) => e.key));
  const baseKeys = new Set(base.map((e) => e.key));
  const gone = base.filter((e): e is RuleEntry => isRule(e) && !theirKeys.has(e.key));
  const added = theirs.filter((e): e is RuleEntry => isRule(e) && !baseKeys.has(e.key));
  const byName = <T extends RuleEntry>(list: T[]) => {
    const m = new Map<string, T[]>();
    // NFC: the same name typed in another Unicode form (NFD Greek) is still the same name.
    for (const e of list) {
      const name = e.rule.name.normalize('NFC');
      m.set(name, [...(m.get(name) ?? []), e]);
    }
    return m;
  };
  const goneByName = byName(gone);
  const pairs = new Map<string, string>();
  for (const [name, candidates] of byName(added)) {
    const before = goneByName.get(name);
    if (name !== '' && candidates.length === 1 && before?.length === 1) pairs.set((candidates[0] as RuleEntry).key, (before[0] as RuleEntry).key);
  }
  return pairs;
}

/** Whether the keys both lists hold come in a different order in `side` than in `base`. */
function reordered(base: readonly string[], side: readonly string[]): boolean {
  const inSide = new Set(side);
  const inBase = new Set(base);
  const a = base.filter((k) => inSide.has(k));
  const b = side.filter((k) => inBase.has(k));
  return a.some((k, i) => k !== b[i]);
}

/**
 * The merged order: the primary side's order (this tab's, unless only the other side
 * reordered), each further key placed after its nearest predecessor in the other side's order
 * (first when it has none there).
 */
function order(keys: ReadonlySet<string>, primary: readonly string[], secondary: readonly string[]): string[] {
  const out = primary.filter((k) => keys.has(k));
  const placed = new Set(out);
  secondary.forEach((k, i) => {
    if (!keys.has(k) || placed.has(k)) return;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const prev = out.indexOf(secondary[j] as string);
      if (prev >= 0) {
        at = prev + 1;
        break;
      }
    }
    out.splice(at, 0, k);
    placed.add(k);
  });
  return out;
}

export function mergeFilters(base: readonly Entry[], mine: readonly Entry[], theirs: readonly Entry[]): FiltersMerge {
  const pairs = pairChanged(base, theirs);
  const mergeKey = (e: Entry) => pairs.get(e.key) ?? e.key;
  const baseBy = new Map(base.map((e) => [e.key, e]));
  const mineBy = new Map(mine.map((e) => [e.key, e]));
  const theirsBy = new Map(theirs.map((e) => [mergeKey(e), e]));
  const baseSeq = base.map((e) => e.key);
  const mineSeq = mine.map((e) => e.key);
  const theirsSeq = theirs.map(mergeKey);

  const slots = new Map<string, Slot>();
  const deleteCustom: string[] = [];
  for (const key of new Set([...baseSeq, ...mineSeq, ...theirsSeq])) {
    const b = baseBy.get(key);
    const m = mineBy.get(key);
    const t = theirsBy.get(key);
    if (b?.kind === 'custom' || m?.kind === 'custom' || t?.kind === 'custom') {
      // A custom block is only kept, moved or deleted here, never changed (its id is its text).
      if (t && (m || !b)) slots.set(key, { entry: t, theirs: !b });
      else if (t && b && !m) deleteCustom.push((t as CustomEntry).id);
      continue;
    }
    const mineChanged = !!m && (!isRule(b) || !sameRule((m as RuleEntry).rule, b.rule));
    const theirsChanged = !!t && (!isRule(b) || !sameRule((t as RuleEntry).rule, b.rule));
    const mr = m as RuleEntry | undefined;
    const tr = t as RuleEntry | undefined;
    if (mr && tr) {
      if (!mineChanged || sameRule(mr.rule, tr.rule)) slots.set(key, { entry: tr, theirs: theirsChanged });
      else if (!theirsChanged) slots.set(key, { entry: withId(mr, tr.key), theirs: false });
      else slots.set(key, { conflict: { kind: 'both-changed', mine: withId(mr, tr.key), theirs: tr, key } });
    } else if (mr) {
      // Not there: new here, or deleted there (a conflict only if changed here meanwhile).
      if (!b) slots.set(key, { entry: mr, theirs: false });
      else if (mineChanged) slots.set(key, { conflict: { kind: 'deleted-there', mine: mr, theirs: null, key } });
    } else if (tr) {
      if (!b) slots.set(key, { entry: tr, theirs: true });
      else if (theirsChanged) slots.set(key, { conflict: { kind: 'deleted-here', mine: null, theirs: tr, key } });
    }
  }

  const onlyTheyReordered = !reordered(baseSeq, mineSeq) && reordered(baseSeq, theirsSeq);
  const keys = new Set(slots.keys());
  const sequence = onlyTheyReordered ? order(keys, theirsSeq, mineSeq) : order(keys, mineSeq, theirsSeq);

  const items: Entry[] = [];
  const fromThem: string[] = [];
  const conflicts: RuleConflict[] = [];
  for (const key of sequence) {
    const slot = slots.get(key) as Slot;
    if ('conflict' in slot) {
      conflicts.push({ ...slot.conflict, after: items.map((e) => e.key).reverse() });
      continue;
    }
    items.push(slot.entry);
    if (slot.theirs) fromThem.push(slot.entry.key);
  }
  return { items, deleteCustom, fromThem, conflicts };
}

/** The rule of `entry` under `id` (this tab's version of a rule the server knows by `id`). */
function withId(entry: RuleEntry, id: string): RuleEntry {
  return entry.key === id ? entry : { ...entry, key: id, rule: { ...entry.rule, id } };
}

/**
 * Puts the version the user chose of a conflicted rule into `items` (in place), after the
 * nearest entry that preceded it in the merge and is still there; a deletion chosen leaves the
 * list as it is. Returns the index it went to, or -1.
 */
export function applyChoice(items: Entry[], conflict: RuleConflict, side: Side): number {
  const chosen = side === 'mine' ? conflict.mine : conflict.theirs;
  const existing = items.findIndex((e) => e.key === conflict.key || e.key === conflict.mine?.key || e.key === conflict.theirs?.key);
  if (existing >= 0) items.splice(existing, 1);
  if (!chosen) return -1;
  let at = 0;
  for (const key of conflict.after) {
    const i = items.findIndex((e) => e.key === key);
    if (i >= 0) {
      at = i + 1;
      break;
    }
  }
  items.splice(at, 0, chosen);
  return at;
}
