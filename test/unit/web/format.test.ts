import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../web/src/i18n/vue-i18n';
import en from '../../../web/src/i18n/locales/en';
import el from '../../../web/src/i18n/locales/el';

// Runs our message format inside the app's translator, as the app does.
function translator(messages: object, locale = 'en') {
  const i18n = createI18n({ locale, fallbackLocale: 'en' });
  i18n.global.setLocaleMessage(locale, messages);
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

describe('the app translator', () => {
  it('falls back to English for a missing key, and shows the key when neither has it', () => {
    const i18n = createI18n({ locale: 'el', fallbackLocale: 'en' });
    i18n.global.setLocaleMessage('en', { a: { only: 'English only' } });
    i18n.global.setLocaleMessage('el', { a: { both: 'Ελληνικά' } });
    expect(i18n.global.t('a.both')).toBe('Ελληνικά');
    expect(i18n.global.t('a.only')).toBe('English only');
    expect(i18n.global.t('a.none')).toBe('a.none');
    expect(i18n.global.te('a.only')).toBe(false);
    expect(i18n.global.te('a.both')).toBe(true);
    // A branch of messages is not a message.
    expect(i18n.global.te('a')).toBe(false);
  });

  it('takes a bare count as the plural and as {count}', () => {
    const i18n = createI18n({ locale: 'en', fallbackLocale: 'en' });
    i18n.global.setLocaleMessage('en', { n: 'one message | {count} messages' });
    expect(i18n.global.t('n', 1)).toBe('one message');
    expect(i18n.global.t('n', 3)).toBe('3 messages');
    expect(i18n.global.t('n')).toBe('one message');
  });

  it('merges an area without losing the rest, and without changing the loaded module', () => {
    const area = { vacation: { title: 'Αυτόματη απάντηση' } };
    const i18n = createI18n({ locale: 'el', fallbackLocale: 'en' });
    i18n.global.setLocaleMessage('el', { nav: { overview: 'Επισκόπηση' } });
    expect(i18n.global.t('vacation.title')).toBe('vacation.title');
    i18n.global.mergeLocaleMessage('el', area);
    i18n.global.mergeLocaleMessage('el', { vacation: { extra: 'ς' } });
    expect(i18n.global.t('vacation.title')).toBe('Αυτόματη απάντηση');
    expect(i18n.global.t('nav.overview')).toBe('Επισκόπηση');
    expect(area.vacation).toEqual({ title: 'Αυτόματη απάντηση' });
  });

  it('keeps a value that looks like a placeholder as text', () => {
    const i18n = createI18n({ locale: 'en', fallbackLocale: 'en' });
    i18n.global.setLocaleMessage('en', { hi: 'Hello {name}' });
    expect(i18n.global.t('hi', { name: '{name} ‮evil' })).toBe('Hello {name} ‮evil');
  });
});
