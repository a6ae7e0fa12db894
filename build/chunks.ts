// Which chunk each module of the SPA goes to (vite.config.ts), so that the first view
// (sign-in → overview) is one script, one stylesheet and its language's words, and every
// further page costs at most two requests of code: its own chunk and its words.
//
// - words (i18n areas, the filters pages' messages) go by language: the first view's areas
//   in `words-<lang>`, each page's in `words-<page>-<lang>`; a browser downloads one language.
// - code goes to the one page that uses it (`page-<name>`), or to `app` when the first view
//   or pages of more than one chunk use it. The pages that edit the Sieve script (Filters
//   and its sub-pages, Vacation, Spam, Forwarding) share most of their code (the settings
//   form, the save bar, the take-over notice, the rule model), so they are one chunk,
//   `page-script`: ~25 KB compressed, and every other of those pages is then free. The
//   automatic splitting made a file of each module two pages share: 13 files under 2 KiB in
//   the first view, each a request with its own headers, compressed worse than in one file.

/** The parts of rolldown's module graph this reads. */
export interface ModuleGraph {
  getModuleInfo(id: string): { isEntry: boolean; importers: readonly string[]; dynamicImporters: readonly string[] } | null;
}

const SRC = /[\\/]web[\\/]src[\\/]/;
const WORDS = /[\\/]web[\\/]src[\\/](?:i18n[\\/](?:areas[\\/](en|el)[\\/](\w+)|locales[\\/](en|el))|components[\\/]filters[\\/]messages[\\/](en|el)[\\/]\w+)\.ts$/;
const VIEW = /[\\/]web[\\/]src[\\/]views[\\/](?:(filters)[\\/]\w+|(\w+)View)\.vue$/;
/** Views and words of the first view, and the areas the overview shows (its cards). */
const FIRST_VIEW_PAGES = new Set(['SignIn', 'Overview', 'NotFound']);
const SCRIPT_PAGES = new Set(['filters', 'Filters', 'Vacation', 'Spam', 'Forwarding']);
const FIRST_VIEW_AREAS = new Set(['signIn', 'fieldErrors', 'notFound', 'overview', 'aliases', 'quota', 'settings', 'spam']);

function wordsChunk(id: string): string | null {
  const m = WORDS.exec(id);
  if (!m) return null;
  const [, areaLang, area, coreLang, filtersLang] = m;
  if (coreLang) return `words-${coreLang}`;
  if (filtersLang) return `words-filters-${filtersLang}`;
  if (!area || FIRST_VIEW_AREAS.has(area)) return `words-${areaLang}`;
  // An area's error texts (heldErrors) load with its page.
  return `words-${area.replace(/Errors$/, '')}-${areaLang}`;
}

function pageOfView(id: string): string | null {
  const m = VIEW.exec(id);
  if (!m) return null;
  const name = m[1] ?? m[2] ?? '';
  if (FIRST_VIEW_PAGES.has(name)) return 'app';
  return SCRIPT_PAGES.has(name) ? 'page-script' : `page-${name.toLowerCase()}`;
}

/** A chunk naming function for `codeSplitting.groups[].name`. */
export function chunkOf(id: string, graph: ModuleGraph): string {
  const words = wordsChunk(id);
  if (words) return words;
  if (!SRC.test(id)) return 'app'; // libraries: the first view needs them all
  const owners = ownersOf(id, graph, new Set());
  return owners.size === 1 ? [...owners][0]! : 'app';
}

/**
 * The pages whose code reaches `id` (statically or through a lazy import), `app` for the entry.
 * What the first view imports only lazily (the overview's alerts panel, shown when there are
 * alerts) goes with the page that imports it statically, not into the first view.
 */
function ownersOf(id: string, graph: ModuleGraph, seen: Set<string>): Set<string> {
  const page = pageOfView(id);
  if (page) return new Set([page]);
  const info = graph.getModuleInfo(id);
  if (!info || info.isEntry) return new Set(['app']);
  seen.add(id);
  const owners = ownersThrough(info.importers, graph, seen);
  if (owners.has('app')) return owners;
  const lazy = ownersThrough(info.dynamicImporters, graph, seen);
  const onlyFirstViewLazily = owners.size > 0 && lazy.size === 1 && lazy.has('app');
  return onlyFirstViewLazily ? owners : new Set([...owners, ...lazy]);
}

function ownersThrough(importers: readonly string[], graph: ModuleGraph, seen: Set<string>): Set<string> {
  const owners = new Set<string>();
  for (const importer of importers) {
    if (seen.has(importer)) continue;
    for (const owner of ownersOf(importer, graph, seen)) owners.add(owner);
    if (owners.has('app')) break;
  }
  // Empty when every importer was met already on this walk (a cycle): they count elsewhere.
  return owners;
}
