import { computed, inject, provide, ref, type InjectionKey } from 'vue';
import { filtersApi } from '../api/client';
import type { FilterAction, FilterCondition, FilterRule, FiltersResponse } from '../api/types';
import { useScriptSetting } from './useScriptSetting';
import { toBody, toForm, type Entry, type FiltersForm } from './filtersForm';
import { focusById } from './useDocument';
import { applyChoice, mergeFilters, type RuleConflict, type Side } from './filtersMerge';

// The filters page's state, shared by the rule list and the rule editor (one instance per
// visit of #/filters, provided by FiltersView): the ordered items — rules the builder edits
// and custom Sieve blocks it only moves — with local changes until Save, which sends the
// whole list with If-Match through useScriptSetting (409 merged by rule, take-over, field codes).

export type { CustomEntry, Entry, FiltersForm, RuleEntry } from './filtersForm';
export { toBody, toForm } from './filtersForm';

/** The API answer in the shape useScriptSetting expects (the filters have no "hand-edited"). */
export type FiltersState = FiltersResponse & { handEdited: boolean };

/** A deleted item, kept until Save so that Undo puts it back where it was. */
export interface Removed {
  entry: Entry;
  index: number;
}

export const TEXT_FIELDS = ['from', 'to-or-cc', 'from-header', 'to-or-cc-header', 'subject', 'list-id', 'body'] as const;
export const OPERATORS = ['contains', 'is', 'starts', 'ends', 'matches', 'regex'] as const;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

let counter = 0;
export function newId(): string {
  counter += 1;
  return `new-${Date.now().toString(36)}-${counter}`;
}

/** A new rule: these conditions (else one empty "From contains"), moving to a folder yet to be chosen. */
export function newRule(conditions: FilterCondition[] = [], name = ''): FilterRule {
  if (conditions.length === 0) conditions = [{ type: 'from', operator: 'contains', negate: false, value: '' }];
  return {
    id: newId(),
    name,
    enabled: true,
    match: 'all',
    conditions,
    actions: [{ type: 'fileinto', mailbox: '', copy: false, create: false }],
    stop: false,
  };
}

const isText = (c: FilterCondition): c is Extract<FilterCondition, { operator: string }> => 'operator' in c;

/**
 * Checks made before sending: an empty value would make the rule match every message (the
 * server refuses it too, but the UI says why); a move needs a folder; a forward an address.
 */
export function checkRule(rule: FilterRule, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (rule.name.trim() === '') out[`${prefix}name`] = 'required';
  if (rule.match !== 'always' && rule.conditions.length === 0) out[`${prefix}conditions`] = 'no_conditions';
  const checkCondition = (c: FilterCondition, path: string): void => {
    if (c.type === 'group') {
      if (c.conditions.length === 0) out[`${path}.conditions`] = 'no_conditions';
      c.conditions.forEach((inner, j) => checkCondition(inner, `${path}.conditions.${j}`));
      return;
    }
    if (c.type === 'header' && c.header.trim() === '') out[`${path}.header`] = 'required';
    if (isText(c) && c.value.trim() === '') out[`${path}.value`] = 'matches_everything';
    if (c.type === 'hasflag' && c.flags.length === 0) out[`${path}.flags`] = 'required';
  };
  rule.conditions.forEach((c, i) => checkCondition(c, `${prefix}conditions.${i}`));
  if (rule.actions.length === 0) out[`${prefix}actions`] = 'required';
  rule.actions.forEach((a: FilterAction, i) => {
    if (a.type === 'fileinto' && a.mailbox.trim() === '') out[`${prefix}actions.${i}.mailbox`] = 'required';
    if (a.type === 'redirect' && a.address.trim() === '') out[`${prefix}actions.${i}.address`] = 'required';
    if ((a.type === 'addflag' || a.type === 'setflag' || a.type === 'removeflag') && a.flags.length === 0) out[`${prefix}actions.${i}.flags`] = 'required';
  });
  return out;
}

function check(form: FiltersForm): Record<string, string> {
  const out: Record<string, string> = {};
  form.items.forEach((e, i) => {
    if (e.kind === 'rule') Object.assign(out, checkRule(e.rule, `items.${i}.`));
  });
  return out;
}

/** The element id of a field in the rule editor: `rule-conditions-0-value`. */
export function ruleFieldId(path: string): string {
  // The flags are one text box: `actions.0.flags.2` is focused there.
  return `rule-${path.replace(/\.flags\.\d+$/, '.flags').replaceAll('.', '-')}`;
}

/** A save that met 409 and was merged with what the server has now, until saved or dropped. */
export interface PendingMerge {
  /** Keys of the entries that came from the other side (added or changed there). */
  fromThem: string[];
  conflicts: RuleConflict[];
  /** The version chosen of each conflict, in order; null while the user has not chosen. */
  choices: Array<Side | null>;
}

export function createFiltersStore(leaveQuestion: () => string) {
  /** Index of the rule the editor shows, so a field error can be focused there. */
  const editing = ref<number | null>(null);
  const merge = ref<PendingMerge | null>(null);
  const unchosen = (): number => merge.value?.choices.indexOf(null) ?? -1;
  const s = useScriptSetting<FiltersState, FiltersForm>({
    load: async () => ({ ...(await filtersApi.filters()), handEdited: false }),
    save: async (form, etag) => ({ ...(await filtersApi.save(toBody(form), etag)), handEdited: false }),
    toForm,
    // A merged list is saved only once every conflict has its version chosen.
    check: (form) => (unchosen() >= 0 ? { merge: 'choose_version' } : check(form)),
    controlId: (field) => {
      const m = /^items\.(\d+)\.(.+)$/.exec(field);
      if (m && editing.value !== null && Number(m[1]) === editing.value) return ruleFieldId(m[2] ?? '');
      if (m) return `filter-item-${m[1]}`;
      if (field === 'merge') return `filters-merge-${unchosen()}-mine`;
      return field === 'items' ? 'filters-save' : null;
    },
    fieldOrder: ['merge', 'items', 'deleteCustom'],
    leaveQuestion,
  });

  const removed = ref<Removed[]>([]);
  /** The text of the polite live region: moves, deletions, undo. */
  const announcement = ref('');

  function announce(text: string): void {
    // Cleared first, so the same words twice are announced twice.
    announcement.value = '';
    setTimeout(() => (announcement.value = text), 30);
  }

  const items = computed<Entry[]>(() => s.form.value?.items ?? []);

  function indexOfKey(key: string): number {
    return items.value.findIndex((e) => e.key === key);
  }

  function move(from: number, to: number): boolean {
    const list = s.form.value?.items;
    if (!list || to < 0 || to >= list.length || from === to) return false;
    const [entry] = list.splice(from, 1);
    if (!entry) return false;
    list.splice(to, 0, entry);
    s.fieldErrors.value = {};
    return true;
  }

  function remove(index: number): Entry | null {
    const f = s.form.value;
    const entry = f?.items[index];
    if (!f || !entry) return null;
    f.items.splice(index, 1);
    if (entry.kind === 'custom') f.deleteCustom.push(entry.id);
    removed.value.push({ entry, index });
    s.fieldErrors.value = {};
    return entry;
  }

  function undo(): Entry | null {
    const f = s.form.value;
    const last = removed.value.pop();
    if (!f || !last) return null;
    f.items.splice(Math.min(last.index, f.items.length), 0, last.entry);
    if (last.entry.kind === 'custom') {
      const id = last.entry.id;
      f.deleteCustom = f.deleteCustom.filter((x) => x !== id);
    }
    focusById(`filter-item-${Math.min(last.index, f.items.length - 1)}`);
    return last.entry;
  }

  function duplicate(index: number, copyName: (name: string) => string): number {
    const f = s.form.value;
    const entry = f?.items[index];
    if (!f || entry?.kind !== 'rule') return -1;
    const rule = { ...clone(entry.rule), id: newId(), name: copyName(entry.rule.name) };
    f.items.splice(index + 1, 0, { kind: 'rule', key: rule.id, rule });
    return index + 1;
  }

  /**
   * A new rule at the end of the list. Untouched (as the editor opens it, maybe pre-filled
   * from a message), it is no unsaved change: leaving it asks nothing and drops it
   * (dropNewRule); only an edit of the user's makes the list differ from what was loaded.
   */
  function addRule(rule: FilterRule): number {
    const f = s.form.value;
    if (!f) return -1;
    f.items.push({ kind: 'rule', key: rule.id, rule });
    s.alsoLoaded((loaded) => loaded.items.push({ kind: 'rule', key: rule.id, rule: clone(rule) }));
    return f.items.length - 1;
  }

  /** Takes a new rule out of the list again: always (Cancel), or only if the user left it as it was added. */
  function dropNewRule(key: string, opts: { onlyIfUntouched: boolean }): void {
    const f = s.form.value;
    const i = indexOfKey(key);
    const entry = f?.items[i];
    if (!f || entry?.kind !== 'rule') return;
    let drop = !opts.onlyIfUntouched;
    s.alsoLoaded((loaded) => {
      const j = loaded.items.findIndex((e) => e.key === key);
      if (j < 0) return;
      drop ||= JSON.stringify(loaded.items[j]) === JSON.stringify(entry);
      if (drop) loaded.items.splice(j, 1);
    });
    if (drop) f.items.splice(i, 1);
  }

  /**
   * 409: what this tab loaded, what it wants and what the server has now are merged by rule
   * (filtersMerge.ts); the list then shows the result, saved with the new ETag once the user
   * has checked it and chosen a version of each rule changed on both sides.
   */
  function mergeWithCurrent(): void {
    const current = s.conflict.value;
    const loaded = s.data.value;
    const mine = s.form.value;
    if (!current || !loaded || !mine) return;
    const result = mergeFilters(toForm(loaded).items, mine.items, toForm(current).items);
    s.rebase({ ...current, handEdited: false }, { items: result.items, deleteCustom: result.deleteCustom });
    // Undo would put back entries of the list before the merge.
    removed.value = [];
    merge.value = { fromThem: result.fromThem, conflicts: result.conflicts, choices: result.conflicts.map(() => null) };
  }

  /** The user's version of conflict `index`: put in the list (or left out, for a deletion). */
  function choose(index: number, side: Side): void {
    const m = merge.value;
    const conflict = m?.conflicts[index];
    const list = s.form.value?.items;
    if (!m || !conflict || !list) return;
    applyChoice(list, conflict, side);
    m.choices[index] = side;
    const theirs = conflict.theirs?.key;
    if (theirs) m.fromThem = side === 'theirs' ? [...m.fromThem, theirs] : m.fromThem.filter((k) => k !== theirs);
    if (s.fieldErrors.value.merge && unchosen() < 0) s.fieldErrors.value = {};
  }

  /** Whether the entry came from the change saved elsewhere (shown marked after a merge). */
  function fromElsewhere(key: string): boolean {
    return merge.value?.fromThem.includes(key) ?? false;
  }

  async function save(): Promise<boolean> {
    await s.submit();
    if (s.conflict.value) mergeWithCurrent();
    const ok = s.saved.value;
    if (ok) {
      removed.value = [];
      merge.value = null;
    }
    return ok;
  }

  /** Errors of item `index`, keyed by the path inside the rule (`conditions.0.value`). */
  function ruleErrors(index: number): Record<string, string> {
    const out: Record<string, string> = {};
    const prefix = `items.${index}.`;
    for (const [k, code] of Object.entries(s.fieldErrors.value)) {
      if (k.startsWith(prefix)) out[k.slice(prefix.length)] = code;
      else if (k === `items.${index}`) out[''] = code;
    }
    return out;
  }

  function reload(): Promise<void> {
    removed.value = [];
    merge.value = null;
    return s.load();
  }

  /**
   * After another active script was taken over (components/filters/TakeOverNotice.vue): the
   * list shows the rules it holds now. Unsaved changes are not dropped for that: they stay,
   * without the notice, and saving them meets the "changed elsewhere" choice.
   */
  async function afterTakeOver(): Promise<void> {
    const data = s.data.value;
    if (!s.dirty.value) await reload();
    else if (data) s.data.value = { ...data, foreignScript: null };
  }

  return { ...s, items, editing, removed, announcement, announce, indexOfKey, move, remove, undo, duplicate, addRule, dropNewRule, save, ruleErrors, reload, afterTakeOver, merge, choose, fromElsewhere };
}

export type FiltersStore = ReturnType<typeof createFiltersStore>;

const KEY: InjectionKey<FiltersStore> = Symbol('filters');

export function provideFilters(store: FiltersStore): void {
  provide(KEY, store);
}

export function useFilters(): FiltersStore {
  const store = inject(KEY);
  if (!store) throw new Error('useFilters() outside FiltersView');
  return store;
}
