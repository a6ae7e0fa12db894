import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../../api/src/sieve/document/parse-document.js';
import { printDocument } from '../../../../api/src/sieve/document/print-document.js';
import type { RuleItem } from '../../../../api/src/sieve/document/model.js';
import { SieveCapabilityError } from '../../../../api/src/sieve/errors.js';
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
    expect(out).toContain('require ["fileinto","imap4flags"];\nrequire ["copy"];\n');
    expect(out).toContain('# rule:[Boss]\nif header :is "from" "boss@uni.example"\n{\n\tfileinto :copy "Boss";\n}\n# rule:[Seminar');
    expect(out.replace(/require \["copy"\];\n/, '').replace(/fileinto :copy "Boss"/, 'addflag "\\\\Flagged"')).toBe(text);
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
