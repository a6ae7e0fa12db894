import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../../api/src/sieve/document/parse-document.js';
import { printDocument } from '../../../../api/src/sieve/document/print-document.js';
import type { RuleItem } from '../../../../api/src/sieve/document/model.js';
import { SieveCapabilityError } from '../../../../api/src/sieve/errors.js';
import { assembleScript } from '../../../../api/src/sieve/assemble.js';
import { FIXTURE_DIR, fixtures } from '../helpers.js';

const fixture = (name: string) => readFileSync(join(FIXTURE_DIR, name), 'utf8');
const kinds = (text: string) => parseDocument(text).items.map((i) => (i.kind === 'rule' ? `rule:${i.rule.name}` : i.kind === 'custom' ? `custom:${i.writer ?? '-'}` : `section:${i.name}`));

describe('parseDocument → printDocument without edits', () => {
  it.each(fixtures())('$name is byte-identical', ({ text }) => {
    const doc = parseDocument(text);
    expect(printDocument(doc)).toBe(text);
    expect(doc.head + doc.items.map((i) => (i.kind === 'rule' ? i.origin?.text : i.kind === 'section' ? i.leading + i.text : i.text)).join('') + doc.tail).toBe(text);
  });
});

describe('recognising rules', () => {
  it('reads Roundcube rules, keeping requires', () => {
    const doc = parseDocument(fixture('roundcube-basic.sieve'));
    expect(doc.requires).toEqual(['fileinto', 'imap4flags']);
    expect(kinds(fixture('roundcube-basic.sieve'))).toEqual(['rule:Newsletters', 'rule:Boss', 'rule:Seminar announcements']);
    const boss = doc.items[1] as RuleItem;
    expect(boss.rule).toMatchObject({ match: 'any', conditions: [{ type: 'from', operator: 'is', value: 'boss@uni.example' }], actions: [{ type: 'addflag', flags: ['\\Flagged'] }] });
  });

  it('reads disabled Roundcube rules from their comment', () => {
    const doc = parseDocument(fixture('roundcube-disabled.sieve'));
    const rules = doc.items.filter((i): i is RuleItem => i.kind === 'rule').map((i) => i.rule);
    expect(rules.map((r) => [r.name, r.enabled, r.match, r.conditions.length])).toEqual([
      ['old project', false, 'any', 2],
      ['still active', true, 'any', 1],
      ['disabled single', false, 'any', 1],
    ]);
  });

  it('reads Roundcube vacation (date window, text: body) and forward rules', () => {
    const [vacation] = parseDocument(fixture('roundcube-vacation.sieve')).items as RuleItem[];
    expect(vacation?.rule.conditions).toEqual([
      { type: 'currentdate', negate: false, comparison: 'ge', datePart: 'date', value: '2024-07-01' },
      { type: 'currentdate', negate: false, comparison: 'le', datePart: 'date', value: '2024-07-21' },
    ]);
    expect(vacation?.rule.actions[0]).toMatchObject({ type: 'vacation', days: 3, subject: 'Out of office', reason: expect.stringContaining('\n.For urgent') });
    expect(kinds(fixture('roundcube-forward.sieve'))).toEqual(['rule:forward']);
    expect(kinds(fixture('roundcube-date-zone.sieve'))).toEqual(['rule:vacation']);
  });

  it('keeps what the model cannot represent as custom blocks, named', () => {
    expect(kinds(fixture('roundcube-nested.sieve'))).toEqual(['custom:roundcube', 'custom:roundcube']);
    expect(kinds(fixture('hand-elsif-chain.sieve'))).toEqual(['custom:roundcube']);
    expect(kinds(fixture('sievelib-filters.sieve'))).toEqual(['custom:sievelib', 'custom:sievelib']);
    expect(kinds(fixture('snappymail-filters.sieve'))).toEqual(['custom:snappymail', 'custom:snappymail']);
    expect(kinds(fixture('ingo-basic.sieve'))).toEqual(['custom:-', 'custom:-', 'custom:-']);
  });

  it('keeps Nextcloud Mail fences (with their JSON state line) as one block each', () => {
    expect(kinds(fixture('nextcloud-filters.sieve'))).toEqual(['rule:Roundcube rule kept outside', 'custom:nextcloud']);
    expect(kinds(fixture('nextcloud-vacation.sieve'))).toEqual(['custom:-', 'custom:nextcloud']);
  });

  it('recognises the app sections', () => {
    const text = 'require ["fileinto"];\n\n# emailng:begin spam\nif header :is "X-Spam-Flag" "YES" {\n  fileinto "SPAM";\n  stop;\n}\n# emailng:end spam\n# rule:[a]\nif true\n{\n\tkeep;\n}\n';
    expect(kinds(text)).toEqual(['section:spam', 'rule:a']);
    expect(printDocument(parseDocument(text))).toBe(text);
  });
});

describe('editing', () => {
  it('rewrites only the edited rule and adds the requires it needs', () => {
    const text = fixture('roundcube-basic.sieve');
    const doc = parseDocument(text);
    const boss = doc.items[1] as RuleItem;
    boss.rule = { ...boss.rule, actions: [{ type: 'fileinto', mailbox: 'Boss', copy: true, create: false }] };
    const out = printDocument(doc);
    expect(out).toContain('require ["fileinto","imap4flags"];\n# emailng:require\nrequire ["copy"];\n');
    // Rewritten, its From test becomes the address test "From is" means (see rules/from-sieve.ts).
    expect(out).toContain('# rule:[Boss]\nif address :all :is "from" "boss@uni.example"\n{\n\tfileinto :copy "Boss";\n}\n# rule:[Seminar');
    expect(
      out
        .replace(/# emailng:require\nrequire \["copy"\];\n/, '')
        .replace(/fileinto :copy "Boss"/, 'addflag "\\\\Flagged"')
        .replace('if address :all :is "from" "boss@uni.example"\n{\n\taddflag', 'if header :is "from" "boss@uni.example"\n{\n\taddflag'),
    ).toBe(text);
  });

  it('refuses an extension the server lacks with a typed error', () => {
    const doc = parseDocument(fixture('roundcube-basic.sieve'));
    doc.items.push({ kind: 'rule', rule: { id: 'n', name: 'n', enabled: true, match: 'always', conditions: [], actions: [{ type: 'redirect', address: 'a@b.example', copy: true }], stop: false } });
    expect(() => printDocument(doc, { capabilities: ['fileinto', 'imap4flags'] })).toThrow(SieveCapabilityError);
    expect(printDocument(doc, { capabilities: ['fileinto', 'imap4flags', 'copy'] })).toMatch(/# rule:\[n\]\nif true\n\{\n\tredirect :copy "a@b.example";\n\}\n$/);
  });

  it('never drops a require an unknown extension needs', () => {
    const text = fixture('hand-unknown-ext.sieve');
    const doc = parseDocument(text);
    doc.items = doc.items.slice(0, 1);
    expect(printDocument(doc)).toContain('require ["vnd.dovecot.pipe", "vnd.dovecot.execute", "x-frobnicate", "fileinto"];');
  });
});

describe('the app’s own require', () => {
  const CAPS = ['fileinto', 'mailbox', 'copy', 'vacation', 'vacation-seconds', 'date', 'relational', 'comparator-i;ascii-numeric', 'spamtest', 'spamtestplus', 'imap4flags', 'envelope', 'body', 'regex', 'variables', 'include'];
  const OPTIONS = { capabilities: CAPS, spamtestMaxValue: 20 };
  const VACATION = { body: 'Away until Monday.', start: '2025-07-01T06:00:00', addresses: ['me@uni.example'] };
  const newRule = (id: string): RuleItem => ({
    kind: 'rule',
    rule: { id, name: id, enabled: true, match: 'always', conditions: [], actions: [{ type: 'addflag', flags: ['\\Seen'] }, { type: 'fileinto', mailbox: 'Done', copy: true, create: true }], stop: false },
  });
  /** Every `require` statement of a script: its extensions, and whether the app's marker is above it. */
  const requireStatements = (text: string) => {
    const lines = text.split(/\r?\n/);
    return lines.flatMap((line, i) => (line.startsWith('require') ? [{ line, app: lines[i - 1] === '# emailng:require' }] : []));
  };
  const requiredOnce = (text: string) => {
    const doc = parseDocument(text);
    const all = [...doc.requires, ...(doc.appRequire?.capabilities ?? [])];
    return new Set(all).size === all.length;
  };
  /** Takes a foreign script over: vacation, then spam and forwarding, then a new rule. */
  const takeOver = (text: string) => {
    let out = assembleScript(text, { vacation: VACATION }, OPTIONS);
    out = assembleScript(out, { spam: { threshold: 5, folder: 'SPAM' }, forwarding: { addresses: ['home@example.net'], keepCopy: true } }, OPTIONS);
    const doc = parseDocument(out);
    doc.items.push(newRule('added'));
    return printDocument(doc, OPTIONS);
  };

  it.each(fixtures().filter((f) => /^\s*require/m.test(f.text)))('$name taken over: each extension required once, one require of the app’s, the script’s own kept byte for byte', ({ text }) => {
    const own = parseDocument(text);
    const out = takeOver(text);
    expect(requiredOnce(out)).toBe(true);
    expect(requireStatements(out).filter((r) => r.app)).toHaveLength(1);
    // The script's own requires, untouched and first.
    expect(out.startsWith(own.head)).toBe(true);
    expect(parseDocument(out).requires).toEqual(own.requires);
    // The app's require lists nothing the script's own already have.
    const app = parseDocument(out).appRequire?.capabilities ?? [];
    expect(app.filter((c) => own.requires.includes(c))).toEqual([]);
    // Printing again changes nothing; saving again adds no second require.
    expect(printDocument(parseDocument(out), OPTIONS)).toBe(out);
    const again = assembleScript(out, { vacation: { ...VACATION, body: 'Back on Tuesday.' } }, OPTIONS);
    expect(requireStatements(again)).toEqual(requireStatements(out));
  });

  it('adds nothing the Roundcube require has, and writes one statement for the rest', () => {
    const text = fixture('roundcube-vacation.sieve');
    const out = assembleScript(text, { forwarding: { addresses: ['home@example.net'], keepCopy: true }, spam: { threshold: 5, folder: 'SPAM' } }, OPTIONS);
    expect(out.startsWith('require ["date","relational","vacation"];\n# emailng:require\nrequire ["comparator-i;ascii-numeric", "copy", "fileinto", "mailbox", "spamtestplus"];\n# emailng:begin spam\n')).toBe(true);
  });

  it('writes no require of its own when the script’s already cover everything, and restores the script exactly when its sections go', () => {
    const text = fixture('roundcube-vacation.sieve');
    const covered = assembleScript(text, { vacation: VACATION }, OPTIONS);
    expect(covered).not.toContain('# emailng:require');
    expect(requireStatements(covered)).toHaveLength(1);

    const basic = fixture('roundcube-basic.sieve');
    const withVacation = assembleScript(basic, { vacation: VACATION }, OPTIONS);
    expect(withVacation).toContain('require ["fileinto","imap4flags"];\n# emailng:require\nrequire ["date", "relational", "vacation"];\n');
    expect(assembleScript(withVacation, { vacation: null }, OPTIONS)).toBe(basic);
  });

  it('shrinks to what is still used, and drops what the script’s own requires gain by hand', () => {
    const basic = fixture('roundcube-basic.sieve');
    const both = assembleScript(basic, { vacation: VACATION, forwarding: { addresses: ['home@example.net'], keepCopy: true } }, OPTIONS);
    expect(parseDocument(both).appRequire?.capabilities).toEqual(['copy', 'date', 'relational', 'vacation']);
    expect(parseDocument(assembleScript(both, { vacation: null }, OPTIONS)).appRequire?.capabilities).toEqual(['copy']);

    const handEdited = both.replace('require ["fileinto","imap4flags"];', 'require ["fileinto","imap4flags","date","vacation-seconds"];');
    const saved = assembleScript(handEdited, { forwarding: { addresses: ['other@example.net'], keepCopy: true } }, OPTIONS);
    expect(saved).toContain('require ["fileinto","imap4flags","date","vacation-seconds"];\n# emailng:require\nrequire ["copy", "relational"];\n');
    expect(requiredOnce(saved)).toBe(true);
  });

  it('keeps what a custom block relies on, and what it cannot tell unused', () => {
    const text =
      'require ["fileinto"];\n# emailng:require\nrequire ["copy", "date", "variables"];\n' +
      'if header :matches "subject" "*" { fileinto :copy "Archive/${1}"; }\n';
    const doc = parseDocument(text);
    expect(doc.appRequire?.capabilities).toEqual(['copy', 'date', 'variables']);
    doc.items.push(newRule('new'));
    const out = printDocument(doc, OPTIONS);
    // date is unused (gone); copy is used by the custom block; variables cannot be told unused.
    expect(out).toContain('require ["fileinto"];\n# emailng:require\nrequire ["copy", "imap4flags", "mailbox", "variables"];\nif header :matches');
  });

  it('starts a new script with its require under the marker', () => {
    const out = assembleScript(null, { vacation: VACATION }, OPTIONS);
    expect(out.startsWith('# emailng:require\r\nrequire ["date", "relational", "vacation"];\r\n# emailng:begin vacation\r\n')).toBe(true);
    expect(assembleScript(out, { vacation: null }, OPTIONS)).toBe('');
  });

  it('takes a require as the app’s only right below its marker line', () => {
    for (const [text, added] of [
      ['require ["fileinto"]; # emailng:require\nrequire ["date"];\nkeep;\n', '"copy", "imap4flags", "mailbox"'],
      ['# emailng:require\n\nrequire ["date"];\nkeep;\n', '"copy", "fileinto", "imap4flags", "mailbox"'],
      ['# emailng:require x\nrequire ["date"];\nkeep;\n', '"copy", "fileinto", "imap4flags", "mailbox"'],
    ] as const) {
      const doc = parseDocument(text);
      expect(doc.appRequire).toBeUndefined();
      doc.items.push(newRule('n'));
      // The script's own requires stay as they are; the app's goes after them.
      const out = printDocument(doc, OPTIONS);
      expect(out.startsWith(doc.head)).toBe(true);
      expect(out.slice(doc.head.length).startsWith(`# emailng:require\nrequire [${added}];\nkeep;\n`)).toBe(true);
    }
  });

  it('unedited, a script with the app’s require prints back byte-identical, even one it would write otherwise', () => {
    const text = 'require ["fileinto"];\r\n# emailng:require\r\nrequire [ "vacation","date" ,"relational"];\r\nif true { vacation :days 3 "x"; }\r\nif currentdate :value "ge" "date" "2025-01-01" { fileinto "X"; }\r\n';
    expect(printDocument(parseDocument(text), OPTIONS)).toBe(text);
  });
});
