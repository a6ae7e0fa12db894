import { describe, expect, it } from 'vitest';
import { command, num, numberValue, tag, test as testNode } from '../../../api/src/sieve/ast.js';
import { parseDocument } from '../../../api/src/sieve/document/parse-document.js';
import { printDocument } from '../../../api/src/sieve/document/print-document.js';
import { SieveSyntaxError, SieveValidationError } from '../../../api/src/sieve/errors.js';
import { COMMANDS, TESTS } from '../../../api/src/sieve/grammar.js';
import { parseScript, parseTest } from '../../../api/src/sieve/parser.js';
import { printCommand, printScript } from '../../../api/src/sieve/printer.js';
import { SHAPE_CASES, shapeScript } from '../../fixtures/sieve/shape-corpus.js';

function refusal(text: string, parse: (t: string) => unknown = parseScript): SieveSyntaxError | null {
  try {
    parse(text);
    return null;
  } catch (error) {
    if (error instanceof SieveSyntaxError) return error;
    throw error;
  }
}

describe('argument shapes of known commands and tests (verdicts recorded from Pigeonhole CHECKSCRIPT)', () => {
  it.each(SHAPE_CASES.map((c) => [c.body, c] as const))('%s', (_body, testCase) => {
    expect(refusal(shapeScript(testCase))?.code ?? null).toBe(testCase.refused);
  });

  it('the corpus covers every command and test in the grammar table, valid and refused', () => {
    const named = (name: string, refused: boolean) =>
      SHAPE_CASES.some((c) => (c.refused !== null) === refused && new RegExp(`(^|[\\s({;,])${name}([\\s;(]|$)`, 'i').test(c.body));
    const missing = [...Object.keys(COMMANDS), ...Object.keys(TESTS)].filter((name) => !named(name, false) || !named(name, true));
    expect(missing).toEqual([]);
  });

  it('refuses hasflag without arguments (Pigeonhole drops the connection on it)', () => {
    expect(refusal('require "imap4flags";\nif hasflag { stop; }\n')?.code).toBe('wrong-argument-count');
  });

  it.each([
    ['second string after fileinto', 'require "fileinto";\nfileinto "A" "B";\n', 'wrong-argument-count', 2, 14],
    ['test after fileinto', 'require "fileinto";\nfileinto "A" true;\n', 'unexpected-test', 2, 14],
    ['adjacent strings after an escaped quote', 'require "fileinto";\r\nfileinto "A\\"" "B";\r\n', 'wrong-argument-count', 2, 16],
    ['junk word before ";"', 'require "fileinto";\nif true {\n\tfileinto "A" junk;\n}\n', 'unexpected-test', 3, 15],
    ['tag after the positionals', 'if header "subject" :is "x" { stop; }', 'wrong-argument', 1, 21],
    ['unknown tag', 'if header :over "subject" "x" { stop; }', 'unknown-tag', 1, 11],
    ['missing :over/:under', 'if size 10K { stop; }', 'missing-tag', 1, 4],
    ['test missing after if', 'if { stop; }', 'missing-test', 1, 3],
    ['block on stop', 'stop {\n}\n', 'unexpected-block', 1, 1],
    ['else without if', 'keep;\nelse { stop; }\n', 'misplaced-command', 2, 1],
    ['require after a command', 'keep;\nrequire "fileinto";\n', 'misplaced-command', 2, 1],
    ['Greek before the error', '# Φίλτρα\nif header :contains "subject" "Ανακοίνωση" "x" { stop; }', 'wrong-argument-count', 2, 44],
  ])('%s: code, line and column', (_label, text, code, line, column) => {
    const error = refusal(text);
    expect(error).toBeInstanceOf(SieveSyntaxError);
    expect({ code: error?.code, line: error?.line, column: error?.column }).toEqual({ code, line, column });
    expect(error?.message).toMatch(/^\d+:\d+: /);
  });

  it('checks known commands inside unknown ones, and tests inside unknown tests', () => {
    expect(refusal('foreverypart { fileinto "A" "B"; }')?.code).toBe('wrong-argument-count');
    expect(refusal('if frob (header "a") { stop; }')?.code).toBe('wrong-argument-count');
  });

  it('takes names and tags in any case, as Sieve does', () => {
    expect(refusal('REQUIRE "fileinto";\nIf HEADER :Contains "Subject" "x" { FileInto "A"; } ELSE { Keep; }')).toBeNull();
    expect(refusal('IF SIZE 5 { STOP; }')?.code).toBe('missing-tag');
  });

  it('knows no command, test or tag by a name Object inherits', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(refusal(`${name} "x";\nif ${name} :${name} 1 { ${name}; }\n`)).toBeNull();
      expect(refusal(`if header :${name} "a" "b" { stop; }`)?.code).toBe('unknown-tag');
    }
  });

  it('applies to a single test too (a disabled Roundcube rule)', () => {
    expect(refusal('header :contains "subject"', parseTest)?.code).toBe('wrong-argument-count');
    expect(refusal('anyof (header :is "a" "b", size :under 1M)', parseTest)).toBeNull();
  });
});

describe('unknown commands and tests stay generic and byte-exact', () => {
  it.each([
    'frobnicate :x 1 ["a"] "b" true;\n',
    'require "vnd.dovecot.pipe";\r\nif frob :any "thing" 5K (x, y z) {\r\n  pipe :try "program" ["arg"];\r\n}\r\n',
    'foreverypart :name "p" {\n  if header :mime :type "content-type" "text" { break :name "p"; }\n}',
    'if anyof (frob, not  blah "x" "y" "z") { keep ; }\n',
  ])('%s', (text) => {
    expect(refusal(text)).toBeNull();
    expect(printScript(parseScript(text))).toBe(text);
    expect(printDocument(parseDocument(text))).toBe(text);
  });
});

describe('numbers up to 2^64 - 1, exact', () => {
  const max = 2n ** 64n - 1n;

  it('reads the largest number as a bigint and prints its digits', () => {
    const [cmd] = parseScript('if size :over 18446744073709551615 { stop; }').commands;
    const arg = cmd?.tests[0]?.arguments[1];
    expect(arg).toMatchObject({ type: 'number', value: max, quantifier: '' });
    expect(printCommand(cmd!, { newline: '\n' })).toBe('if size :over 18446744073709551615 {\n\tstop;\n}');
  });

  it('applies the quantifier to the limit and keeps the value exact', () => {
    const arg = parseScript('if size :under 17179869183G { stop; }').commands[0]?.tests[0]?.arguments[1];
    expect(arg?.type === 'number' && numberValue(arg)).toBe(17179869183n * 1024n ** 3n);
  });

  it('the refusal points at the number', () => {
    expect(refusal('if size :over 18446744073709551616 { stop; }')).toMatchObject({ code: 'number-too-large', line: 1, column: 15 });
    expect(refusal('require "vacation";\nvacation :days 18446744073709551616 "x";')).toMatchObject({ code: 'number-too-large', line: 2, column: 16 });
  });

  it('a script with big numbers and leading zeros comes back byte for byte', () => {
    const text = 'require ["vacation", "fileinto"];\r\nif size :over 0018446744073709551615 {\r\n\tfileinto "Big";\r\n}\r\nvacation :days 9007199254740993 "x";\r\nif size :under 1k { keep; }';
    expect(printScript(parseScript(text))).toBe(text);
    const doc = parseDocument(text);
    // Too big for the rule model's numbers: kept as written, not rounded into a rule.
    const custom = doc.items.map((i) => (i.kind === 'custom' ? i.text : '')).join('');
    expect(custom).toContain('0018446744073709551615');
    expect(custom).toContain('9007199254740993');
    expect(printDocument(doc)).toBe(text);
  });

  it('builds and prints numbers from JS numbers and bigints; refuses what is not a Sieve number', () => {
    expect(printCommand(command('x', [tag('days'), num(7), num(max), num(3, 'M')]))).toBe('x :days 7 18446744073709551615 3M;');
    expect(() => num(1.5)).toThrow(SieveValidationError);
    expect(() => num(-1)).toThrow(SieveValidationError);
    expect(() => num(2 ** 53)).toThrow(SieveValidationError);
    expect(() => printCommand(command('x', [num(max + 1n)]))).toThrow(SieveValidationError);
    expect(() => printCommand(command('x', [num(16n * 1024n ** 3n, 'G')]))).toThrow(SieveValidationError);
    expect(() => printCommand(command('x', [{ type: 'number', value: -1n, quantifier: '' }]))).toThrow(SieveValidationError);
    expect(printCommand(command('if', [], [], [testNode('size', [tag('over'), num(17179869183n, 'G')])]))).toBe('if size :over 17179869183G {\r\n}');
  });
});
