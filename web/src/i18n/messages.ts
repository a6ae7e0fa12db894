import { computed, reactive, watch } from 'vue';
import { i18n } from './instance';
import type { Locale } from './detect';
import type { MessageSchema } from './locales/en';

// Words load with the pages that show them, not with the first view (docs/ARCHITECTURE.md, Budgets):
// the core (locales/<lang>.ts: shell, navigation, sign-in, errors) loads at start, every
// other area is its own lazy chunk per language, merged into vue-i18n's messages when a
// page needs it. Key paths do not change (`vacation.title`, `filtersUi.raw.heading`), so
// a view only says which areas it shows:
//   defineOptions({ beforeRouteEnter: () => pageMessages.load(['vacation', 'settings']) })
// (loaded before the view is created), or `use()` for words that depend on a sub-route.
// A change of language loads the new language's words of every area loaded so far before
// it switches (setLocale), so nothing shows a key meanwhile. Each language's file of an
// area is typed by the English one: a missing key does not compile.

type Loader = () => Promise<{ default: object }>;

// Each language's core is its own chunk: the first view downloads only the one it shows.
const cores: Record<Locale, () => Promise<{ default: MessageSchema }>> = {
  en: () => import('./locales/en'),
  el: () => import('./locales/el'),
};
const coreLoads = new Map<Locale, Promise<void>>();
// The language being shown or switched to: a page opened while its core still loads gets
// that language's words, not the default's.
let wanted: Locale = i18n.global.locale.value;

function loadCore(locale: Locale): Promise<void> {
  let p = coreLoads.get(locale);
  if (!p) {
    p = cores[locale]().then((m) => i18n.global.setLocaleMessage(locale, m.default));
    p.catch(() => coreLoads.delete(locale)); // a failed load is tried again next time
    coreLoads.set(locale, p);
  }
  return p;
}

const merged = reactive(new Set<string>()); // `<locale>/<group>:<area>`
const pending = new Map<string, Promise<void>>();
// Every area loaded so far, by `<group>:<area>`, to load it again in another language.
const inUse = new Map<string, (locale: Locale) => Promise<void>>();

/**
 * A group of message areas: `files[locale][area]` loads one area's words, merged under
 * `under` when given (the filters pages' `filtersUi`), else under the area's own name.
 */
export function messageAreas<A extends string>(group: string, files: Record<Locale, Record<A, Loader>>, under?: string) {
  function loadArea(locale: Locale, area: A): Promise<void> {
    const id = `${group}:${area}`;
    const key = `${locale}/${id}`;
    inUse.set(id, (l) => loadArea(l, area));
    if (merged.has(key)) return Promise.resolve();
    let p = pending.get(key);
    if (!p) {
      // Merged after the language's core: setLocaleMessage() replaces everything.
      p = Promise.all([files[locale][area](), loadCore(locale)])
        .then(([m]) => {
          i18n.global.mergeLocaleMessage(locale, { [under ?? area]: m.default } as never);
          merged.add(key);
        })
        .finally(() => pending.delete(key)); // a failed load is tried again next time
      pending.set(key, p);
    }
    return p;
  }

  /** Loads the shown language's words of these areas. */
  function load(areas: A[]): Promise<void> {
    return Promise.all(areas.map((a) => loadArea(wanted, a))).then(() => undefined);
  }

  /** True once the current language's words of `areas` are in; follows language changes. */
  function use(areas: () => A[]) {
    const ready = computed(() => areas().every((a) => merged.has(`${i18n.global.locale.value}/${group}:${a}`)));
    watch(
      // Only the shown language: merging into a language whose core messages are not loaded
      // yet would make setLocale() think it has them.
      [() => i18n.global.locale.value, areas],
      ([locale, list]) => {
        for (const a of list) loadArea(locale, a).catch((err: unknown) => console.error(err));
      },
      { immediate: true },
    );
    return { ready };
  }

  return { load, use };
}

/** Before switching to `locale`: its core, and its words of every area in use. */
export function loadLanguage(locale: Locale): Promise<void> {
  wanted = locale;
  return Promise.all([loadCore(locale), ...[...inUse.values()].map((load) => load(locale))]).then(() => undefined);
}

export type PageArea = 'signIn' | 'fieldErrors' | 'notFound' | 'overview' | 'vacation' | 'spam' | 'forwarding' | 'settings' | 'aliases' | 'quota';

/** The settings pages' words (areas/<lang>/<area>.ts), merged under the area's name. */
export const pageMessages = messageAreas<PageArea>('page', {
  en: {
    signIn: () => import('./areas/en/signIn'),
    fieldErrors: () => import('./areas/en/fieldErrors'),
    notFound: () => import('./areas/en/notFound'),
    overview: () => import('./areas/en/overview'),
    vacation: () => import('./areas/en/vacation'),
    spam: () => import('./areas/en/spam'),
    forwarding: () => import('./areas/en/forwarding'),
    settings: () => import('./areas/en/settings'),
    aliases: () => import('./areas/en/aliases'),
    quota: () => import('./areas/en/quota'),
  },
  el: {
    signIn: () => import('./areas/el/signIn'),
    fieldErrors: () => import('./areas/el/fieldErrors'),
    notFound: () => import('./areas/el/notFound'),
    overview: () => import('./areas/el/overview'),
    vacation: () => import('./areas/el/vacation'),
    spam: () => import('./areas/el/spam'),
    forwarding: () => import('./areas/el/forwarding'),
    settings: () => import('./areas/el/settings'),
    aliases: () => import('./areas/el/aliases'),
    quota: () => import('./areas/el/quota'),
  },
});
