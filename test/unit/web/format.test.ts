import { describe, expect, it } from 'vitest';
import { createI18n, type MessageCompiler } from 'vue-i18n';
import { compileMessage } from '../../../web/src/i18n/format';
import en from '../../../web/src/i18n/locales/en';
import el from '../../../web/src/i18n/locales/el';

// Runs our message compiler inside real vue-i18n, as the app does.
function translator(messages: object, locale = 'en') {
  const i18n = createI18n({
    legacy: false,
    locale,
    // Nested plain objects of strings; vue-i18n's message types are stricter than needed here.
    messages: { [locale]: messages as Record<string, string> },
    messageCompiler: ((m: unknown) => compileMessage(String(m))) as MessageCompiler,
  });
  return i18n.global.t;
}

describe('compileMessage', () => {
  it('fills named placeholders and leaves unknown ones visible', () => {
    const t = translator({ hi: 'Hello {name}, {missing}' });
    expect(t('hi', { name: 'Alice' })).toBe('Hello Alice, {missing}');
  });

  it('picks singular or plural by count', () => {
    const t = translator({ wait: 'in {count} minute | in {count} minutes' });
    expect(t('wait', { count: 1 }, 1)).toBe('in 1 minute');
    expect(t('wait', { count: 5 }, 5)).toBe('in 5 minutes');
    expect(t('wait', { count: 0 }, 0)).toBe('in 0 minutes');
  });

  it('keeps @, $ and lone braces or bars as text', () => {
    const t = translator({ odd: 'mail@example.org costs $5 {not a placeholder} a|b' });
    expect(t('odd')).toBe('mail@example.org costs $5 {not a placeholder} a|b');
  });

  it('renders the folder-scan limit messages in both languages', () => {
    expect(translator(en)('errors.scan_limited_seconds', { count: 5 }, 5)).toBe(
      'Your mailbox is already being searched, or was searched many times just now. Try again in 5 seconds.',
    );
    expect(translator(el, 'el')('errors.scan_limited_minutes', { count: 1 }, 1)).toBe(
      'Έγιναν πολλές αναζητήσεις στο γραμματοκιβώτιό σας μόλις τώρα. Δοκιμάστε ξανά σε 1 λεπτό.',
    );
  });

  it('renders the real rate-limit messages in both languages', () => {
    expect(translator(en)('errors.rate_limited_minutes', { count: 5 }, 5)).toBe('Too many attempts. Try again in 5 minutes.');
    expect(translator(el, 'el')('errors.rate_limited_seconds', { count: 1 }, 1)).toBe(
      'Πάρα πολλές προσπάθειες. Δοκιμάστε ξανά σε 1 δευτερόλεπτο.',
    );
  });
});

describe('locale files', () => {
  it('use no vue-i18n syntax our compiler would print literally', () => {
    const strings: string[] = [];
    const walk = (o: unknown): void => {
      if (typeof o === 'string') strings.push(o);
      else if (o && typeof o === 'object') Object.values(o).forEach(walk);
    };
    walk(en);
    walk(el);
    for (const s of strings) expect(s).not.toMatch(/@:|\{'|\{\d+\}/);
  });
});
