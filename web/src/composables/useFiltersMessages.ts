import type { Locale } from '../i18n';
import { messageAreas } from '../i18n/messages';

// The filters pages have many words of their own; they load with those pages rather than
// with the first view (docs/ARCHITECTURE.md, Budgets), and are merged into the app's messages under
// `filtersUi`. They are split by area, so a page opened directly fetches only the words it
// shows (FiltersView picks them per page): `base` (shared buttons, tabs) always, `list`,
// `summary` (rules in plain words), `errors` (field codes), `editor`, `test` (the rule
// tester, when opened), `raw`, `scripts`, `history`, `takeOver` (only while another script is
// active: components/filters/TakeOverNotice.vue). Each language's file of an area is typed
// by the English one: a missing key does not compile.

export type FiltersArea = 'base' | 'list' | 'summary' | 'errors' | 'editor' | 'test' | 'raw' | 'scripts' | 'history' | 'takeOver';

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
    takeOver: () => import('../components/filters/messages/en/takeOver'),
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
    takeOver: () => import('../components/filters/messages/el/takeOver'),
  },
};

// The loading, merging and language following are i18n/messages.ts's, shared by every page.
const filtersMessages = messageAreas<FiltersArea>('filters', files, 'filtersUi');

/** Loads the shown language's words of these areas (e.g. before opening the rule tester). */
export const loadFiltersMessages = filtersMessages.load;

/** True once the current language's words of `areas` are in; follows language changes. */
export const useFiltersMessages = filtersMessages.use;
