import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../../api/src/sieve/document/parse-document.js';
import { SieveValidationError } from '../../../../api/src/sieve/errors.js';
import { canonicalRule } from '../../../../api/src/sieve/rules/canonical.js';
import type { Rule } from '../../../../api/src/sieve/rules/model.js';
import { printRule } from '../../../../api/src/sieve/rules/to-sieve.js';
import { validateRule } from '../../../../api/src/sieve/rules/validate.js';
import { rule as ruleArb } from '../../../support/sieve-arbitraries.js';

function readBack(text: string): Rule {
  const [item, ...rest] = parseDocument(text).items;
  expect(rest).toEqual([]);
  if (item?.kind !== 'rule') throw new Error(`expected a rule, got ${JSON.stringify(item)}`);
  return { ...item.rule, id: 'new' };
}

const base: Rule = { id: 'new', name: 'Lists', enabled: true, match: 'any', conditions: [], actions: [], stop: false };

describe('printRule', () => {
  it('writes Roundcube layout, with conditions joined by allof', () => {
    const text = printRule({
      ...base,
      match: 'all',
      conditions: [
        { type: 'subject', operator: 'starts', negate: false, value: '[cs*101]' },
        { type: 'to-or-cc', operator: 'contains', negate: true, value: 'staff@uni.example' },
      ],
      actions: [{ type: 'fileinto', mailbox: 'Courses', copy: false, create: true }, { type: 'addflag', flags: ['\\Seen'] }],
      stop: true,
    });
    expect(text).toBe(
      '# rule:[Lists]\r\nif allof (header :matches "subject" "[cs\\\\*101]*", not address :all :contains ["to", "cc"] "staff@uni.example")\r\n{\r\n' +
        '\tfileinto :create "Courses";\r\n\taddflag "\\\\Seen";\r\n\tstop;\r\n}\r\n',
    );
  });

  it('writes a disabled rule as Roundcube does: if false # <test>', () => {
    const text = printRule({ ...base, enabled: false, conditions: [{ type: 'from', operator: 'is', negate: false, value: 'a@b.example' }], actions: [{ type: 'discard' }] });
    expect(text).toBe('# rule:[Lists]\r\nif false # address :all :is "from" "a@b.example"\r\n{\r\n\tdiscard;\r\n}\r\n');
    expect(readBack(text).enabled).toBe(false);
  });

  it('writes match "always" as if true', () => {
    expect(printRule({ ...base, match: 'always', actions: [{ type: 'redirect', address: 'x@y.example', copy: true }] })).toContain('if true\r\n');
  });

  it('refuses what Sieve cannot carry, with stable codes', () => {
    const codes = (r: Rule) => validateRule(r).map((i) => i.code);
    const c = (value: string) => ({ ...base, conditions: [{ type: 'subject' as const, operator: 'contains' as const, negate: false, value }] });
    expect(codes(c('a\0b'))).toEqual(['nul-character']);
    expect(codes(c('a\uD800b'))).toEqual(['invalid-unicode']);
    expect(codes(c('a\uDC00'))).toEqual(['invalid-unicode']);
    expect(codes(c('a\nb'))).toEqual(['line-break-not-allowed']);
    expect(codes({ ...base, conditions: c('x').conditions, actions: [{ type: 'reject', message: 'a\rb' }] })).toEqual(['lone-carriage-return']);
    expect(codes({ ...base, conditions: [] })).toEqual(['conditions-required']);
    expect(codes({ ...c('x'), actions: [{ type: 'redirect', address: 'not an address', copy: false }] })).toEqual(['invalid-address']);
    expect(() => printRule(c('a\0b'))).toThrow(SieveValidationError);
  });

  it('refuses random strings holding NUL, lone surrogates or lone CR', () => {
    const poison = fc.tuple(fc.string(), fc.constantFrom('\0', '\uD800', '\uDFFF', '\r'), fc.string()).map(([a, p, b]) => a + p + b.replace(/^\n/, 'x'));
    fc.assert(
      fc.property(poison, (bad) => {
        expect(() => printRule({ ...base, match: 'always', actions: [{ type: 'reject', message: bad }] })).toThrow(SieveValidationError);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('rule model → script → parse → model', () => {
  it('is the identity on canonical rules with hostile strings (10 000 runs)', () => {
    fc.assert(
      fc.property(ruleArb, (rule) => {
        const canonical = canonicalRule(rule);
        expect(readBack(printRule(rule))).toEqual(canonical);
        expect(readBack(printRule(rule, { newline: '\n' }))).toEqual(canonical);
      }),
      { numRuns: 10_000 },
    );
  }, 120_000);

  it('reads CRLF in model text as LF', () => {
    const r: Rule = { ...base, match: 'always', actions: [{ type: 'reject', message: 'a\r\nb\n' }] };
    expect(readBack(printRule(r)).actions).toEqual([{ type: 'reject', message: 'a\nb\n' }]);
  });
});
