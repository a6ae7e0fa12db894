import { describe, expect, it } from 'vitest';
import { stripPositions } from '../../../api/src/sieve/ast.js';
import { SieveSyntaxError } from '../../../api/src/sieve/errors.js';
import { parseScript, parseTest } from '../../../api/src/sieve/parser.js';

const parse = (text: string) => stripPositions(parseScript(text).commands);

describe('parseScript', () => {
  it('reads commands, tags, numbers with quantifiers, string lists and blocks', () => {
    const [cmd] = parse('if size :over 100k { addflag ["a", "b"]; }');
    expect(cmd).toEqual({
      type: 'command',
      name: 'if',
      arguments: [],
      tests: [{ type: 'test', name: 'size', arguments: [{ type: 'tag', name: 'over' }, { type: 'number', value: 100n, quantifier: 'K' }], tests: [], testList: false }],
      testList: false,
      block: [{ type: 'command', name: 'addflag', arguments: [{ type: 'string-list', items: ['a', 'b'] }], tests: [], testList: false, block: null }],
    });
  });

  it('nests allof / anyof / not', () => {
    const t = stripPositions(parseTest('allof (not anyof (true, false), not not true)'));
    expect(t.name).toBe('allof');
    expect(t.testList).toBe(true);
    expect(t.tests.map((x) => x.name)).toEqual(['not', 'not']);
    expect(t.tests[0]?.tests[0]?.tests.map((x) => x.name)).toEqual(['true', 'false']);
  });

  it('decodes quoted-string escapes: any escaped character stands for itself', () => {
    const [cmd] = parse('x "a\\"b\\\\c\\nd";');
    expect(cmd?.arguments[0]).toEqual({ type: 'string', value: 'a"b\\cnd' });
  });

  it('removes dot-stuffing from text: and keeps the final line break in the value', () => {
    const [cmd] = parse('x text:\n..one\n.two\n...\n.\n;');
    expect(cmd?.arguments[0]).toEqual({ type: 'string', value: '.one\r\ntwo\r\n..\r\n' });
  });

  it('normalises LF and lone CR inside strings to CRLF', () => {
    const [cmd] = parse('x "a\nb\rc\r\nd";');
    expect(cmd?.arguments[0]).toEqual({ type: 'string', value: 'a\r\nb\r\nc\r\nd' });
  });

  it('accepts a hash comment after text:', () => {
    const [cmd] = parse('x text: # note\r\nhi\r\n.\r\n;');
    expect(cmd?.arguments[0]).toEqual({ type: 'string', value: 'hi\r\n' });
  });

  it('keeps unknown commands and tests generically', () => {
    const [cmd] = parse('frob :x 1 "y" foo (bar, baz :q);');
    expect(cmd?.name).toBe('frob');
    expect(cmd?.tests[0]?.name).toBe('foo');
    expect(cmd?.tests[0]?.tests.map((t) => t.name)).toEqual(['bar', 'baz']);
  });

  it('gives each top-level statement its leading trivia and its own line', () => {
    const script = parseScript('# a\r\nkeep; # b\r\n\r\n/* c */ stop;');
    expect(script.commands.map((c) => c.source)).toEqual([
      { leading: '# a\r\n', text: 'keep; # b\r\n' },
      { leading: '\r\n/* c */ ', text: 'stop;' },
    ]);
    expect(script.comments.map((c) => c.kind)).toEqual(['hash', 'hash', 'bracket']);
  });

  it('accepts 64 levels of nesting and refuses 65 with a position', () => {
    const nested = (n: number) => 'if true {'.repeat(n) + '}'.repeat(n);
    expect(() => parseScript(nested(64))).not.toThrow();
    expect(() => parseScript(nested(65))).toThrow(SieveSyntaxError);
  });
});
