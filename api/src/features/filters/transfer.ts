import { canonicalRule, isDetectable, parseScript, printDocument, requiredCapabilities, ruleToCommand, type CustomBlock, type Rule, type RuleItem, type SieveDocument } from '../../sieve';
import type { ScriptState } from '../script/store';
import { filterItems, withFilterItems } from './filter-slots';

/**
 * Export and import of the user's filters as a Sieve file (issue 18). The file holds the
 * filters only (rules and custom blocks, with the `require` they need), never the app's
 * vacation, spam, forwarding or sender-list sections: those carry the user's own addresses and
 * levels, and importing them into another account would answer or forward for the wrong
 * person. So a file exported here is exactly what an import takes back.
 */

/** What an export needs from the script: its filters and the extensions they use. */
function exportRequires(state: ScriptState): string[] {
  const items = filterItems(state.doc);
  const detected = requiredCapabilities(items.flatMap((i) => (i.kind === 'rule' ? [ruleToCommand(i.rule)] : parseScript(i.text).commands)));
  // An extension the detector cannot see in use (an unknown one, say) stays if the script named it.
  const named = [...state.doc.requires, ...(state.doc.appRequire?.capabilities ?? [])].filter((ext) => !isDetectable(ext));
  const all = new Set([...detected, ...named]);
  if (all.has('vacation-seconds')) all.delete('vacation');
  return [...all].sort();
}

/** The user's filters as a script of their own, to download and to import (here or elsewhere). */
export function exportText(state: ScriptState, exportedOn: string): string {
  const nl = state.doc.newline;
  const requires = exportRequires(state);
  const quoted = requires.map((ext) => `"${ext}"`).join(', ');
  const head =
    `# Filters exported from EmailNG Settings on ${exportedOn}.${nl}` +
    `# Vacation, spam, forwarding and sender lists are not included: they are set on their own pages.${nl}` +
    (requires.length > 0 ? `require [${quoted}];${nl}` : '');
  const doc: SieveDocument = { newline: nl, head, requires, items: filterItems(state.doc), tail: '' };
  const text = printDocument(doc);
  return text.endsWith('\n') ? text : text + nl;
}

export interface ImportPreview {
  added: Rule[];
  changed: Rule[];
  removed: Rule[];
  unchanged: number;
  /** Blocks the rule editor cannot represent: kept as custom Sieve, byte for byte. */
  customAdded: Array<Pick<CustomBlock, 'text' | 'name' | 'writer'>>;
  customRemoved: Array<Pick<CustomBlock, 'text' | 'name' | 'writer'>>;
  customUnchanged: number;
  /** The app's sections found in the file, left out (set on their own pages). */
  sectionsSkipped: string[];
}

export interface ImportPlan {
  /** The user's document with its filters replaced by the file's. */
  doc: SieveDocument;
  preview: ImportPreview;
  /** How many filters (rules and custom blocks) the file holds. */
  count: number;
}

/** Two rules do the same thing under the same name (ids are per script, so they do not count). */
const sameRule = (a: Rule, b: Rule): boolean => JSON.stringify(canonicalRule({ ...a, id: '' })) === JSON.stringify(canonicalRule({ ...b, id: '' }));

const blockView = (b: CustomBlock) => ({ text: b.text, ...(b.name !== undefined ? { name: b.name } : {}), ...(b.writer ? { writer: b.writer } : {}) });

/**
 * What importing `file` into the user's script would do: its rules and custom blocks take the
 * place of the user's filters, in the file's order, and the app's sections stay. Each keeps
 * its text byte for byte and brings the extensions it uses into the app's `require` (the
 * file's own `require` is not carried over). Rules are matched by name to say which are added, changed or removed.
 */
export function planImport(state: ScriptState, file: SieveDocument): ImportPlan {
  const incoming = filterItems(file).map((item): RuleItem | CustomBlock => ({ ...item, imported: true }));
  const current = filterItems(state.doc);

  const oldRules = current.filter((i): i is RuleItem => i.kind === 'rule').map((i) => i.rule);
  const preview: ImportPreview = { added: [], changed: [], removed: [], unchanged: 0, customAdded: [], customRemoved: [], customUnchanged: 0, sectionsSkipped: [] };
  const unmatched = [...oldRules];
  for (const item of incoming) {
    if (item.kind !== 'rule') continue;
    const at = unmatched.findIndex((r) => r.name === item.rule.name);
    const old = at === -1 ? undefined : unmatched.splice(at, 1)[0];
    if (!old) preview.added.push(item.rule);
    else if (sameRule(old, item.rule)) preview.unchanged += 1;
    else preview.changed.push(item.rule);
  }
  preview.removed = unmatched;

  const oldBlocks = current.filter((i): i is CustomBlock => i.kind === 'custom');
  const leftBlocks = [...oldBlocks];
  for (const item of incoming) {
    if (item.kind !== 'custom') continue;
    const at = leftBlocks.findIndex((b) => b.text.trim() === item.text.trim());
    if (at === -1) preview.customAdded.push(blockView(item));
    else {
      leftBlocks.splice(at, 1);
      preview.customUnchanged += 1;
    }
  }
  preview.customRemoved = leftBlocks.map(blockView);
  preview.sectionsSkipped = file.items.flatMap((i) => (i.kind === 'section' ? [i.name] : []));

  return { doc: withFilterItems(state.doc, incoming), preview, count: incoming.length };
}
