// IMAP flags of addflag/setflag: RFC 3501 `flag` syntax (system flags less \Recent, keyword
// atoms), Dovecot's keyword length, and one model flag per space-separated name when read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../../api/src/sieve/document/parse-document.js';
import { printDocument } from '../../../../api/src/sieve/document/print-document.js';
import type { RuleItem } from '../../../../api/src/sieve/document/model.js';
import { MAX_KEYWORD_LENGTH, SYSTEM_FLAGS, flagProblem, splitFlags } from '../../../../api/src/sieve/rules/flags.js';
import type { Rule } from '../../../../api/src/sieve/rules/model.js';
import { printRule } from '../../../../api/src/sieve/rules/to-sieve.js';
import { validateRule } from '../../../../api/src/sieve/rules/validate.js';

/** RFC 3501 §9, written out again character by character: atom-specials and CHAR. */
function isAtomChar(c: string): boolean {
  const code = c.codePointAt(0) as number;
  const ctl = code <= 0x1f || code === 0x7f;
  return code >= 0x01 && code <= 0x7f && !ctl && !'(){ %*"\\]'.includes(c);
}
const ATOM_CHARS = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i)).filter(isAtomChar);
const FORBIDDEN = ['(', ')', '{', ' ', '%', '*', '"', '\\', ']', '\t', '\n', '\r', '\0', '\x7f', '\u00a0', 'é', 'α', '😀'];

const keyword = fc.string({ unit: fc.constantFrom(...ATOM_CHARS), minLength: 1, maxLength: MAX_KEYWORD_LENGTH }).filter((k) => !k.startsWith('\\'));

/** Mostly near misses: atom characters and forbidden ones, any character, system flags and their kin. */
const anyFlag = fc.oneof(
  fc.string({ unit: fc.oneof(fc.constantFrom(...ATOM_CHARS, ...FORBIDDEN), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 60 }),
  fc.constantFrom(...SYSTEM_FLAGS, '\\Recent', '\\SEEN', '\\seen ', '\\'),
);

const rule = (flags: string[]): Rule => ({ id: 'r', name: 'r', enabled: true, match: 'always', conditions: [], actions: [{ type: 'addflag', flags }], stop: false });

describe('flagProblem', () => {
  it('takes the system flags a script may set, in any case, and no other \\ flag', () => {
    for (const flag of SYSTEM_FLAGS) {
      expect(flagProblem(flag)).toBeNull();
      expect(flagProblem(flag.toUpperCase())).toBeNull();
      expect(flagProblem(flag.toLowerCase())).toBeNull();
    }
    for (const flag of ['\\Recent', '\\recent', '\\', '\\Seen\\Flagged', '\\Important', '\\*', '\\Seen ']) expect(flagProblem(flag)).toBe('invalid');
  });

  it.each(['$Work', 'Junk', 'NonJunk', '$label1', '$MDNSent', 'a}b', '[x', 'x[1', "it's", '+1', 'a.b-c_d', '!#&', '~'])('takes the keyword %j', (flag) => {
    expect(flagProblem(flag)).toBeNull();
  });

  it.each(['two words', 'tab\there', 'Εργασία', 'café', 'a(b', 'a)b', 'a{b', 'a%b', 'a*b', 'a"b', 'a\\b', 'a]b', 'line\nbreak', '\x7f', 'nbsp\u00a0x', '${name}'])(
    'refuses %j',
    (flag) => {
      expect(flagProblem(flag)).toBe('invalid');
    },
  );

  it('refuses the empty flag, and a keyword longer than Dovecot stores', () => {
    expect(flagProblem('')).toBe('empty');
    expect(flagProblem('k'.repeat(MAX_KEYWORD_LENGTH))).toBeNull();
    expect(flagProblem('k'.repeat(MAX_KEYWORD_LENGTH + 1))).toBe('too-long');
  });

  it('takes every atom of ATOM-CHARs up to the length limit (property)', () => {
    fc.assert(fc.property(keyword, (k) => flagProblem(k) === null));
  });

  it('refuses any keyword with a character outside ATOM-CHAR in it (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ATOM_CHARS), maxLength: 20 }), fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 20 }), (before, bad, after) => {
        expect(flagProblem(before + bad + after)).toBe('invalid');
      }),
    );
  });

  it('agrees with the grammar written out character by character, on any string (property)', () => {
    fc.assert(
      fc.property(anyFlag, (s) => {
        const system = SYSTEM_FLAGS.some((f) => f.toLowerCase() === s.toLowerCase());
        const atom = s.length > 0 && !s.startsWith('\\') && [...s].every(isAtomChar);
        const expected = s === '' ? 'empty' : system ? null : !atom ? 'invalid' : s.length > MAX_KEYWORD_LENGTH ? 'too-long' : null;
        expect(flagProblem(s)).toBe(expected);
      }),
    );
  });
});

describe('flags in rules', () => {
  it('validateRule reports each bad flag at its path, with stable codes', () => {
    expect(validateRule(rule(['\\Seen', 'two words', 'k'.repeat(51), '\\Recent']))).toEqual([
      expect.objectContaining({ code: 'invalid-flag', path: 'actions.0.flags.1' }),
      expect.objectContaining({ code: 'string-too-long', path: 'actions.0.flags.2' }),
      expect.objectContaining({ code: 'invalid-flag', path: 'actions.0.flags.3' }),
    ]);
    expect(validateRule(rule(['\\Seen', '$Work']))).toEqual([]);
    expect(() => printRule(rule(['Εργασία']))).toThrow(/not an IMAP flag/);
  });

  it('reads a string of space-separated flags as one flag each, and keeps its text while unchanged', () => {
    expect(splitFlags(' \\Seen  $Work ')).toEqual(['\\Seen', '$Work']);
    const text = 'require ["imap4flags"];\r\n# rule:[Mark]\r\nif header :contains "subject" "x"\r\n{\r\n\taddflag "\\\\Seen  $Work";\r\n}\r\n';
    const doc = parseDocument(text);
    const item = doc.items[0] as RuleItem;
    expect(item.rule.actions).toEqual([{ type: 'addflag', flags: ['\\Seen', '$Work'] }]);
    expect(validateRule(item.rule)).toEqual([]);
    expect(printDocument(doc)).toBe(text);
  });
});
