import { computed, ref, type Ref } from 'vue';
import type { FilterAction, FilterCondition, FilterRule } from '../api/types';

/** What the search reads of a list entry (useFilters' Entry; that module is not loaded here, so unit tests need no DOM). */
export type SearchEntry = { kind: 'rule'; rule: FilterRule } | { kind: 'custom'; text: string };

// The Filters list's search: which entries match what the user typed, by a rule's name (or
// the name proposed for it), its condition values and header names, and the folders it files
// into; a custom block by its name and Sieve. Matching ignores case, accents and final sigma.

/**
 * Text as the rule search compares it: Unicode-decomposed without its marks (tonos,
 * dialytika, other accents), lower-cased, final sigma as σ — so «ΑΝΑΚΟΙΝΩΣΗ», «ανακοίνωση»
 * and the NFD spelling of either find each other.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/ς/g, 'σ').normalize('NFC');
}

function conditionWords(c: FilterCondition): string[] {
  if (c.type === 'group') return c.conditions.flatMap(conditionWords);
  const words: string[] = [];
  if ('value' in c) words.push(c.value);
  if (c.type === 'header') words.push(c.header);
  if (c.type === 'hasflag') words.push(...c.flags);
  return words;
}

const actionWords = (a: FilterAction): string[] => (a.type === 'fileinto' ? [a.mailbox] : a.type === 'redirect' ? [a.address] : []);

/** Everything a search looks at in one entry. */
export function searchWords(entry: SearchEntry, shownName: string): string[] {
  if (entry.kind === 'custom') return [shownName, entry.text];
  return [shownName, ...entry.rule.conditions.flatMap(conditionWords), ...entry.rule.actions.flatMap(actionWords)];
}

/**
 * `query`: what the user typed; `items`: the list. `matches` holds the index in the whole list
 * of every entry that matches (all of them while the query is blank).
 */
export function useRuleSearch<E extends SearchEntry>(items: Ref<readonly E[]>, nameOf: (e: E) => string) {
  const query = ref('');
  const folded = computed(() => foldForSearch(query.value.trim()));
  const active = computed(() => folded.value !== '');
  const matches = computed(() =>
    items.value.flatMap((entry, index) => (!active.value || searchWords(entry, nameOf(entry)).some((w) => foldForSearch(w).includes(folded.value)) ? [index] : [])),
  );
  return { query, active, matches };
}
