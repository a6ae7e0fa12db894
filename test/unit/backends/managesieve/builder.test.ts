import { describe, expect, it } from 'vitest';
import {
  buildCommand,
  isQuotable,
  lit,
  literal,
  num,
  quoted,
  str,
  validateScriptName,
} from '../../../../api/src/backends/managesieve/builder';
import { ManageSieveError } from '../../../../api/src/backends/managesieve/errors';
import { MAX_QUOTED_OCTETS, MAX_SCRIPT_NAME_CHARS } from '../../../../api/src/backends/managesieve/limits';
import { ResponseReader } from '../../../../api/src/backends/managesieve/parser';

const wire = (b: Buffer) => b.toString('utf8');

describe('quoted strings', () => {
  it('escapes exactly " and \\', () => {
    expect(quoted('plain')).toBe('"plain"');
    expect(quoted('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
  });

  it('round-trips through the response parser', () => {
    const value = 'x "y" \\z Φίλτρα';
    const reader = new ResponseReader();
    reader.push(Buffer.from(`${quoted(value)}\r\n`, 'utf8'));
    expect(reader.next()).toEqual([{ type: 'string', value, literal: false }]);
  });

  it('is used only for values without CR, LF or NUL and within 1024 octets', () => {
    expect(isQuotable('a b')).toBe(true);
    expect(isQuotable('a\r\nb')).toBe(false);
    expect(isQuotable('a\0b')).toBe(false);
    expect(isQuotable('x'.repeat(MAX_QUOTED_OCTETS))).toBe(true);
    expect(isQuotable('x'.repeat(MAX_QUOTED_OCTETS + 1))).toBe(false);
    // 513 Greek letters are 1026 octets although only 513 UTF-16 units.
    expect(isQuotable('α'.repeat(513))).toBe(false);
  });
});

describe('literals', () => {
  it('counts octets of UTF-8, not characters, for Greek text', () => {
    const text = 'Καλημέρα';
    expect(text.length).toBe(8);
    expect(wire(literal(text))).toBe('{16+}\r\nΚαλημέρα');
  });

  it('counts 4-octet characters (emoji) correctly', () => {
    expect(wire(literal('😀'))).toBe('{4+}\r\n😀');
  });

  it('sends the text exactly as given, bare LF and CRLF alike', () => {
    const text = 'a\nb\r\nc';
    expect(literal(text).subarray(-6).toString('utf8')).toBe(text);
    expect(wire(literal(text)).startsWith('{6+}\r\n')).toBe(true);
  });
});

describe('buildCommand', () => {
  it('builds commands with quoted names and a number', () => {
    expect(wire(buildCommand('HAVESPACE', str('my "best" script'), num(1234)))).toBe(
      'HAVESPACE "my \\"best\\" script" 1234\r\n',
    );
  });

  it('sends a script as a non-synchronizing literal followed by CRLF', () => {
    const script = 'require "vacation";\r\nvacation "Λείπω";\r\n';
    const octets = Buffer.byteLength(script, 'utf8');
    expect(wire(buildCommand('PUTSCRIPT', str('Φίλτρα'), lit(script)))).toBe(
      `PUTSCRIPT "Φίλτρα" {${octets}+}\r\n${script}\r\n`,
    );
  });

  it('falls back to a literal for a string that cannot be quoted', () => {
    expect(wire(buildCommand('X', str('a\nb')))).toBe('X {3+}\r\na\nb\r\n');
  });

  it('refuses numbers outside the 32-bit range RFC 5804 allows', () => {
    expect(() => buildCommand('HAVESPACE', str('a'), num(-1))).toThrow(ManageSieveError);
    expect(() => buildCommand('HAVESPACE', str('a'), num(2 ** 32))).toThrow(ManageSieveError);
    expect(() => buildCommand('HAVESPACE', str('a'), num(1.5))).toThrow(ManageSieveError);
  });
});

describe('validateScriptName', () => {
  const bad = (name: string): ManageSieveError => {
    try {
      validateScriptName(name);
    } catch (e) {
      expect((e as ManageSieveError).code).toBe('BAD_ARGUMENT');
      return e as ManageSieveError;
    }
    throw new Error(`expected ${JSON.stringify(name)} to be refused`);
  };

  it('accepts ordinary, Greek and spaced names', () => {
    for (const name of ['roundcube', 'emailng', 'Φίλτρα αλληλογραφίας', 'my "quoted" \\ name', 'x'.repeat(MAX_SCRIPT_NAME_CHARS)]) {
      expect(() => validateScriptName(name)).not.toThrow();
    }
  });

  it('refuses the empty name', () => {
    bad('');
  });

  it('refuses the control characters RFC 5804 lists', () => {
    for (const cp of [0x00, 0x0a, 0x0d, 0x1f, 0x7f, 0x80, 0x9f, 0x2028, 0x2029]) {
      expect(bad(`a${String.fromCodePoint(cp)}b`).message).toMatch(/U\+/);
    }
  });

  it('refuses "/" (Pigeonhole stores a file per script)', () => {
    bad('a/b');
  });

  it(`refuses names over ${MAX_SCRIPT_NAME_CHARS} characters, counting code points`, () => {
    bad('x'.repeat(MAX_SCRIPT_NAME_CHARS + 1));
    expect(() => validateScriptName('😀'.repeat(MAX_SCRIPT_NAME_CHARS))).not.toThrow();
  });

  it('refuses a lone surrogate, which has no UTF-8 form', () => {
    bad('a\uD800b');
  });
});
