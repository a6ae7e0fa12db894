import { computed, reactive, watch } from 'vue';
import { i18n, type Locale } from '../i18n';

// The filters pages have many words of their own; they load with those pages rather than
// with the first view (DESIGN.md budget), and are merged into the app's messages under
// `filtersUi`. They are split by area, so a page opened directly fetches only the words it
// shows (FiltersView picks them per page): `base` (shared buttons, tabs) always, `list`,
// `summary` (rules in plain words), `errors` (field codes), `editor`, `test` (the rule
// tester, when opened), `raw`, `scripts`, `history`. Each language's file of an area is typed
// by the English one: a missing key does not compile.

export type FiltersArea = 'base' | 'list' | 'summary' | 'errors' | 'editor' | 'test' | 'raw' | 'scripts' | 'history';

type Loader = () => Promise<{ default: object }>;
// One lazy chunk per language and area (components/filters/messages/<lang>/<area>.ts).
const files: Record<Locale, Record<FiltersArea, Loader>> = {
  en: {
    base: () => import('../components/filters/messages/en/base'),
    list: () => import('../components/filters/messages/en/list'),
    summary: () => import('../components/filters/messages/en/summary'),
    errors: () => import('../components/filters/messages/en/errors'),
    editor: () => import('../components/filters/messages/en/editor'),
    test: () => import('../components/filters/messages/en/test'),
    raw: () => import('../components/filters/messages/en/raw'),
    scripts: () => import('../components/filters/messages/en/scripts'),
    history: () => import('../components/filters/messages/en/history'),
  },
  el: {
    base: () => import('../components/filters/messages/el/base'),
    list: () => import('../components/filters/messages/el/list'),
    summary: () => import('../components/filters/messages/el/summary'),
    errors: () => import('../components/filters/messages/el/errors'),
    editor: () => import('../components/filters/messages/el/editor'),
    test: () => import('../components/filters/messages/el/test'),
    raw: () => import('../components/filters/messages/el/raw'),
    scripts: () => import('../components/filters/messages/el/scripts'),
    history: () => import('../components/filters/messages/el/history'),
  },
};

const merged = reactive(new Set<string>());
const pending = new Map<string, Promise<void>>();

function loadArea(locale: Locale, area: FiltersArea): Promise<void> {
  const key = `${locale}/${area}`;
  if (merged.has(key)) return Promise.resolve();
  let p = pending.get(key);
  if (!p) {
    p = files[locale][area]()
      .then((m) => {
        i18n.global.mergeLocaleMessage(locale, { filtersUi: m.default } as never);
        merged.add(key);
      })
      .finally(() => pending.delete(key)); // a failed load is tried again next time
    pending.set(key, p);
  }
  return p;
}

/** Loads the shown language's words of these areas (e.g. before opening the rule tester). */
export function loadFiltersMessages(areas: FiltersArea[]): Promise<void> {
  const locale = i18n.global.locale.value;
  return Promise.all(areas.map((a) => loadArea(locale, a))).then(() => undefined);
}

/** True once the current language's words of `areas` are in; follows language changes. */
export function useFiltersMessages(areas: () => FiltersArea[]) {
  const ready = computed(() => areas().every((a) => merged.has(`${i18n.global.locale.value}/${a}`)));
  watch(
    // Only the shown language: merging into a language whose base messages are not loaded
    // yet would make setLocale() think it has them.
    [() => i18n.global.locale.value, areas],
    ([locale, list]) => {
      for (const a of list) loadArea(locale, a).catch((err: unknown) => console.error(err));
    },
    { immediate: true },
  );
  return { ready };
}
