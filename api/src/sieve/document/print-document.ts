import { parseScript } from '../parser.js';
import { missingCapabilities, requiredCapabilities } from '../capabilities.js';
import { SieveCapabilityError } from '../errors.js';
import { printCommand } from '../printer.js';
import { command, strList } from '../ast.js';
import { printRule, ruleToCommand } from '../rules/to-sieve.js';
import type { DocumentItem, RuleItem, SieveDocument } from './model.js';

export interface PrintDocumentOptions {
  /** The server's SIEVE capability list. When given, a needed extension it lacks is refused. */
  capabilities?: readonly string[];
}

/**
 * Prints a document. Items the app did not change print from their original text, so an
 * unedited document prints back byte-identical. Extensions needed by changed or new items
 * that the script's `require`s lack are added in one extra `require` after the existing
 * ones; the user's own `require`s are never removed (custom blocks may need them).
 * Throws SieveValidationError for a rule that cannot be written, SieveCapabilityError for
 * an extension the server does not offer.
 */
export function printDocument(doc: SieveDocument, options: PrintDocumentOptions = {}): string {
  const nl = doc.newline;
  const needed = requiredCapabilities(doc.items.filter(isChanged).flatMap(itemCommands));
  if (options.capabilities) {
    const unsupported = missingCapabilities(needed, options.capabilities);
    if (unsupported.length > 0) throw new SieveCapabilityError(unsupported);
  }
  const have = new Set(doc.requires);
  const added = needed.filter((ext) => !have.has(ext) && !(ext === 'vacation' && have.has('vacation-seconds')));

  let out = doc.head;
  if (added.length > 0) out = lineJoin(out, nl) + printCommand(command('require', [strList(added)]), { newline: nl }) + nl;
  for (const item of doc.items) out = lineJoin(out, nl, item) + printItem(item, nl);
  return out + doc.tail;
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
      return !item.origin || !sameRule(item);
  }
}

function sameRule(item: RuleItem): boolean {
  return JSON.stringify(item.rule) === JSON.stringify(item.origin?.rule);
}

function itemCommands(item: DocumentItem) {
  if (item.kind === 'rule') return [ruleToCommand(item.rule)];
  if (item.kind === 'section') return parseScript(item.text).commands;
  return [];
}
