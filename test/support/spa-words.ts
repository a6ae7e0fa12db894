// The SPA's words as the API's answers meet them: the error codes of the core messages
// (web/src/i18n/locales) and every key of every page's area (web/src/i18n/areas, and the
// filters pages' own web/src/components/filters/messages), per language.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './stack';

export type SpaLanguage = 'en' | 'el';
export interface SpaWords {
  /** The texts of API error codes: keys of the core's `errors` and of the pages' `*Errors` areas. */
  errors: Set<string>;
  /** Every key at any depth, core and areas: where a page finds a field code's text. */
  anywhere: Set<string>;
}

const I18N = path.join(REPO_ROOT, 'web/src/i18n');
/** Folders holding one file per area, a folder per language. */
const AREA_FOLDERS = [path.join(I18N, 'areas'), path.join(REPO_ROOT, 'web/src/components/filters/messages')];

function keysOf(tree: unknown, into: Set<string>): void {
  if (typeof tree !== 'object' || tree === null) return;
  for (const [key, value] of Object.entries(tree)) {
    into.add(key);
    keysOf(value, into);
  }
}

async function load(file: string): Promise<Record<string, unknown>> {
  return ((await import(pathToFileURL(file).href)) as { default: Record<string, unknown> }).default;
}

async function wordsOf(lang: SpaLanguage): Promise<SpaWords> {
  const core = await load(path.join(I18N, 'locales', `${lang}.ts`));
  const anywhere = new Set<string>();
  keysOf(core, anywhere);
  const errors = new Set(Object.keys((core.errors as object | undefined) ?? {}));
  for (const folder of AREA_FOLDERS) {
    const areaDir = path.join(folder, lang);
    for (const name of (await readdir(areaDir)).filter((n) => n.endsWith('.ts'))) {
      const area = await load(path.join(areaDir, name));
      keysOf(area, anywhere);
      if (name.endsWith('Errors.ts')) for (const key of Object.keys(area)) errors.add(key);
    }
  }
  return { errors, anywhere };
}

export async function spaWords(): Promise<Record<SpaLanguage, SpaWords>> {
  const [en, el] = await Promise.all([wordsOf('en'), wordsOf('el')]);
  return { en, el };
}
