import type { FilterCondition } from '../../api/types';

// When the server matches a text condition regardless of case, Unicode form and Greek
// accents: contains/is/starts/ends with a letter outside ASCII (the API writes those as a
// folded :regex, api/src/sieve/rules/fold.ts). The SPA bundles nothing of api/, so this one
// test is written here too; `matches` and `regex` compare exactly as typed.

export type FoldKind = 'folded' | 'exactAccents' | 'exact' | null;

const hasNonAsciiLetter = (value: string): boolean => [...value].some((c) => (c.codePointAt(0) as number) > 0x7f && /\p{L}/u.test(c));

/** How a text condition compares non-ASCII letters, or null when it has none. */
export function foldKind(c: FilterCondition): FoldKind {
  if (!('operator' in c) || !hasNonAsciiLetter(c.value)) return null;
  if (c.operator === 'matches' || c.operator === 'regex') return 'exact';
  return c.exactAccents ? 'exactAccents' : 'folded';
}
