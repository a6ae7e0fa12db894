import type { MessageCompiler } from 'vue-i18n';
import { createI18n } from './vue-i18n';
import { compileMessage } from './format';
import type { MessageSchema } from './locales/en';
import { LOCALES, DEFAULT_LOCALE, langFromUrl, pickLocale, type Locale } from './detect';

export { LOCALES, type Locale };

const STORAGE_KEY = 'emailng.lang';

// Each language is its own chunk: the first view downloads only the one it shows.
const loaders: Record<Locale, () => Promise<{ default: MessageSchema }>> = {
  en: () => import('./locales/en'),
  el: () => import('./locales/el'),
};

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: {} as Record<Locale, MessageSchema>,
  // Messages are plain strings (the runtime build cannot compile vue-i18n's own syntax).
  messageCompiler: ((message: unknown) => compileMessage(String(message))) as MessageCompiler,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

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

/** Loads the language's messages if needed, switches to it and updates `<html lang>`. */
export async function setLocale(locale: Locale, opts: { save?: boolean } = {}): Promise<void> {
  const g = i18n.global;
  if (!g.availableLocales.includes(locale)) {
    const messages = await loaders[locale]();
    g.setLocaleMessage(locale, messages.default);
  }
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
