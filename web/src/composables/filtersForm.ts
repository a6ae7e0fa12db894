import type { FilterItem, FilterRule, FiltersResponse, SaveFilters } from '../api/types';

// The rule list as the filters page edits it, and its conversions from the API's answer and
// to the body of a save: pure, so the merge after a 409 and the tests use them too.

export interface RuleEntry {
  kind: 'rule';
  /** Stable key for the list (the rule's id). */
  key: string;
  rule: FilterRule;
  /** Read in a form the app corrects on save (see the API's FilterItem.upgraded). */
  upgraded?: true;
}

export interface CustomEntry {
  kind: 'custom';
  key: string;
  id: string;
  text: string;
  writer?: string;
  name?: string;
}

export type Entry = RuleEntry | CustomEntry;

export interface FiltersForm {
  items: Entry[];
  deleteCustom: string[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The list as the page edits it, from the API's answer. */
export function toForm(res: FiltersResponse): FiltersForm {
  return {
    items: res.items.map((item: FilterItem): Entry =>
      item.kind === 'rule'
        ? { kind: 'rule', key: item.rule.id, rule: clone(item.rule), ...(item.upgraded ? { upgraded: true as const } : {}) }
        : { kind: 'custom', key: item.id, id: item.id, text: item.text, ...(item.writer ? { writer: item.writer } : {}), ...(item.name !== undefined ? { name: item.name } : {}) },
    ),
    deleteCustom: [],
  };
}

export function toBody(form: FiltersForm): SaveFilters {
  return {
    items: form.items.map((e) => (e.kind === 'rule' ? { kind: 'rule' as const, ...e.rule } : { kind: 'custom' as const, id: e.id })),
    deleteCustom: [...form.deleteCustom],
    // Saving the page is the user's go-ahead for the corrections the list shows.
    upgrade: form.items.flatMap((e) => (e.kind === 'rule' && e.upgraded ? [e.rule.id] : [])),
  };
}
