import { describe, expect, it } from 'vitest';
import type { Account } from '../../../../api/src/backends/ldap/directory';
import { bestMatches, checkQuery, fold, MAX_RESULTS, namePieces } from '../../../../api/src/features/helpdesk/search';

const person = (uid: string, given: string, sn: string, alternate: string[] = []): Account => ({
  dn: `uid=${uid},ou=People,dc=cs`,
  uid,
  displayName: `${given} ${sn}`,
  mail: `${uid}@cs.ucy.ac.cy`,
  alternateAddresses: alternate,
  givenName: given,
  sn,
});

describe('folding names for comparison', () => {
  it('drops tonos and dialytika, case and the final sigma’s form, in NFC or NFD', () => {
    const forms = ['Ανδρέου', 'ΑΝΔΡΈΟΥ', 'ανδρεου', 'Ανδρέου'.normalize('NFD')];
    expect(new Set(forms.map(fold))).toEqual(new Set(['ανδρεου']));
    expect(fold('Σωκράτης')).toBe('σωκρατησ');
    expect(fold('Ϊάκωβος')).toBe(fold('ιακωβοσ'));
    expect(fold('José Ñúñez')).toBe('jose nunez');
  });

  it('splits a folded query into literal pieces around letters that may carry an accent', () => {
    expect(namePieces('ανδρεου')).toEqual(['νδρ']);
    expect(namePieces('σωκρατησ')).toEqual(['κρ', 'τ']);
    expect(namePieces('ιω')).toEqual([]);
  });
});

describe('checking a query', () => {
  it('keeps 2–100 characters, trimmed and in NFC', () => {
    expect(checkQuery('  Ανδρέου  '.normalize('NFD'))).toEqual({ query: 'Ανδρέου' });
    expect(checkQuery('x'.repeat(100))).toEqual({ query: 'x'.repeat(100) });
  });

  it('refuses too short, too long and control or invisible format characters', () => {
    expect(checkQuery(' a ')).toEqual({ problem: 'too_short' });
    expect(checkQuery('x'.repeat(101))).toEqual({ problem: 'too_long' });
    for (const bad of ['ab\u0000', 'a\u200Bb', 'ab\u202E', 'a\u00ADb', 'ab\n']) expect(checkQuery(bad), JSON.stringify(bad)).toEqual({ problem: 'invalid_characters' });
  });
});

describe('ranking what the directory returned', () => {
  const people = [
    person('gandre01', 'Γιώργος', 'Ανδρέου', ['giorgos.andreou@cs.ucy.ac.cy']),
    person('andreas', 'Andreas', 'Smith'),
    person('xandreou', 'Ξένια', 'Κυριάκου', ['andreou.fan@cs.ucy.ac.cy']),
  ];

  it('drops what only the wide directory search matched', () => {
    expect(bestMatches(people, 'ανδρεου').map((p) => p.uid)).toEqual(['gandre01']);
  });

  it('puts an exact login or address first and names the alias that matched', () => {
    expect(bestMatches(people, 'andreou.fan').map((p) => [p.uid, p.matchedAddress])).toEqual([['xandreou', 'andreou.fan@cs.ucy.ac.cy']]);
    expect(bestMatches(people, 'GANDRE01')[0]?.uid).toBe('gandre01');
  });

  it('answers at most MAX_RESULTS', () => {
    const many = Array.from({ length: 50 }, (_, i) => person(`load${i}`, 'Load', `User ${i}`));
    expect(bestMatches(many, 'load')).toHaveLength(MAX_RESULTS);
  });
});
