import { parseScript } from '../parser.js';
import { isCovered, isDetectable, missingCapabilities, requiredCapabilities } from '../capabilities.js';
import { SieveCapabilityError, SieveSyntaxError, SieveValidationError } from '../errors.js';
import { printCommand } from '../printer.js';
import { command, strList } from '../ast.js';
import { printRule, ruleToCommand } from '../rules/to-sieve.js';
import { APP_REQUIRE_MARKER } from './markers.js';
import type { DocumentItem, RuleItem, SieveDocument } from './model.js';

export interface PrintDocumentOptions {
  /** The server's SIEVE capability list. When given, a needed extension it lacks is refused. */
  capabilities?: readonly string[];
}

/**
 * Prints a document. Items the app did not change print from their original text, so an
 * unedited document prints back byte-identical. The script's own `require`s are never touched
 * (custom blocks may need them); what the app's items need beyond them goes into the app's one
 * `require`, under a `# emailng:require` line after the others, rewritten on each print: each
 * extension required once, none kept that nothing uses, the statement gone when empty.
 * Throws SieveValidationError for a rule that cannot be written, SieveCapabilityError for
 * an extension the server does not offer.
 */
export function printDocument(doc: SieveDocument, options: PrintDocumentOptions = {}): string {
  const nl = doc.newline;
  const needed = requiredCapabilities([...doc.items.filter(isChanged).flatMap(itemCommands), ...doc.items.flatMap(importedCommands)]);
  if (options.capabilities) {
    const unsupported = missingCapabilities(needed, options.capabilities);
    if (unsupported.length > 0) throw new SieveCapabilityError(unsupported);
  }
  const own = appRequires(doc, needed);
  const statement = own.length > 0 ? APP_REQUIRE_MARKER + nl + printCommand(command('require', [strList(own)]), { newline: nl }) + nl : '';

  let out: string;
  const previous = doc.appRequire;
  if (previous) {
    const unchanged = sameSet(own, previous.capabilities);
    out = doc.head.slice(0, previous.start) + (unchanged ? doc.head.slice(previous.start, previous.end) : statement) + doc.head.slice(previous.end);
  } else {
    out = statement === '' ? doc.head : lineJoin(doc.head, nl) + statement;
  }
  for (const item of doc.items) out = lineJoin(out, nl, item) + printItem(item, nl);
  return out + doc.tail;
}

/**
 * What the app's `require` lists: what its changed items need, plus what the previous one
 * listed that the script still uses (or that cannot be told unused), less what the script's
 * own `require`s already allow. Sorted, each once.
 */
function appRequires(doc: SieveDocument, needed: readonly string[]): string[] {
  const previous = doc.appRequire?.capabilities ?? [];
  const used = stillUsed(doc, previous.filter(isDetectable));
  const kept = previous.filter((ext) => !isDetectable(ext) || used === null || used.has(ext));
  const have = new Set(doc.requires);
  const all = new Set([...kept, ...needed].filter((ext) => !isCovered(ext, have)));
  if (all.has('vacation-seconds')) all.delete('vacation');
  return [...all].sort();
}

/**
 * Which of `candidates` the script uses anywhere (custom blocks included); null if a block
 * cannot be read. Stops at the item where the last is found: the app's sections come first.
 */
function stillUsed(doc: SieveDocument, candidates: readonly string[]): Set<string> | null {
  const wanted = new Set(candidates);
  const found = new Set<string>();
  for (const item of doc.items) {
    if (found.size === wanted.size) break;
    let uses: string[];
    try {
      // A rule read from the script is its model: the same Sieve as its original text.
      uses = requiredCapabilities(item.kind === 'custom' ? parseScript(item.text).commands : itemCommands(item));
    } catch (error) {
      if (error instanceof SieveSyntaxError || error instanceof SieveValidationError) return null;
      throw error;
    }
    // requiredCapabilities folds vacation into vacation-seconds; both count as used.
    if (uses.includes('vacation-seconds')) uses.push('vacation');
    for (const ext of uses) if (wanted.has(ext)) found.add(ext);
  }
  return found;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.length === b.length && a.every((x) => set.has(x));
}

function printItem(item: DocumentItem, nl: '\r\n' | '\n'): string {
  switch (item.kind) {
    case 'custom':
      return item.text;
    case 'section':
      return item.leading + item.text;
    case 'rule':
      if (item.origin && !isChanged(item)) return item.origin.text;
      return (item.origin?.leading ?? '') + printRule(item.rule, { newline: nl });
  }
}

/** A generated piece starts on a fresh line; verbatim text is left exactly as it was. */
function lineJoin(out: string, nl: string, next?: DocumentItem): string {
  if (out === '' || out.endsWith('\n')) return out;
  if (next && !isChanged(next)) return out;
  return out + nl;
}

export function isChanged(item: DocumentItem): boolean {
  switch (item.kind) {
    case 'custom':
      return false;
    case 'section':
      return item.text !== item.originText;
    case 'rule':
      return !item.origin || item.rewrite === true || !sameRule(item);
  }
}

function sameRule(item: RuleItem): boolean {
  return JSON.stringify(item.rule) === JSON.stringify(item.origin?.rule);
}

/** What an item brought in from another script uses, even when it prints as it was read there. */
function importedCommands(item: DocumentItem) {
  if (item.kind === 'section' || !item.imported) return [];
  return item.kind === 'custom' ? parseScript(item.text).commands : [ruleToCommand(item.rule)];
}

function itemCommands(item: DocumentItem) {
  if (item.kind === 'rule') return [ruleToCommand(item.rule)];
  if (item.kind === 'section') return parseScript(item.text).commands;
  return [];
}
