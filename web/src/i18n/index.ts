import { i18n } from './instance';
import { loadLanguage } from './messages';
import { LOCALES, langFromUrl, pickLocale, type Locale } from './detect';

export { i18n, LOCALES, type Locale };

const STORAGE_KEY = 'emailng.lang';

function readSaved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (privacy mode, sandboxed iframe)
  }
}

export function initialLocale(): Locale {
  return pickLocale({
    query: langFromUrl(location.search, location.hash),
    saved: readSaved(),
    browser: navigator.languages?.length ? navigator.languages : [navigator.language],
  });
}

/** Loads the language's messages (core, and the areas in use) if needed, switches to it and updates `<html lang>`. */
export async function setLocale(locale: Locale, opts: { save?: boolean } = {}): Promise<void> {
  const g = i18n.global;
  await loadLanguage(locale); // its core, and the words of the pages already open
  g.locale.value = locale;
  document.documentElement.lang = locale;
  if (opts.save) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      /* not saved; the choice still holds for this page */
    }
    dropLangParam();
  }
}

/** After an explicit choice, a `?lang=` in the address would undo it on reload: drop it. */
function dropLangParam(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('lang')) return;
  url.searchParams.delete('lang');
  // Keep history.state: vue-router's hash history stores its position there.
  history.replaceState(history.state, '', url);
}
