/**
 * Matching a term regardless of case, Unicode form and Greek accents, on a server that has
 * only `i;ascii-casemap` and `i;octet` (Pigeonhole 0.5.19: `ανακοίνωση` misses `Ανακοίνωση`,
 * `ΑΝΑΚΟΙΝΩΣΗ` and the same word in NFD). Such a term is written as a `:regex` whose every
 * non-ASCII letter is an alternation of the UTF-8 spellings it stands for: lower and upper
 * case, precomposed (NFC) and decomposed (NFD), with and without tonos/dialytika (unless the
 * condition asks for exact accents), and σ/ς/Σ as one letter. Pigeonhole compiles the
 * regex byte by byte in the C locale (see regex.ts), so a bracket class of multibyte
 * characters would be a class of bytes: only `( | )` groups of whole byte sequences work.
 * ASCII letters are left to REG_ICASE. Latin letters with accents (é) fold case and form but
 * keep their accents.
 *
 * Reading recognises exactly this form: the term is the first alternative of each group,
 * and the pattern must be what folding that term gives again.
 */
import type { TextOperator } from './model.js';

export type FoldOperator = Extract<TextOperator, 'contains' | 'is' | 'starts' | 'ends'>;

const TONOS = '\u0301';
const DIALYTIKA = '\u0308';
const GREEK_VOWELS = new Set('αεηιουω');
const WITH_DIALYTIKA = new Set('ιυ');
const SIGMA = ['σ', 'ς', 'Σ'];
/** ERE specials, escaped with a backslash. */
const SPECIAL = /[.[\]()*+?{}|^$\\]/;

/** Does the term need folding: a letter outside ASCII. */
export function needsFolding(term: string): boolean {
  return [...term].some((c) => (c.codePointAt(0) as number) > 0x7f && /\p{L}/u.test(c));
}

/** The marks a letter carries after NFD, and its base. */
function split(c: string): { base: string; marks: string } {
  const nfd = c.normalize('NFD');
  const base = String.fromCodePoint(nfd.codePointAt(0) as number);
  return { base, marks: nfd.slice(base.length) };
}

/** Each spelling of one letter: case × NFC/NFD, over the accent mark sets allowed. */
function spellings(base: string, markSets: readonly string[]): string[] {
  const out: string[] = [];
  for (const marks of markSets) {
    for (const letter of [base.toLowerCase(), base.toUpperCase()]) {
      const nfd = (letter + marks).normalize('NFD');
      out.push(nfd.normalize('NFC'), nfd);
    }
  }
  return out;
}

function greekMarkSets(lowerBase: string, marks: string, exact: boolean): string[] {
  if (exact) return [marks];
  if (!GREEK_VOWELS.has(lowerBase)) return [''];
  const sets = ['', TONOS];
  if (WITH_DIALYTIKA.has(lowerBase)) sets.push(DIALYTIKA, DIALYTIKA + TONOS);
  return sets;
}

function group(first: string, others: readonly string[]): string {
  const alts = [first, ...others.filter((s) => s !== first)];
  return `(${[...new Set(alts)].join('|')})`;
}

/** One character of the NFC term as a regex piece. */
function piece(c: string, exact: boolean): string {
  if (c.codePointAt(0)! < 0x80) return SPECIAL.test(c) ? `\\${c}` : c;
  if (!/\p{L}/u.test(c)) return c;
  const { base, marks } = split(c);
  const lower = base.toLowerCase();
  if (SIGMA.includes(base)) return group(c, SIGMA);
  const greek = /\p{Script=Greek}/u.test(base);
  return group(c, spellings(base, greek ? greekMarkSets(lower, marks, exact) : [marks]));
}

/** The `:regex` key that matches `term` with `operator`, folded. */
export function foldedPattern(operator: FoldOperator, term: string, exactAccents: boolean): string {
  const body = [...term.normalize('NFC')].map((c) => piece(c, exactAccents)).join('');
  return (operator === 'is' || operator === 'starts' ? '^' : '') + body + (operator === 'is' || operator === 'ends' ? '$' : '');
}

/** The term and operator of a pattern foldedPattern wrote, or null for any other regex. */
export function unfold(pattern: string): { operator: FoldOperator; value: string; exactAccents: boolean } | null {
  const rest = pattern;
  const start = rest.startsWith('^');
  let end = false;
  let term = '';
  for (let i = start ? 1 : 0; i < rest.length; ) {
    const c = rest[i] as string;
    if (c === '$' && i === rest.length - 1) {
      end = true;
      i += 1;
    } else if (c === '\\') {
      term += rest[i + 1] ?? '';
      i += 2;
    } else if (c === '(') {
      const close = rest.indexOf(')', i);
      if (close === -1) return null;
      term += rest.slice(i + 1, close).split('|')[0];
      i = close + 1;
    } else {
      const cp = String.fromCodePoint(rest.codePointAt(i) as number);
      term += cp;
      i += cp.length;
    }
  }
  if (!needsFolding(term)) return null;
  const operator: FoldOperator = start && end ? 'is' : start ? 'starts' : end ? 'ends' : 'contains';
  for (const exactAccents of [false, true]) {
    if (foldedPattern(operator, term, exactAccents) === pattern) return { operator, value: term, exactAccents };
  }
  return null;
}
