import { safeNumberValue, type Argument, type Command, type Test } from '../ast.js';
import type { Action, Condition, Relation, Rule, RuleMatch, SimpleCondition, TextField, TextOperator } from './model.js';
import { toModelText } from './strings.js';
import { splitFlags } from './flags.js';
import { literalAffix } from './wildcards.js';
import { unfold } from './fold.js';

interface RuleMeta {
  id: string;
  name: string;
  disabledTest?: Test;
}

/**
 * Reads an `if` command as a rule, or returns null when the model cannot represent it
 * exactly (unknown test or tag, comparator, nested if, elsif chain, list of keys, …).
 * `disabledTest` is the condition Roundcube keeps in the comment of `if false # …`.
 */
export function commandToRule(cmd: Command, meta: RuleMeta): Rule | null {
  return readRule(cmd, meta)?.rule ?? null;
}

/**
 * commandToRule, saying also whether the rule was `upgraded`: read from a form the app no
 * longer writes because it did not do what it said (a `header` is/starts/ends test on an
 * address, which a display name defeats). The rule is then the corrected one, and the next
 * save of the filters writes it.
 */
export function readRule(cmd: Command, meta: RuleMeta): { rule: Rule; upgraded: boolean } | null {
  if (cmd.name.toLowerCase() !== 'if' || cmd.block === null || cmd.testList || cmd.tests.length !== 1 || cmd.arguments.length > 0) return null;
  let rootTest = cmd.tests[0] as Test;
  let enabled = true;
  if (isBare(rootTest, 'false')) {
    if (!meta.disabledTest) return null;
    rootTest = meta.disabledTest;
    enabled = false;
  }
  const notes: ReadNotes = { upgraded: false };
  const head = readRuleTest(rootTest, notes);
  if (!head) return null;
  const body = readBlock(cmd.block);
  if (!body) return null;
  const rule: Rule = { id: meta.id, name: meta.name, enabled, match: head.match, conditions: head.conditions, actions: body.actions, stop: body.stop };
  return { rule, upgraded: notes.upgraded };
}

/** What reading noticed about the rule as a whole. */
interface ReadNotes {
  upgraded: boolean;
}

const isBare = (t: Test, name: string): boolean => t.name.toLowerCase() === name && t.arguments.length === 0 && t.tests.length === 0;

function readRuleTest(t: Test, notes: ReadNotes): { match: RuleMatch; conditions: Condition[] } | null {
  if (isBare(t, 'true')) return { match: 'always', conditions: [] };
  const name = t.name.toLowerCase();
  if ((name === 'allof' || name === 'anyof') && t.testList && t.arguments.length === 0) {
    const conditions: Condition[] = [];
    for (const inner of t.tests) {
      const c = readCondition(inner, notes, true);
      if (!c) return null;
      conditions.push(c);
    }
    return { match: name === 'allof' ? 'all' : 'any', conditions };
  }
  const single = readCondition(t, notes, true);
  return single ? { match: 'any', conditions: [single] } : null;
}

/** A condition; `allof`/`anyof` only where a group may stand (directly under the rule). */
function readCondition(t: Test, notes: ReadNotes, groupAllowed: true): Condition | null;
function readCondition(t: Test, notes: ReadNotes, groupAllowed: false): SimpleCondition | null;
function readCondition(t: Test, notes: ReadNotes, groupAllowed: boolean): Condition | null {
  const name = t.name.toLowerCase();
  if (name === 'not' && !t.testList && t.tests.length === 1 && t.arguments.length === 0) {
    const inner = groupAllowed ? readCondition(t.tests[0] as Test, notes, true) : readCondition(t.tests[0] as Test, notes, false);
    return inner ? { ...inner, negate: !inner.negate } : null;
  }
  if ((name === 'allof' || name === 'anyof') && groupAllowed && t.testList && t.arguments.length === 0 && t.tests.length > 0) {
    const conditions: SimpleCondition[] = [];
    for (const inner of t.tests) {
      const c = readCondition(inner, notes, false);
      if (!c) return null;
      conditions.push(c);
    }
    return { type: 'group', negate: false, match: name === 'allof' ? 'all' : 'any', conditions };
  }
  if (t.tests.length > 0) return null;
  switch (name) {
    case 'header':
      return readHeader(t.arguments, notes);
    case 'address':
      return readAddress(t.arguments);
    case 'envelope':
      return readEnvelope(t.arguments);
    case 'body':
      return readBody(t.arguments);
    case 'size':
      return readSize(t.arguments);
    case 'currentdate':
      return readCurrentdate(t.arguments);
    case 'hasflag':
      return readHasflag(t.arguments);
    case 'spamtest':
      return readSpamtest(t.arguments);
    default:
      return null;
  }
}

interface ReadArgs {
  tags: Map<string, Argument | true>;
  positional: Argument[];
}

/**
 * Splits arguments into tags and positionals. `valued` tags take the next argument.
 * Null on an unknown or repeated tag, so such tests stay custom Sieve.
 */
function readArgs(args: readonly Argument[], flags: readonly string[], valued: readonly string[] = []): ReadArgs | null {
  const tags = new Map<string, Argument | true>();
  const positional: Argument[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Argument;
    if (arg.type !== 'tag') {
      positional.push(arg);
      continue;
    }
    const name = arg.name.toLowerCase();
    if (tags.has(name)) return null;
    if (flags.includes(name)) {
      tags.set(name, true);
    } else if (valued.includes(name)) {
      const value = args[++i];
      if (!value || value.type === 'tag') return null;
      tags.set(name, value);
    } else {
      return null;
    }
  }
  return { tags, positional };
}

const MATCH_TAGS = ['contains', 'is', 'matches', 'regex'] as const;

function readMatch(read: ReadArgs, key: Argument | undefined): { operator: TextOperator; value: string; exactAccents?: boolean } | null {
  const present = MATCH_TAGS.filter((m) => read.tags.has(m));
  if (present.length > 1 || key?.type !== 'string') return null;
  const operator = present[0] ?? 'is';
  const value = toModelText(key.value);
  if (operator === 'matches') {
    const affix = literalAffix(value);
    if (affix) return { operator: affix.kind, value: affix.literal };
  }
  if (operator === 'regex') {
    // The app's own folded form of a term with non-ASCII letters (fold.ts).
    const folded = unfold(value);
    if (folded) return folded.exactAccents ? folded : { operator: folded.operator, value: folded.value };
  }
  return { operator, value };
}

function singleString(arg: Argument | undefined): string | null {
  if (arg?.type === 'string') return arg.value;
  if (arg?.type === 'string-list' && arg.items.length === 1) return arg.items[0] as string;
  return null;
}

/** `["to", "cc"]` in either order and case. */
function isToOrCc(names: Argument | undefined): boolean {
  if (names?.type !== 'string-list' || names.items.length !== 2) return false;
  const lower = names.items.map((n) => n.toLowerCase()).sort();
  return lower[0] === 'cc' && lower[1] === 'to';
}

/**
 * A `header` is/starts/ends test on From or To/Cc whose key is an address or part of one
 * (has an `@`, no space, quote or angle bracket): the app once wrote "From ends with @x" so,
 * and it never matches a From with a display name. Such a test is read as the address test it
 * was meant to be; the rule is marked upgraded. Any other header test on these fields keeps
 * its meaning as a match on the whole header text.
 */
function meantAddress(match: { operator: TextOperator; value: string }): boolean {
  return (match.operator === 'is' || match.operator === 'starts' || match.operator === 'ends') && match.value.includes('@') && !/[\s"<>]/.test(match.value);
}

function readHeader(args: readonly Argument[], notes: ReadNotes): SimpleCondition | null {
  const read = readArgs(args, MATCH_TAGS);
  if (!read || read.positional.length !== 2) return null;
  const [names, key] = read.positional;
  const match = readMatch(read, key);
  if (!match) return null;
  const header = isToOrCc(names) ? 'to-or-cc' : singleString(names);
  if (header === null || header.includes('\r\n')) return null;
  const field = header.toLowerCase();
  if (field === 'from' || field === 'to-or-cc') {
    if (!meantAddress(match)) return { type: `${field}-header`, negate: false, ...match };
    notes.upgraded = true;
    return { type: field, negate: false, ...match };
  }
  if (field === 'subject' || field === 'list-id') return { type: field satisfies TextField, negate: false, ...match };
  return { type: 'header', header, negate: false, ...match };
}

/** `address [:all] <match> "from" | ["to", "cc"] <key>`, as the app writes it. */
function readAddress(args: readonly Argument[]): SimpleCondition | null {
  const read = readArgs(args, [...MATCH_TAGS, 'all']);
  if (!read || read.positional.length !== 2) return null;
  const [names, key] = read.positional;
  const match = readMatch(read, key);
  if (!match) return null;
  if (isToOrCc(names)) return { type: 'to-or-cc', negate: false, ...match };
  return singleString(names)?.toLowerCase() === 'from' ? { type: 'from', negate: false, ...match } : null;
}

function readEnvelope(args: readonly Argument[]): SimpleCondition | null {
  const read = readArgs(args, [...MATCH_TAGS, 'all']);
  if (!read || read.positional.length !== 2) return null;
  const part = singleString(read.positional[0])?.toLowerCase();
  const match = readMatch(read, read.positional[1]);
  if ((part !== 'from' && part !== 'to') || !match) return null;
  return { type: 'envelope', part, negate: false, ...match };
}

function readBody(args: readonly Argument[]): SimpleCondition | null {
  const read = readArgs(args, [...MATCH_TAGS, 'text']);
  if (!read || read.positional.length !== 1) return null;
  const match = readMatch(read, read.positional[0]);
  return match ? { type: 'body', negate: false, ...match } : null;
}

function readSize(args: readonly Argument[]): SimpleCondition | null {
  const read = readArgs(args, ['over', 'under']);
  const size = read?.positional[0];
  if (!read || read.tags.size !== 1 || read.positional.length !== 1 || size?.type !== 'number' || safeNumberValue(size) === null) return null;
  return { type: 'size', negate: false, comparison: read.tags.has('over') ? 'over' : 'under', size: Number(size.value), unit: size.quantifier };
}

const COMPARISONS = ['ge', 'le', 'gt', 'lt', 'eq'] as const;

function readCurrentdate(args: readonly Argument[]): SimpleCondition | null {
  const read = readArgs(args, [], ['zone', 'value']);
  if (!read || read.positional.length !== 2) return null;
  const relation = read.tags.get('value');
  const zone = read.tags.get('zone');
  const comparison = COMPARISONS.find((c) => relation !== true && relation?.type === 'string' && relation.value === c);
  const [part, key] = read.positional;
  const datePart = part?.type === 'string' ? part.value.toLowerCase() : '';
  if (!comparison || (datePart !== 'date' && datePart !== 'iso8601') || key?.type !== 'string') return null;
  if (zone === undefined) return { type: 'currentdate', negate: false, comparison, datePart, value: key.value };
  if (zone === true || zone.type !== 'string') return null;
  return { type: 'currentdate', negate: false, comparison, datePart, value: key.value, zone: zone.value };
}

/** `hasflag [:is] <flags>` without a variable list: the flags the actions so far have set. */
function readHasflag(args: readonly Argument[]): SimpleCondition | null {
  const read = readArgs(args, ['is']);
  if (!read || read.positional.length !== 1) return null;
  const flags = flagItems(read.positional[0]);
  return flags && flags.length > 0 ? { type: 'hasflag', negate: false, flags } : null;
}

const PERCENT = /^(?:100|[1-9]?[0-9])$/;

/** `spamtest :percent :value "<rel>" :comparator "i;ascii-numeric" "<0..100>"`, tags in any order. */
function readSpamtest(args: readonly Argument[]): SimpleCondition | null {
  const read = readArgs(args, ['percent'], ['value', 'comparator']);
  if (!read || !read.tags.has('percent') || read.positional.length !== 1) return null;
  const relation = read.tags.get('value');
  const comparator = read.tags.get('comparator');
  const key = read.positional[0];
  const comparison = COMPARISONS.find((c) => relation !== true && relation?.type === 'string' && relation.value === c);
  if (!comparison || comparator === true || comparator?.type !== 'string' || comparator.value !== 'i;ascii-numeric') return null;
  if (key?.type !== 'string' || !PERCENT.test(key.value)) return null;
  return { type: 'spamscore', negate: false, comparison: comparison satisfies Relation, percent: Number(key.value) };
}

function readBlock(block: readonly Command[]): { actions: Action[]; stop: boolean } | null {
  const actions: Action[] = [];
  let stop = false;
  for (const [i, cmd] of block.entries()) {
    if (cmd.block !== null || cmd.tests.length > 0) return null;
    if (cmd.name.toLowerCase() === 'stop') {
      if (i !== block.length - 1 || cmd.arguments.length > 0) return null;
      stop = true;
      continue;
    }
    const action = readAction(cmd);
    if (!action) return null;
    actions.push(action);
  }
  return { actions, stop };
}

function readAction(cmd: Command): Action | null {
  const name = cmd.name.toLowerCase();
  switch (name) {
    case 'fileinto': {
      const read = readArgs(cmd.arguments, ['copy', 'create'], ['flags']);
      const mailbox = read?.positional.length === 1 ? read.positional[0] : undefined;
      if (!read || mailbox?.type !== 'string') return null;
      const flags = readFlagsTag(read);
      if (flags === null) return null;
      const action: Action = { type: 'fileinto', mailbox: toModelText(mailbox.value), copy: read.tags.has('copy'), create: read.tags.has('create') };
      return flags === undefined ? action : { ...action, flags };
    }
    case 'redirect': {
      const read = readArgs(cmd.arguments, ['copy']);
      const address = read?.positional.length === 1 ? read.positional[0] : undefined;
      if (!read || address?.type !== 'string') return null;
      return { type: 'redirect', address: toModelText(address.value), copy: read.tags.has('copy') };
    }
    case 'addflag':
    case 'setflag':
    case 'removeflag': {
      const [flags] = cmd.arguments;
      if (cmd.arguments.length !== 1) return null;
      const list = flagItems(flags);
      return list ? { type: name, flags: list } : null;
    }
    case 'discard':
      return cmd.arguments.length === 0 ? { type: name } : null;
    case 'keep': {
      const read = readArgs(cmd.arguments, [], ['flags']);
      if (!read || read.positional.length > 0) return null;
      const flags = readFlagsTag(read);
      if (flags === null) return null;
      return flags === undefined ? { type: 'keep' } : { type: 'keep', flags };
    }
    case 'reject': {
      const [message] = cmd.arguments;
      return cmd.arguments.length === 1 && message?.type === 'string' ? { type: 'reject', message: toModelText(message.value) } : null;
    }
    case 'vacation':
      return readVacation(cmd.arguments);
    default:
      return null;
  }
}

/** One string may hold several flags, space-separated (RFC 5232 §3): one model flag each. */
function flagItems(arg: Argument | undefined): string[] | null {
  if (arg?.type === 'string') return splitFlags(arg.value).map(toModelText);
  if (arg?.type === 'string-list') return arg.items.flatMap(splitFlags).map(toModelText);
  return null;
}

/**
 * The `:flags` of a fileinto or keep: undefined without the tag, null when it cannot be read
 * back exactly. The model's flag lists print one flag per string; another spelling (`"a b"`,
 * `["\\Seen"]` for one flag) would print differently, and reading keeps it in the rule's
 * original text only while the rule is unchanged, so it is fine to normalise here.
 */
function readFlagsTag(read: ReadArgs): string[] | undefined | null {
  const value = read.tags.get('flags');
  if (value === undefined) return undefined;
  return value === true ? null : flagItems(value);
}

function readVacation(args: readonly Argument[]): Action | null {
  const read = readArgs(args, ['mime'], ['days', 'seconds', 'addresses', 'subject', 'handle', 'from']);
  const reason = read?.positional.length === 1 ? read.positional[0] : undefined;
  if (!read || reason?.type !== 'string') return null;
  const action: Extract<Action, { type: 'vacation' }> = { type: 'vacation', reason: toModelText(reason.value) };
  for (const [tagName, value] of read.tags) {
    if (tagName === 'mime') {
      action.mime = true;
      continue;
    }
    if (value === true) return null;
    if (tagName === 'days' || tagName === 'seconds') {
      const count = value.type === 'number' && value.quantifier === '' ? safeNumberValue(value) : null;
      if (count === null) return null;
      action[tagName] = count;
    } else if (tagName === 'addresses') {
      if (value.type === 'string') action.addresses = [toModelText(value.value)];
      else if (value.type === 'string-list') action.addresses = value.items.map(toModelText);
      else return null;
    } else if (tagName === 'subject' || tagName === 'handle' || tagName === 'from') {
      if (value.type !== 'string') return null;
      action[tagName] = toModelText(value.value);
    }
  }
  return action;
}
