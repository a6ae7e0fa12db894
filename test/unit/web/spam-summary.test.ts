import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../web/src/i18n/vue-i18n';
import enSpam from '../../../web/src/i18n/areas/en/spam';
import elSpam from '../../../web/src/i18n/areas/el/spam';
import { spamSentences, type SpamDelivery } from '../../../web/src/composables/useSpamSummary';

// The spam sentences of the overview and the spam page come from one function of the API's
// `delivery`; the delivery matrix (integration/features/overview.test.ts) checks `delivery`
// against delivered mail. Here: each delivery reads as what it does, in both languages.

function translate(locale: 'en' | 'el') {
  const i18n = createI18n({ locale, fallbackLocale: 'en' });
  i18n.global.setLocaleMessage(locale, { spam: locale === 'en' ? enSpam : elSpam });
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
