import { describe, expect, it } from 'vitest';
import { isMessagePrefill, prefillFromQuery, proposalCondition, proposedName, PREFILL_LIMITS } from '../../../web/src/composables/message-prefill';

// A rule proposed from a message: the values come from a URL, so each is checked like typed input.

describe('a rule proposed from a message', () => {
  it('offers the sender (ticked), the list and the subject (not ticked), in that order', () => {
    const p = prefillFromQuery({ from: 'news@lists.example.org', listId: 'digest.lists.example.org', subject: 'Weekly digest' });
    expect(p.proposals).toEqual([
      { field: 'from', value: 'news@lists.example.org', checked: true },
      { field: 'list-id', value: 'digest.lists.example.org', checked: false },
      { field: 'subject', value: 'Weekly digest', checked: false },
    ]);
    expect(p.notes).toEqual([]);
    expect(proposedName(p)).toBe('news@lists.example.org');
    expect(proposalCondition(p.proposals[0]!)).toEqual({ type: 'from', operator: 'is', negate: false, value: 'news@lists.example.org' });
    expect(proposalCondition(p.proposals[1]!)).toEqual({ type: 'list-id', operator: 'contains', negate: false, value: 'digest.lists.example.org' });
  });

  it('ticks the first value there is when the sender is missing or refused', () => {
    expect(prefillFromQuery({ subject: 'x' }).proposals).toEqual([{ field: 'subject', value: 'x', checked: true }]);
    const p = prefillFromQuery({ from: 'Name <a@b.org>', listId: 'l.example.org' });
    expect(p.proposals).toEqual([{ field: 'list-id', value: 'l.example.org', checked: true }]);
    expect(p.notes).toEqual([{ field: 'from', problem: 'malformed' }]);
  });

  it('keeps Greek exactly as it came, in either Unicode form, final sigma and tonos included', () => {
    const nfc = 'Ανακοίνωση σεμιναρίου: Αλγόριθμοι γράφων'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(prefillFromQuery({ subject: nfc }).proposals[0]!.value).toBe(nfc);
    expect(prefillFromQuery({ subject: nfd }).proposals[0]!.value).toBe(nfd);
    expect(prefillFromQuery({ from: 'γραμματεία@τμήμα.ελ' }).proposals[0]!.value).toBe('γραμματεία@τμήμα.ελ');
  });

  it('refuses a value with line breaks, controls or hidden format characters, and says so', () => {
    for (const subject of ['Hello\r\nBcc: victim@x.org', 'tab\there', 'nul\u0000', 'esc\u001b[31m', 'c1\u0085', 'rtl\u202eexe.pdf', 'zero\u200bwidth']) {
      const p = prefillFromQuery({ from: 'a@b.org', subject });
      expect(p.proposals.map((x) => x.field)).toEqual(['from']);
      expect(p.notes).toEqual([{ field: 'subject', problem: 'control' }]);
    }
    expect(prefillFromQuery({ from: 'a@b.org\r\nx' }).notes).toEqual([{ field: 'from', problem: 'control' }]);
  });

  it('takes only one plain address for the sender, and only the id for the list', () => {
    for (const from of ['"Eve <other@x.org>" <eve@x.org>', 'a@b.org, c@d.org', 'a @b.org', 'no-at-sign', 'a@b', '@b.org', 'a@b.org>']) {
      expect(prefillFromQuery({ from }).notes).toEqual([{ field: 'from', problem: 'malformed' }]);
    }
    expect(prefillFromQuery({ listId: 'Digest <digest.example.org>' }).notes).toEqual([{ field: 'list-id', problem: 'malformed' }]);
  });

  it('cuts a long subject to its first characters (never half a character) and refuses over-long addresses and ids', () => {
    const long = '€'.repeat(150) + '😀'.repeat(150);
    const p = prefillFromQuery({ subject: long });
    expect(Array.from(p.proposals[0]!.value)).toHaveLength(PREFILL_LIMITS.subject);
    expect(p.proposals[0]!.value.endsWith('😀')).toBe(true);
    expect(p.notes).toEqual([{ field: 'subject', problem: 'trimmed' }]);
    const exact = 'σ'.repeat(PREFILL_LIMITS.subject);
    expect(prefillFromQuery({ subject: exact })).toEqual({ proposals: [{ field: 'subject', value: exact, checked: true }], notes: [] });

    const local = 'a'.repeat(64);
    const address = (n: number) => `${local}@${'b'.repeat(n - local.length - 5)}.org`;
    expect(prefillFromQuery({ from: address(PREFILL_LIMITS.address) }).proposals).toHaveLength(1);
    expect(prefillFromQuery({ from: address(PREFILL_LIMITS.address + 1) }).notes).toEqual([{ field: 'from', problem: 'too_long' }]);
    expect(prefillFromQuery({ listId: 'l'.repeat(PREFILL_LIMITS.listId + 1) }).notes).toEqual([{ field: 'list-id', problem: 'too_long' }]);
  });

  it('names the rule after what it starts with, within the API’s 200 characters', () => {
    const from = `${'a'.repeat(64)}@${'b'.repeat(180)}.org`;
    expect(proposedName(prefillFromQuery({ from }))).toHaveLength(200);
    expect(proposedName(prefillFromQuery({ from: 'x\n' }))).toBe('');
  });

  it('takes the first of repeated parameters, trims spaces, and ignores empty ones', () => {
    expect(prefillFromQuery({ from: ['  a@b.org ', 'c@d.org'], subject: '   ' }).proposals).toEqual([{ field: 'from', value: 'a@b.org', checked: true }]);
    expect(isMessagePrefill({ from: '' })).toBe(true);
    expect(isMessagePrefill({ embedded: '1' })).toBe(false);
  });
});
