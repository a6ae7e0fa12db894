// Which language to show, with no DOM access so it can be unit-tested in Node.

export const LOCALES = ['en', 'el'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * Maps a language tag to a supported locale: `el`, `el-GR`, Roundcube's `el_GR`, and the
 * common mistake `gr` mean Greek; any `en*` means English; anything else is unsupported.
 */
export function normalizeLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'el' || primary === 'gr') return 'el';
  if (primary === 'en') return 'en';
  return null;
}

/** The `lang` query parameter, from the URL's search part or from the hash route's query. */
export function langFromUrl(search: string, hash: string): string | null {
  const fromSearch = new URLSearchParams(search).get('lang');
  if (fromSearch) return fromSearch;
  const q = hash.indexOf('?');
  return q >= 0 ? new URLSearchParams(hash.slice(q + 1)).get('lang') : null;
}

/** Order: the `lang` query parameter, then the saved choice, then the browser's list. */
export function pickLocale(sources: {
  query: string | null;
  saved: string | null;
  browser: readonly string[];
}): Locale {
  return (
    normalizeLocale(sources.query) ??
    normalizeLocale(sources.saved) ??
    sources.browser.map(normalizeLocale).find((l): l is Locale => l !== null) ??
    DEFAULT_LOCALE
  );
}
