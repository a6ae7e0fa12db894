import { createHash } from 'node:crypto';
import { parseDocument, parseScript, type Command, type DocumentItem, type SieveDocument } from '../../sieve';
import { vacationFroms } from '../filters/reply-from';

/**
 * Every way mail leaves an account, wherever it was written: the forwarding page's section,
 * a builder rule's "forward to" action, a `redirect` in Sieve the app did not write (the raw
 * editor, Roundcube, other clients), and the directory's `mailForwardingAddress` (expanded by
 * the relays, not by Sieve).
 */
export type ExitSource = 'forwarding' | 'filter' | 'sieve' | 'ldap';

export interface MailExit {
  /** Stable while the exit is where it is: names it for "This wasn't me". */
  id: string;
  source: ExitSource;
  address: string;
  /** A copy stays in the mailbox (`:copy`, or the user's own address beside an LDAP forward). */
  keepsCopy: boolean;
  /** False for a redirect that never runs (a disabled rule, `if false`): shown, not counted. */
  active: boolean;
  /** The rule's name, or the block's writer and name, when the exit sits in one. */
  place?: string;
}

export function exitId(source: ExitSource, place: string | undefined, address: string): string {
  return createHash('sha256').update(`${source}\0${place ?? ''}\0${address.toLowerCase()}`).digest('base64url').slice(0, 16);
}

export interface RedirectCommand {
  command: Command;
  address: string;
  copy: boolean;
  /** Under an `if false` (how Roundcube writes a disabled rule). */
  inert: boolean;
}

const isFalse = (c: Command) => (c.name.toLowerCase() === 'if' || c.name.toLowerCase() === 'elsif') && c.tests[0]?.name.toLowerCase() === 'false';

/** Every `redirect` at any depth, in text order. A target that is no plain string (a list) is kept as its items joined. */
export function redirectCommands(commands: readonly Command[], inert = false): RedirectCommand[] {
  const found: RedirectCommand[] = [];
  for (const command of commands) {
    if (command.name.toLowerCase() === 'redirect') {
      const target = command.arguments.filter((a) => a.type === 'string' || a.type === 'string-list').at(-1);
      const address = target?.type === 'string' ? target.value : target?.type === 'string-list' ? target.items.join(', ') : '';
      const copy = command.arguments.some((a) => a.type === 'tag' && a.name.toLowerCase() === 'copy');
      found.push({ command, address, copy, inert });
    }
    if (command.block) found.push(...redirectCommands(command.block, inert || isFalse(command)));
  }
  return found;
}

/** Where each item of a parsed (unchanged) document starts in its text: head, then the items in order. */
export function itemOffsets(doc: SieveDocument): Array<{ item: DocumentItem; start: number; end: number }> {
  let at = doc.head.length;
  return doc.items.map((item) => {
    const length = item.kind === 'custom' ? item.text.length : item.kind === 'section' ? item.leading.length + item.text.length : (item.origin?.text.length ?? 0);
    const range = { item, start: at, end: at + length };
    at += length;
    return range;
  });
}

function placeOf(item: DocumentItem): { source: ExitSource; place?: string } {
  if (item.kind === 'section') return item.name === 'forwarding' ? { source: 'forwarding' } : { source: 'sieve', place: `emailng:${item.name}` };
  if (item.kind === 'rule') return { source: 'filter', place: item.rule.name };
  const label = [item.writer, item.name].filter((x) => x !== undefined && x !== '').join(': ');
  return { source: 'sieve', ...(label ? { place: label } : {}) };
}

export interface LocatedExit extends MailExit {
  /** The redirect's command, with its span in the script's text. */
  command: Command;
}

/** The exits a script holds, in text order ([] for a script that does not parse: the raw editor is where it is fixed). */
export function scriptExits(text: string): LocatedExit[] {
  let doc: SieveDocument;
  let commands: Command[];
  try {
    doc = parseDocument(text);
    commands = parseScript(text).commands;
  } catch {
    return [];
  }
  const ranges = itemOffsets(doc);
  return redirectCommands(commands).map(({ command, address, copy, inert }) => {
    const start = command.span?.start ?? 0;
    const range = ranges.find((r) => start >= r.start && start < r.end);
    const { source, place } = range ? placeOf(range.item) : { source: 'sieve' as const, place: undefined };
    const enabled = range?.item.kind === 'rule' ? range.item.rule.enabled : true;
    return {
      id: exitId(source, place, address),
      source,
      address,
      keepsCopy: copy,
      active: enabled && !inert,
      ...(place !== undefined ? { place } : {}),
      command,
    };
  });
}

/** The directory's forwarding: every value but the user's own address (which means "keep a copy"). */
export function ldapExits(values: readonly string[], ownAddress: string): MailExit[] {
  const own = ownAddress.toLowerCase();
  const keepsCopy = values.some((v) => v.toLowerCase() === own);
  return values
    .filter((v) => v.toLowerCase() !== own)
    .map((address) => ({ id: exitId('ldap', undefined, address), source: 'ldap' as const, address, keepsCopy, active: true }));
}

/**
 * The text without the redirect commands given, and nothing else: a command alone on its
 * line goes with its line (indent and line break), one sharing a line goes with the spaces
 * after it. Spans are the script's own offsets, cut from the end so earlier ones hold.
 */
export function cutCommands(text: string, commands: readonly Command[]): string {
  const spans = commands.flatMap((c) => (c.span ? [c.span] : [])).sort((a, b) => b.start - a.start);
  let out = text;
  for (const { start, end } of spans) {
    const lineStart = out.lastIndexOf('\n', start - 1) + 1;
    const newline = out.indexOf('\n', end);
    const lineEnd = newline < 0 ? out.length : newline + 1;
    const before = out.slice(lineStart, start);
    const after = out.slice(end, lineEnd);
    if (/^[ \t]*$/.test(before) && /^[ \t]*\r?\n?$/.test(after)) out = out.slice(0, lineStart) + out.slice(lineEnd);
    else out = out.slice(0, start) + out.slice(end).replace(/^[ \t]+/, '');
  }
  return out;
}

/** Every vacation `:from` a script gives (what an auto-reply says it is from), in text order. */
export function replyFroms(text: string): string[] {
  try {
    return vacationFroms(parseScript(text).commands, text).flatMap((f) => (f.value === null ? [] : [f.value]));
  } catch {
    return [];
  }
}
