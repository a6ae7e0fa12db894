import { describe, expect, it } from 'vitest';
import { embeddedFromUrl, themeFromMessage } from '../../../web/src/composables/embedded';

describe('embedded mode from the URL', () => {
  it('reads embedded=1 and the theme from the hash route’s query or the search part', () => {
    expect(embeddedFromUrl('', '#/?embedded=1&lang=el&theme=dark')).toEqual({ embedded: true, theme: 'dark' });
    expect(embeddedFromUrl('?embedded=1&theme=light', '#/')).toEqual({ embedded: true, theme: 'light' });
    expect(embeddedFromUrl('', '#/?embedded=1')).toEqual({ embedded: true, theme: null });
  });

  it('ignores anything else', () => {
    expect(embeddedFromUrl('', '#/')).toBeNull();
    expect(embeddedFromUrl('?embedded=yes', '#/?embedded=0')).toBeNull();
    expect(embeddedFromUrl('', '#/?embedded=1&theme=purple')).toEqual({ embedded: true, theme: null });
  });

  it('accepts only the plugin’s theme message', () => {
    expect(themeFromMessage({ type: 'emailng-settings:theme', theme: 'dark' })).toBe('dark');
    expect(themeFromMessage({ type: 'emailng-settings:theme', theme: 'red' })).toBeNull();
    expect(themeFromMessage({ type: 'other', theme: 'dark' })).toBeNull();
    expect(themeFromMessage('dark')).toBeNull();
    expect(themeFromMessage(null)).toBeNull();
  });
});
