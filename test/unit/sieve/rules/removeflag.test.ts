// removeflag (RFC 5232 §5): a rule action like addflag/setflag. Roundcube's managesieve offers
// "Remove flags from the message"; roundcube-removeflag.sieve is what its own writer
// (rcube_sieve_script::as_text, 1.6.5) printed for such rules, byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../../api/src/sieve/document/parse-document.js';
import { printDocument } from '../../../../api/src/sieve/document/print-document.js';
import type { RuleItem } from '../../../../api/src/sieve/document/model.js';
import { parseScript } from '../../../../api/src/sieve/parser.js';
import { requiredCapabilities } from '../../../../api/src/sieve/capabilities.js';
import type { Action, Rule } from '../../../../api/src/sieve/rules/model.js';
import { printRule, ruleToCommand } from '../../../../api/src/sieve/rules/to-sieve.js';
import { validateRule } from '../../../../api/src/sieve/rules/validate.js';
import { FIXTURE_DIR } from '../helpers.js';

const ROUNDCUBE = readFileSync(join(FIXTURE_DIR, 'roundcube-removeflag.sieve'), 'utf8');

const rule = (actions: Action[]): Rule => ({ id: 'r', name: 'Unflag', enabled: true, match: 'always', conditions: [], actions, stop: false });

/** The one rule of `# rule:[x]` + `if true { <action> }`, or the item kind it read as. */
function readAction(action: string): Action[] | 'custom' {
  const [item] = parseDocument(`require ["imap4flags"];\n# rule:[x]\nif true\n{\n\t${action}\n}\n`).items;
  return item?.kind === 'rule' ? item.rule.actions : 'custom';
}

describe('removeflag in Roundcube’s shape', () => {
  const doc = parseDocument(ROUNDCUBE);
  const rules = doc.items.map((i) => (i.kind === 'rule' ? i.rule : null));

  it('reads every rule of the fixture as a rule, one flag and several, enabled and disabled', () => {
    expect(rules.map((r) => r && [r.name, r.enabled, r.actions])).toEqual([
      ['Boss', true, [{ type: 'addflag', flags: ['\\Flagged'] }]],
      ['Boss on holiday', true, [{ type: 'removeflag', flags: ['\\Flagged'] }]],
      ['Unread reports', true, [{ type: 'removeflag', flags: ['\\Seen', '\\Flagged', '$Work'] }, { type: 'fileinto', mailbox: 'Reports', copy: false, create: false }]],
      ['old labels', false, [{ type: 'removeflag', flags: ['$Label1', '\\Answered'] }]],
    ]);
    for (const r of rules) expect(validateRule(r as Rule)).toEqual([]);
  });

  it('prints back byte-identical when untouched, and keeps the other rules’ bytes when one is edited', () => {
    expect(printDocument(parseDocument(ROUNDCUBE))).toBe(ROUNDCUBE);
    const edited = parseDocument(ROUNDCUBE);
    const boss = edited.items[0] as RuleItem;
    boss.rule = { ...boss.rule, actions: [{ type: 'removeflag', flags: ['\\Seen'] }] };
    const out = printDocument(edited);
    // imap4flags is required already: no line of the app's own.
    expect(out).not.toContain('# emailng:require');
    // The edited rule is written afresh, its From test as the address test it was meant to be.
    expect(out).toBe(
      ROUNDCUBE.replace('\taddflag "\\\\Flagged";', '\tremoveflag "\\\\Seen";').replace('if header :is "from" "boss@uni.example"\r\n{', 'if address :all :is "from" "boss@uni.example"\r\n{'),
    );
  });

  it('the app writes a list the way it writes addflag’s, and reads it back the same', () => {
    const unread = rules[2] as Rule;
    const text = printRule({ ...unread, actions: unread.actions.slice(0, 1) });
    expect(text).toBe('# rule:[Unread reports]\r\nif header :contains "subject" "report"\r\n{\r\n\tremoveflag ["\\\\Seen", "\\\\Flagged", "$Work"];\r\n}\r\n');
    const [back] = parseDocument(text).items as RuleItem[];
    expect(back?.rule.actions).toEqual(unread.actions.slice(0, 1));
  });
});

describe('removeflag written by hand', () => {
  it.each<[string, Action[]]>([
    ['removeflag "\\\\Seen";', [{ type: 'removeflag', flags: ['\\Seen'] }]],
    ['RemoveFlag "\\\\Seen";', [{ type: 'removeflag', flags: ['\\Seen'] }]],
    // RFC 5232 §3: one string may hold several flags, space-separated.
    ['removeflag "\\\\Seen  $Work ";', [{ type: 'removeflag', flags: ['\\Seen', '$Work'] }]],
    ['removeflag [ "\\\\Seen" , "$Work Junk" ];', [{ type: 'removeflag', flags: ['\\Seen', '$Work', 'Junk'] }]],
    ['removeflag ["\\\\Flagged"];', [{ type: 'removeflag', flags: ['\\Flagged'] }]],
    ['addflag "\\\\Seen";\n\tremoveflag "\\\\Flagged";', [{ type: 'addflag', flags: ['\\Seen'] }, { type: 'removeflag', flags: ['\\Flagged'] }]],
  ])('%s reads as a rule', (action, expected) => {
    expect(readAction(action)).toEqual(expected);
  });

  it.each([
    // The variables form (RFC 5232 §3: variablename, then the flags) is not the model's.
    'removeflag "myflags" "\\\\Seen";',
  ])('%s stays custom Sieve', (action) => {
    expect(readAction(action)).toBe('custom');
  });

  // Pigeonhole refuses these at CHECKSCRIPT, so the parser does too (test/fixtures/sieve/shape-corpus.ts).
  it.each([
    ['removeflag :flags "\\\\Seen";', 'unknown-tag'],
    ['removeflag 1;', 'wrong-argument'],
    ['removeflag;', 'wrong-argument-count'],
  ])('%s is refused with %s', (action, code) => {
    expect(() => readAction(action)).toThrow(expect.objectContaining({ name: 'SieveSyntaxError', code }));
  });

  it('prints untouched hand-written text back byte for byte', () => {
    const text = 'require ["imap4flags"];\r\n# rule:[Mark]\r\nif header :contains "subject" "x"\r\n{\r\n\tremoveflag [ "\\\\Seen" , "$Work Junk" ];\r\n}\r\n';
    expect(printDocument(parseDocument(text))).toBe(text);
  });
});

describe('removeflag written by the app', () => {
  it('prints one flag as a string, several as a list, and needs imap4flags', () => {
    expect(printRule(rule([{ type: 'removeflag', flags: ['\\Seen'] }]))).toBe('# rule:[Unflag]\r\nif true\r\n{\r\n\tremoveflag "\\\\Seen";\r\n}\r\n');
    expect(printRule(rule([{ type: 'removeflag', flags: ['\\Seen', '$Work'] }]))).toContain('\tremoveflag ["\\\\Seen", "$Work"];\r\n');
    expect(requiredCapabilities([ruleToCommand(rule([{ type: 'removeflag', flags: ['\\Seen'] }]))])).toEqual(['imap4flags']);
  });

  it('adds imap4flags on the app’s require line of a script that lacks it', () => {
    const doc = parseDocument('require ["fileinto"];\n');
    doc.items.push({ kind: 'rule', rule: rule([{ type: 'removeflag', flags: ['\\Flagged'] }]) });
    const out = printDocument(doc, { capabilities: ['fileinto', 'imap4flags'] });
    expect(out).toBe('require ["fileinto"];\n# emailng:require\nrequire ["imap4flags"];\n# rule:[Unflag]\nif true\n{\n\tremoveflag "\\\\Flagged";\n}\n');
    expect(() => parseScript(out)).not.toThrow();
  });

  it('validates its flags as addflag’s, each at its path, and refuses none at all', () => {
    expect(validateRule(rule([{ type: 'removeflag', flags: ['\\Seen', 'two words', 'k'.repeat(51), '\\Recent', 'Εργασία'] }]))).toEqual([
      expect.objectContaining({ code: 'invalid-flag', path: 'actions.0.flags.1' }),
      expect.objectContaining({ code: 'string-too-long', path: 'actions.0.flags.2' }),
      expect.objectContaining({ code: 'invalid-flag', path: 'actions.0.flags.3' }),
      expect.objectContaining({ code: 'invalid-flag', path: 'actions.0.flags.4' }),
    ]);
    expect(validateRule(rule([{ type: 'removeflag', flags: [] }]))).toEqual([expect.objectContaining({ code: 'empty-value', path: 'actions.0.flags' })]);
    expect(() => printRule(rule([{ type: 'removeflag', flags: ['a"b'] }]))).toThrow(/not an IMAP flag/);
  });
});
