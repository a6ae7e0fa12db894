import { describe, expect, it } from 'vitest';
import { langFromUrl, normalizeLocale, pickLocale } from '../../../web/src/i18n/detect';

describe('normalizeLocale', () => {
  it.each([
    ['el', 'el'],
    ['el-GR', 'el'],
    ['el_GR', 'el'], // Roundcube's spelling
    ['GR', 'el'],
    ['en', 'en'],
    ['en-US', 'en'],
    [' en_GB ', 'en'],
    ['de', null],
    ['', null],
    [null, null],
  ])('%s → %s', (tag, expected) => {
    expect(normalizeLocale(tag)).toBe(expected);
  });
});

describe('langFromUrl', () => {
  it('reads the search part first, then the hash route query', () => {
    expect(langFromUrl('?lang=el', '#/?lang=en')).toBe('el');
    expect(langFromUrl('', '#/filters?lang=el')).toBe('el');
    expect(langFromUrl('?x=1', '#/')).toBeNull();
  });
});

describe('pickLocale', () => {
  it('prefers the query parameter, then the saved choice, then the browser', () => {
    expect(pickLocale({ query: 'el', saved: 'en', browser: ['en'] })).toBe('el');
    expect(pickLocale({ query: null, saved: 'el', browser: ['en'] })).toBe('el');
    expect(pickLocale({ query: null, saved: null, browser: ['de-DE', 'el-GR', 'en'] })).toBe('el');
  });

  it('skips unsupported values at every level and falls back to English', () => {
    expect(pickLocale({ query: 'fr', saved: 'xx', browser: ['de'] })).toBe('en');
    expect(pickLocale({ query: 'fr', saved: null, browser: ['el'] })).toBe('el');
  });
});
