import { describe, expect, it } from 'vitest';
import { safeRedirect } from '../../../web/src/router/redirect';

describe('safeRedirect', () => {
  it('follows in-app paths', () => {
    expect(safeRedirect('/filters')).toBe('/filters');
    expect(safeRedirect('/vacation?x=1')).toBe('/vacation?x=1');
  });

  it('refuses other origins, the sign-in page and non-strings', () => {
    for (const v of ['//evil.example/', 'https://evil.example/', '/sign-in?redirect=/x', 'filters', '', null, ['/a']]) {
      expect(safeRedirect(v)).toBe('/');
    }
  });
});
