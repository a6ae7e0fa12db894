import { describe, expect, it } from 'vitest';
import { createI18n, type MessageCompiler } from 'vue-i18n';
import { compileMessage } from '../../../web/src/i18n/format';
import enSpam from '../../../web/src/i18n/areas/en/spam';
import elSpam from '../../../web/src/i18n/areas/el/spam';
import { formDelivery, formHold, spamSentences, type SpamDelivery } from '../../../web/src/composables/useSpamSummary';
import type { SpamForm } from '../../../web/src/composables/useSpamForm';
import type { SpamResponse } from '../../../web/src/api/types';

// The spam sentences of the overview and the spam page come from one function of the API's
// `delivery`; the delivery matrix (integration/features/overview.test.ts) checks `delivery`
// against delivered mail. Here: each delivery reads as what it does, in both languages.

function translate(locale: 'en' | 'el') {
  const i18n = createI18n({
    legacy: false,
    locale,
    messages: { [locale]: { spam: locale === 'en' ? enSpam : elSpam } as unknown as Record<string, string> },
    messageCompiler: ((m: unknown) => compileMessage(String(m))) as MessageCompiler,
  });
  return (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {});
}

const score = (n: number) => String(n);

describe('spamSentences', () => {
  const en = translate('en');
  const el = translate('el');

  it.each<[string, SpamDelivery, string[]]>([
    ['Off', { filing: 'none' }, ['Suspected spam stays in your Inbox.']],
    ['another script', { filing: 'foreign' }, ['Your active filter script, set up in another program, decides what happens to spam.']],
    // The defect this replaces: Standard was said to keep spam in the Inbox while it went to SPAM.
    ['Standard', { filing: 'flagged', folder: 'SPAM', from: 6.31, discardFrom: null }, ['Mail the department marks as spam (score 6.31 or more) goes to the folder SPAM.']],
    ['Strict', { filing: 'score', folder: 'SPAM', from: 4, discardFrom: null }, ['Mail scoring 4 or more goes to the folder SPAM.']],
    [
      'Custom with deletion',
      { filing: 'score', folder: 'Junk', from: 6.2, discardFrom: 15 },
      ['Mail scoring 6.2 or more goes to the folder Junk.', 'Mail scoring 15 or more is deleted without trace.'],
    ],
  ])('%s', (_name, delivery, sentences) => {
    expect(spamSentences(delivery, en, score)).toEqual(sentences);
    const greek = spamSentences(delivery, el, score);
    expect(greek).toHaveLength(sentences.length);
    for (const s of greek) expect(s).toMatch(/[α-ωΑ-Ω]/);
    expect(greek.join(' ')).not.toMatch(/\{[a-z]+\}/);
  });
});

describe('formHold and formDelivery: what the site\'s filter holds for a form being edited', () => {
  const form = (over: Partial<SpamForm>): SpamForm => ({ level: 'strict', threshold: '', folder: 'SPAM', discard: false, discardAbove: '', allow: '', block: '', blockAction: 'discard', ...over });
  const response = (held: SpamResponse['held']): SpamResponse =>
    ({ quarantineScore: 20, siteThreshold: 6.31, presets: [{ level: 'strict', threshold: 4 }], held }) as unknown as SpamResponse;

  it('the user\'s own level is the hold level when the filter reads it, and her filter then deletes nothing', () => {
    const res = response({ from: 20, days: 30, followsDiscard: true });
    expect(formHold(form({}), res)).toEqual({ from: 20, days: 30, followsDiscard: true });
    expect(formHold(form({ discard: true, discardAbove: '12,5' }), res)).toEqual({ from: 12.5, days: 30, followsDiscard: true });
    expect(formHold(form({ level: 'off', discard: true, discardAbove: '12' }), res)?.from).toBe(20);
    expect(formDelivery(form({ discard: true, discardAbove: '12' }), res)).toMatchObject({ discardFrom: null });
  });

  it('where the filter does not read it, it holds from the site\'s level and her filter deletes from hers', () => {
    const res = response({ from: 20, days: 30, followsDiscard: false });
    expect(formHold(form({ discard: true, discardAbove: '12' }), res)?.from).toBe(20);
    expect(formDelivery(form({ discard: true, discardAbove: '12' }), res)).toMatchObject({ discardFrom: 12 });
    expect(formHold(form({ discard: true, discardAbove: '12' }), response(null))).toBeNull();
  });

  it('the held sentence carries the numbers in both languages', () => {
    const en = translate('en');
    const el = translate('el');
    expect(en('spam.summaryHeld', { score: '12.5', days: 30 })).toBe(
      'Mail scoring 12.5 or more is held back by the department’s filter and not delivered: you find it under Held mail for 30 days, then it is deleted.',
    );
    expect(el('spam.summaryHeld', { score: '12,5', days: 30 })).toContain('12,5');
    expect(el('spam.summaryHeld', { score: '12,5', days: 30 })).toContain('30 ημέρες');
  });
});
