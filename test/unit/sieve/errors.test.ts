import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SieveSyntaxError } from '../../../api/src/sieve/errors.js';
import { parseScript } from '../../../api/src/sieve/parser.js';
import { fixtures } from './helpers.js';

function syntaxError(text: string): SieveSyntaxError {
  try {
    parseScript(text);
  } catch (error) {
    if (error instanceof SieveSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a syntax error');
}

describe('syntax errors carry a code, line and column', () => {
  it.each([
    ['unterminated string', 'require "fileinto";\nif header :is "a" "b {\n', 'unterminated-string', 2, 19],
    ['unbalanced open brace', 'if true {\n  keep;\n', 'unexpected-end', 3, 1],
    ['unbalanced close brace', 'keep;\n}\n', 'unexpected-token', 2, 1],
    ['text: without final dot', 'vacation text:\nhello\n', 'unterminated-multiline', 1, 10],
    ['text: with junk after it', 'vacation text: x\n.\n;', 'invalid-multiline-start', 1, 16],
    ['unterminated bracket comment', 'keep; /* never closed', 'unterminated-comment', 1, 7],
    ['missing semicolon at the end', 'keep', 'unexpected-end', 1, 5],
    ['bad number', 'if size :over 10KB { }', 'invalid-number', 1, 15],
    ['huge number', 'if size :over 99999999999999999999 { }', 'number-too-large', 1, 15],
    ['stray character', 'keep; @', 'unexpected-character', 1, 7],
    ['empty string list', 'x [];', 'unexpected-token', 1, 4],
    ['test list not closed', 'if allof (true, false {', 'unexpected-token', 1, 23],
  ])('%s', (_label, text, code, line, column) => {
    const error = syntaxError(text);
    expect({ code: error.code, line: error.line, column: error.column }).toEqual({ code, line, column });
    expect(error.message).toMatch(/^\d+:\d+: /);
  });

  it('refuses 10 000 levels of block nesting without a RangeError', () => {
    const error = syntaxError('if true {'.repeat(10_000) + '}'.repeat(10_000));
    expect(error.code).toBe('nesting-too-deep');
    expect(error.line).toBe(1);
    // 64 blocks deep, the 65th level is the test `true` of the 65th `if`.
    expect(error.column).toBe(64 * 9 + 4);
  });

  it('refuses 10 000 nested tests (not / allof) the same way', () => {
    expect(syntaxError('if ' + 'not '.repeat(10_000) + 'true {}').code).toBe('nesting-too-deep');
    expect(syntaxError('if ' + 'allof ('.repeat(10_000) + 'true' + ')'.repeat(10_000) + ' {}').code).toBe('nesting-too-deep');
  });

  it('handles 1 MB of garbage quickly with a positioned error', () => {
    const garbage = Array.from({ length: 1_000_000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');
    const started = performance.now();
    const error = syntaxError(garbage);
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses scripts over the size limit', () => {
    expect(syntaxError('#'.repeat(1024 * 1024 + 1)).code).toBe('script-too-large');
  });

  it('refuses over-long strings', () => {
    expect(syntaxError(`x "${'a'.repeat(300 * 1024)}";`).code).toBe('string-too-long');
  });
});

describe('fuzzing: only success or SieveSyntaxError', () => {
  const onlySyntaxErrors = (text: string) => {
    try {
      parseScript(text);
    } catch (error) {
      if (!(error instanceof SieveSyntaxError)) throw error;
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.column).toBeGreaterThanOrEqual(1);
    }
  };

  it('random byte strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => onlySyntaxErrors(new TextDecoder().decode(bytes))),
      { numRuns: 3000 },
    );
  });

  it('random strings of Sieve-ish characters', () => {
    const alphabet = fc.constantFrom(...'if{}()[];,:"\\#/*\r\n .text:123KMG allof not anyof header'.split(''));
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 300 }), (chars) => onlySyntaxErrors(chars.join(''))), { numRuns: 3000 });
  });

  it('mutated fixtures', () => {
    const texts = fixtures().map((f) => f.text).filter((t) => t.length > 0);
    const mutation = fc.record({
      which: fc.nat(texts.length - 1),
      at: fc.nat(),
      cut: fc.nat(20),
      insert: fc.string({ maxLength: 6, unit: 'binary' }),
    });
    fc.assert(
      fc.property(mutation, ({ which, at, cut, insert }) => {
        const text = texts[which] ?? '';
        const pos = at % (text.length + 1);
        onlySyntaxErrors(text.slice(0, pos) + insert + text.slice(pos + cut));
      }),
      { numRuns: 3000 },
    );
    // A fixed number of runs, not a time budget: 3000 parses of the fixtures take 1–2 s on a
    // quiet machine and several times that on a loaded one.
  }, 60_000);
});
