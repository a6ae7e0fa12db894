import { describe, expect, it } from 'vitest';
import { changeText, instantText, wallClockText } from '../../../web/src/components/filters/historyText';
import { compileMessage } from '../../../web/src/i18n/format';
import en from '../../../web/src/components/filters/messages/en/history';
import el from '../../../web/src/components/filters/messages/el/history';
import type { HistoryEntry } from '../../../web/src/api/types';

// The words of the history page's messages, looked up as the app does (filtersUi.history.*).
function translator(messages: object) {
  return (key: string, named: Record<string, unknown> = {}, count?: number): string => {
    const found = key.replace(/^filtersUi\./, '').split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)?.[part], messages);
    if (typeof found !== 'string') throw new Error(`no message ${key}`);
    return compileMessage(found)(named, count);
  };
}
const T = { en: translator(en), el: translator(el) };
const entry = (change: HistoryEntry['change'], summary = 'stored words'): Pick<HistoryEntry, 'change' | 'summary' | 'timeZone'> => ({ change, summary, timeZone: 'Europe/Nicosia' });

describe('history page: what replaced a version', () => {
  it('words the vacation change in the page’s language, dates with the month in words, the zone only when not the account’s', () => {
    const on = entry({ what: 'vacation', details: { enabled: true, start: '2026-12-09T00:00', end: '2027-01-06', timeZone: 'Europe/Nicosia' } });
    expect(changeText(on, T.en, 'en')).toBe('Vacation reply on from Dec 9, 2026, 12:00 AM until Jan 6, 2027');
    expect(changeText(on, T.el, 'el')).toBe('Αυτόματη απάντηση ενεργή από 9 Δεκ 2026, 12:00 π.μ. έως 6 Ιαν 2027');
    const elsewhere = entry({ what: 'vacation', details: { enabled: true, start: '2026-12-09T08:30', timeZone: 'America/New_York' } });
    expect(changeText(elsewhere, T.el, 'el')).toBe('Αυτόματη απάντηση ενεργή από 9 Δεκ 2026, 8:30 π.μ. (ώρα America/New_York)');
    expect(changeText(entry({ what: 'vacation', details: { enabled: false, timeZone: 'UTC' } }), T.el, 'el')).toBe('Αυτόματη απάντηση ανενεργή');
  });

  it('counts with the right plural in both languages', () => {
    const spam = entry({ what: 'spam', details: { level: 'custom', threshold: 6.5, allowed: 1, blocked: 0 } });
    expect(changeText(spam, T.en, 'en')).toBe('Spam level: custom, score 6.5, 1 allowed sender, 0 blocked senders');
    expect(changeText(spam, T.el, 'el')).toBe('Επίπεδο ανεπιθύμητων: προσαρμοσμένο, βαθμολογία 6,5, 1 επιτρεπόμενος αποστολέας, 0 αποκλεισμένοι αποστολείς');
    expect(changeText(entry({ what: 'forwarding', details: { addresses: 2, keepCopy: false } }), T.el, 'el')).toBe('Προώθηση σε 2 διευθύνσεις, χωρίς αντίγραφο εδώ');
    expect(changeText(entry({ what: 'forwarding', details: { addresses: 0, keepCopy: true } }), T.en, 'en')).toBe('Forwarding off');
    expect(changeText(entry({ what: 'filters', details: { rules: 1, custom: 2, customDeleted: 1 } }), T.en, 'en')).toBe('1 filter rule, 2 blocks of your own Sieve, 1 block of your own Sieve deleted');
  });

  it('shows an address or script name as text, and a restore’s time in the account’s zone', () => {
    const sneaky = '<b>x</b>\u202e@evil.example';
    expect(changeText(entry({ what: 'exit-removed', details: { source: 'sieve', address: sneaky } }), T.el, 'el')).toBe(`«Δεν ήμουν εγώ»: αφαιρέθηκε η προώθηση προς ${sneaky}`);
    expect(changeText(entry({ what: 'restored', details: { savedAt: '2026-12-07T22:30:00.000Z' } }), T.en, 'en')).toBe('The version in use until Dec 8, 2026, 12:30:00 AM put back');
    expect(changeText(entry({ what: 'taken-over', details: { script: 'roundcube' } }), T.el, 'el')).toBe('Ανάληψη του σεναρίου «roundcube»');
  });

  it('keeps the stored words of versions kept before changes were recorded', () => {
    expect(changeText(entry(null, 'vacation on from 2026-12-09T00:00 (UTC)'), T.el, 'el')).toBe('vacation on from 2026-12-09T00:00 (UTC)');
  });

  it('formats instants and wall-clock times without dd/mm vs mm/dd doubt, and survives bad input', () => {
    expect(instantText('2026-12-07T22:30:05.000Z', 'Europe/Nicosia', 'el')).toBe('8 Δεκ 2026, 12:30:05 π.μ.');
    expect(instantText('2026-12-07T22:30:05.000Z', 'Not/AZone', 'en')).toBe('Dec 7, 2026, 10:30:05 PM UTC');
    expect(instantText('garbage', 'UTC', 'en')).toBe('garbage');
    expect(wallClockText('2026-02-03', 'en')).toBe('Feb 3, 2026');
    expect(wallClockText('nonsense', 'el')).toBe('nonsense');
  });
});
