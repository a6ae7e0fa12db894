import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { foldForSearch, useRuleSearch, type SearchEntry } from '../../../../../web/src/composables/useRuleSearch';

// The Filters list's search: Greek in every case and Unicode form finds itself, and each match
// is reported at its index in the whole list (the list's actions work on those).

const rule = (name: string, value: string, mailbox: string): SearchEntry => ({
  kind: 'rule',
  rule: {
    id: name,
    name,
    enabled: true,
    match: 'all',
    conditions: [{ type: 'group', negate: false, match: 'any', conditions: [{ type: 'subject', operator: 'contains', negate: false, value }] }],
    actions: [{ type: 'fileinto', mailbox, copy: false, create: false }],
    stop: false,
  },
});

describe('foldForSearch', () => {
  it('ignores case, tonos, dialytika, final sigma and the Unicode form', () => {
    const forms = ['ΠΡΟΣΚΛΗΣΗ ΣΥΝΕΔΡΙΑΣΗΣ', 'πρόσκληση συνεδρίασης', 'Πρόσκληση Συνεδρίασης'.normalize('NFD'), 'προσκληση συνεδριασησ'];
    expect(new Set(forms.map(foldForSearch)).size).toBe(1);
    expect(foldForSearch('ΐΰϊϋΪΫ')).toBe('ιυιυιυ');
    expect(foldForSearch('Café')).toBe('cafe');
  });
});

describe('useRuleSearch', () => {
  const items = ref<SearchEntry[]>([
    rule('Reports', 'quarterly', 'Αρχείο/Αναφορές'),
    { kind: 'custom', text: 'if header :is "X-Tag" "ειδικό" { discard; }' },
    rule('', 'Ανακοίνωση', 'INBOX'),
  ]);
  const search = useRuleSearch(items, (e) => (e.kind === 'rule' ? e.rule.name || 'Subject contains “Ανακοίνωση”' : 'Custom Sieve'));

  it('matches everything while blank, then by name, value inside a group, folder and a custom block’s text', () => {
    expect(search.matches.value).toEqual([0, 1, 2]);
    search.query.value = '  ';
    expect(search.active.value).toBe(false);
    search.query.value = 'ΑΝΑΚΟΙΝΩΣΗ';
    expect(search.matches.value).toEqual([2]);
    search.query.value = 'αναφορες';
    expect(search.matches.value).toEqual([0]);
    search.query.value = 'ΕΙΔΙΚΟ';
    expect(search.matches.value).toEqual([1]);
    search.query.value = 'subject contains';
    expect(search.matches.value).toEqual([2]);
    search.query.value = 'nothing like it';
    expect(search.matches.value).toEqual([]);
  });
});
