import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { command, num, str, strList, stripPositions, tag, test, type Script } from '../../../api/src/sieve/ast.js';
import { SieveValidationError } from '../../../api/src/sieve/errors.js';
import { parseScript } from '../../../api/src/sieve/parser.js';
import { printCommand, printScript, printString } from '../../../api/src/sieve/printer.js';
import { hostileString } from '../../support/sieve-arbitraries.js';
import { randomScript } from './helpers.js';

const valueOf = (printed: string) => {
  const arg = parseScript(`x ${printed};`).commands[0]?.arguments[0];
  return arg?.type === 'string' ? arg.value : undefined;
};

describe('printString', () => {
  it('escapes backslash and double quote in quoted strings', () => {
    expect(printString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('uses text: with dot-stuffing when the value ends with a line break', () => {
    expect(printString('.a\n..\nb\n')).toBe('text:\r\n..a\r\n...\r\nb\r\n.\r\n');
  });

  it('keeps a value whose last line has no break exact (quoted, with CRLF inside)', () => {
    expect(printString('a\nb')).toBe('"a\r\nb"');
    expect(valueOf(printString('a\nb'))).toBe('a\r\nb');
  });

  it('writes LF inside strings when printing for an LF script', () => {
    expect(printString('x\r\n', { newline: '\n' })).toBe('text:\n.\n'.replace('text:\n', 'text:\nx\n'));
  });

  it('refuses NUL', () => {
    expect(() => printString('a\0b')).toThrow(SieveValidationError);
  });

  it('round-trips hostile strings (10 000 runs)', () => {
    fc.assert(
      fc.property(hostileString(), (s) => {
        const expected = s.replace(/\r\n|\r|\n/g, '\r\n');
        expect(valueOf(printString(s))).toBe(expected);
        expect(valueOf(printString(s, { newline: '\n' }))).toBe(expected);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('printCommand', () => {
  it('prints canonically with tab indentation', () => {
    const cmd = command('if', [], [command('fileinto', [tag('copy'), str('Lists')]), command('stop')], [
      test('allof', [], [test('header', [tag('contains'), str('subject'), str('x')]), test('size', [tag('over'), num(10, 'K')])], true),
    ]);
    expect(printCommand(cmd)).toBe('if allof (header :contains "subject" "x", size :over 10K) {\r\n\tfileinto :copy "Lists";\r\n\tstop;\r\n}');
  });

  it('refuses identifiers Sieve cannot carry', () => {
    expect(() => printCommand(command('bad name'))).toThrow(SieveValidationError);
    expect(() => printCommand(command('x', [tag('')]))).toThrow(SieveValidationError);
    expect(() => printCommand(command('x', [strList([])]))).toThrow(SieveValidationError);
  });
});

describe('printScript', () => {
  it('prints untouched statements from source and new ones canonically', () => {
    const script = parseScript('# keep me\r\nkeep;   # same line\r\n\r\nstop;\r\n');
    const edited: Script = { ...script, commands: [script.commands[0]!, command('discard'), script.commands[1]!] };
    expect(printScript(edited)).toBe('# keep me\r\nkeep;   # same line\r\ndiscard;\r\n\r\nstop;\r\n');
  });

  it('parse(print(ast)) equals ast for random ASTs', () => {
    fc.assert(
      fc.property(randomScript, fc.constantFrom('\r\n' as const, '\n' as const), (script, newline) => {
        const reparsed = parseScript(printScript(script, { newline }));
        expect(stripPositions(reparsed.commands)).toEqual(stripPositions(script.commands));
      }),
      { numRuns: 2000 },
    );
    // A fixed number of runs, not a time budget (about 1 s quiet, several times that loaded).
  }, 60_000);
});
