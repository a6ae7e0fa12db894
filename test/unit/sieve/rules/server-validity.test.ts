// What Pigeonhole refuses at CHECKSCRIPT/PUTSCRIPT time, pinned here with verdicts taken from
// the real server (Dovecot 2.3.19 / Pigeonhole 0.5.19, glibc regcomp in the C locale); the
// integration test test/integration/sieve/checkscript.test.ts keeps comparing against it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../api/src/sieve/rules/model.js';
import { regexProblem } from '../../../../api/src/sieve/rules/regex.js';
import { validateRule } from '../../../../api/src/sieve/rules/validate.js';
import { validRegex } from '../../../support/sieve-arbitraries.js';

const base: Rule = { id: 'new', name: 'r', enabled: true, match: 'any', conditions: [], actions: [], stop: false };
const codes = (r: Rule) => validateRule(r).map((i) => i.code);

describe('regexProblem: glibc regcomp(REG_EXTENDED | REG_ICASE), byte-wise', () => {
  it.each([
    '', 'a**', '()', '()*', '(|)', 'a{,}', 'a{,3}', 'a{32767}', 'x{0}', 'a{1}{2}', 'a*{2}', ')', ')*', '}', 'a}', '|', 'a||b', 'a$b', 'a^b',
    '(a)\\1', '(a)(b)\\2', '((a))\\2', '(a)(b|\\1)', '(a)\\1*', '\\w*', '\\S+', '\\{', '\\(', '\\)', '\\|', 'x\\0', '\\é', 'é*',
    '[]]', '[]a]', '[^]a]', '[a-]', '[-a]', '[a-_]', '[--a]', '[!--]', '[ab-]', '[a-b-]', '[a-]]', '[^-]', '[\\]', '[\\]]',
    '[[:alpha:]]', '[[:upper:]]', '[[:lower:]]', '[[:alpha:]-]', '[[.a.]]', '[[.-.]]', '[[.-.]-z]', '[[=a=]]', '[[=-=]]', '[a-[.z.]]', '[[.a.]-[.b.]]',
    '[é]', '[a-é]', '[é-é]', '[é-à]', '[😁-😀]', '(a{100}){100}',
  ])('accepts %j', (pattern) => {
    expect(regexProblem(pattern)).toBeNull();
  });

  it.each([
    ['*a', 'invalid preceding regular expression'], ['^*', 'invalid preceding regular expression'], ['$*', 'invalid preceding regular expression'],
    ['a|*b', 'invalid preceding regular expression'], ['(*a)', 'invalid preceding regular expression'], ['{', 'invalid preceding regular expression'],
    ['{1}', 'invalid preceding regular expression'], ['\\<*', 'invalid preceding regular expression'], ['\\b*', 'invalid preceding regular expression'],
    ['a{', 'unmatched \\{'], ['a{1,2', 'unmatched \\{'], ['\\\\{', 'unmatched \\{'],
    ['a{}', 'invalid content of \\{\\}'], ['a{x}', 'invalid content of \\{\\}'], ['a{2,1}', 'invalid content of \\{\\}'],
    ['a{32768}', 'regular expression too big'], ['(', 'unmatched ( or \\('], ['\\\\(', 'unmatched ( or \\('],
    ['\\', 'trailing backslash'], ['\\1', 'invalid back reference'], ['(a\\1)', 'invalid back reference'], ['(a)|\\1', 'invalid back reference'], ['\\9', 'invalid back reference'],
    ['[', 'invalid regular expression'], ['[]', 'unmatched [, [^, [:, [., or [='], ['[^]', 'unmatched [, [^, [:, [., or [='], ['[[:alpha:]', 'unmatched [, [^, [:, [., or [='],
    ['[z-a]', 'invalid range end'], ['[_-a]', 'invalid range end'], ['[Z-a]', 'invalid range end'], ['[a-z-0]', 'invalid range end'], ['[a--]', 'invalid range end'],
    ['[]-a]', 'invalid range end'], ['[é-z]', 'invalid range end'], ['[a-[:alpha:]]', 'invalid range end'], ['[[=a=]-b]', 'invalid range end'],
    ['[[:foo:]]', 'invalid character class name'], ['[[:ALPHA:]]', 'invalid character class name'], ['[[::]]', 'invalid character class name'],
    ['[[.ab.]]', 'invalid collation character'], ['[[..]]', 'invalid collation character'], ['[[=ab=]]', 'invalid collation character'], ['[[.é.]]', 'invalid collation character'],
  ])('refuses %j: %s', (pattern, message) => {
    expect(regexProblem(pattern)).toBe(message);
  });

  it('refuses patterns that expand beyond what a delivery process can compile', () => {
    expect(regexProblem('a{1000}{1000}')).toMatch(/too complex/);
  });

  it('accepts every pattern of the shared validRegex arbitrary', () => {
    fc.assert(fc.property(validRegex, (pattern) => regexProblem(pattern) === null), { numRuns: 2000 });
  });

  it('is what validateRule reports as invalid-regex', () => {
    const regex = (value: string): Rule => ({ ...base, conditions: [{ type: 'subject', operator: 'regex', negate: false, value }] });
    expect(codes(regex('^\\[list\\]'))).toEqual([]);
    expect(codes(regex('[unclosed'))).toEqual(['invalid-regex']);
    expect(validateRule(regex('*x'))[0]?.message).toContain('invalid preceding regular expression');
    // Only :regex keys are regexes.
    expect(codes({ ...base, conditions: [{ type: 'subject', operator: 'contains', negate: false, value: '[unclosed' }] })).toEqual([]);
  });
});

describe('addresses Pigeonhole refuses are refused by the validator', () => {
  const redirect = (address: string): Rule => ({ ...base, match: 'always', actions: [{ type: 'redirect', address, copy: false }] });
  const from = (value: string): Rule => ({ ...base, match: 'always', actions: [{ type: 'vacation', reason: 'x', from: value }] });

  it.each(['a"b@c.d', 'a,b@c.d', 'a;b@c.d', 'a:b@c.d', 'a\\b@c.d', 'a<b@c.d', 'a]@c.d', 'ä@b.c', 'Καλη@μέρα.gr', 'a\u200b@b.c', 'a@b.', 'a@b..c', 'a@b.c>', 'a b@c.d', 'a@b'.slice(0, 2)])(
    'redirect / :from %j: invalid-address',
    (value) => {
      expect(codes(redirect(value))).toEqual(['invalid-address']);
      expect(codes(from(value))).toEqual(['invalid-address']);
    },
  );

  it.each(["a!#$%&'*+/=?^_`{|}~-@b.c", 'a.b@c.example', 'a@μέρα.gr', 'a@b_c-d.example', 'A@B.C'])('accepts %j', (value) => {
    expect(codes(redirect(value))).toEqual([]);
    expect(codes(from(value))).toEqual([]);
  });

  it('accepts Name <address> for vacation :from only, as Roundcube writes it', () => {
    for (const value of ['Alice <a@b.c>', '"Alice A." <a@b.c>', 'Αλίκη <a@b.c>', '"Doe, \\"J\\"" <a@b.c>']) {
      expect(codes(from(value))).toEqual([]);
      expect(codes(redirect(value))).toEqual(['invalid-address']);
    }
    expect(codes(from('Alice, A <a@b.c>'))).toEqual(['invalid-address']);
  });
});
