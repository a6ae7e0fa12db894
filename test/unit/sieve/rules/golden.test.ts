// Golden pairs (test/fixtures/rules): a rule as JSON and the exact Sieve the app writes for it,
// checked both ways, so a change to generated Sieve shows in review as a diff of text. The
// legacy/ pairs are one way, Sieve → rule: forms the app reads but no longer writes (header
// tests on From written before addresses were compared as addresses, Roundcube's
// addflag-then-copy), with whether reading upgraded them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../../api/src/sieve/document/parse-document.js';
import { printDocument } from '../../../../api/src/sieve/document/print-document.js';
import type { RuleItem } from '../../../../api/src/sieve/document/model.js';
import type { Rule } from '../../../../api/src/sieve/rules/model.js';
import { printRule } from '../../../../api/src/sieve/rules/to-sieve.js';

const DIR = join(import.meta.dirname, '../../../fixtures/rules');
const names = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.sieve')).map((f) => f.slice(0, -'.sieve'.length));
const read = (dir: string, name: string, ext: string) => readFileSync(join(dir, `${name}.${ext}`), 'utf8');

function onlyRule(text: string): RuleItem {
  const items = parseDocument(text).items;
  expect(items).toHaveLength(1);
  const item = items[0] as RuleItem;
  expect(item.kind, text).toBe('rule');
  return item;
}

describe('golden pairs: rule ↔ Sieve', () => {
  it.each(names(DIR))('%s', (name) => {
    const rule = JSON.parse(read(DIR, name, 'json')) as Rule;
    const sieve = read(DIR, name, 'sieve');
    expect(printRule(rule, { newline: '\n' })).toBe(sieve);
    const item = onlyRule(sieve);
    expect({ ...item.rule, id: rule.id }).toEqual(rule);
    expect(item.upgraded).toBeUndefined();
  });
});

describe('legacy forms: read as the rule they mean, kept byte for byte until saved', () => {
  const LEGACY = join(DIR, 'legacy');
  it.each(names(LEGACY))('%s', (name) => {
    const expected = JSON.parse(read(LEGACY, name, 'json')) as { upgraded: boolean; rule: Rule };
    const sieve = read(LEGACY, name, 'sieve');
    const item = onlyRule(sieve);
    expect({ ...item.rule, id: expected.rule.id }).toEqual(expected.rule);
    expect(item.upgraded === true).toBe(expected.upgraded);
    // Untouched, the text stays exactly what it was, upgraded or not.
    expect(printDocument(parseDocument(sieve))).toBe(sieve);
  });

  it('an upgraded rule is rewritten in the current form once a save asks for it', () => {
    const doc = parseDocument(read(LEGACY, 'from-ends-header', 'sieve'));
    const item = doc.items[0] as RuleItem;
    item.rewrite = true;
    expect(printDocument(doc)).toBe('# emailng:require\nrequire ["fileinto"];\n' + read(DIR, 'from-ends-address', 'sieve'));
  });
});
