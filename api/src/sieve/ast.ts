/**
 * The generic Sieve AST (RFC 5228 §8): every command and test is an identifier with
 * arguments, optional tests and (commands only) an optional block. Nothing here knows
 * what a command means, so scripts using unknown extensions parse all the same.
 *
 * Nodes are treated as immutable: to change a statement, build a new node. A parsed
 * top-level command keeps its original source text in `source`; the printer reuses it
 * verbatim, so a node that still carries `source` must not be mutated.
 */

import { SieveValidationError } from './errors.js';

/** Offsets into the parsed text, [start, end). */
export interface Span {
  start: number;
  end: number;
}

export interface StringArgument {
  type: 'string';
  /** Line breaks are always CRLF (Sieve's only line break), whatever the source used. */
  value: string;
  span?: Span;
}

export interface StringListArgument {
  type: 'string-list';
  items: string[];
  span?: Span;
}

export type Quantifier = '' | 'K' | 'M' | 'G';

export interface NumberArgument {
  type: 'number';
  /**
   * The digits as written, without leading zeros; the quantifier multiplies it. A bigint:
   * Sieve numbers go up to 2^64 - 1, beyond what a JS number holds exactly.
   */
  value: bigint;
  quantifier: Quantifier;
  span?: Span;
}

export interface TagArgument {
  type: 'tag';
  /** Without the leading colon. */
  name: string;
  span?: Span;
}

export type Argument = StringArgument | StringListArgument | NumberArgument | TagArgument;

export interface Test {
  type: 'test';
  name: string;
  arguments: Argument[];
  /** The nested test (`not`) or the parenthesised test list (`allof`, `anyof`). */
  tests: Test[];
  /** True when `tests` was (or must be) written as a parenthesised list. */
  testList: boolean;
  span?: Span;
}

/** Original text of a top-level statement: the trivia before it, and the statement itself. */
export interface StatementSource {
  leading: string;
  text: string;
}

export interface Command {
  type: 'command';
  name: string;
  arguments: Argument[];
  tests: Test[];
  testList: boolean;
  /** `null` for a command ended by `;`. */
  block: Command[] | null;
  span?: Span;
  /** Present on top-level commands that came from parsed text. */
  source?: StatementSource;
}

export interface Comment {
  kind: 'hash' | 'bracket';
  span: Span;
}

export interface Script {
  type: 'script';
  commands: Command[];
  /** Trivia after the last statement (the whole text when there is none). */
  trailing: string;
  /** Every comment in the text, in order (used to find markers such as `# rule:[…]`). */
  comments: Comment[];
}

export const str = (value: string): StringArgument => ({ type: 'string', value: normalizeLineBreaks(value) });
export const strList = (items: readonly string[]): StringListArgument => ({
  type: 'string-list',
  items: items.map(normalizeLineBreaks),
});
/** A number argument; a JS number must be a whole number from 0 (the printer checks the range). */
export function num(value: number | bigint, quantifier: Quantifier = ''): NumberArgument {
  if (typeof value === 'number' && (!Number.isSafeInteger(value) || value < 0)) {
    throw new SieveValidationError([{ code: 'invalid-number', path: '', message: `${value} is not a Sieve number` }]);
  }
  return { type: 'number', value: BigInt(value), quantifier };
}
export const tag = (name: string): TagArgument => ({ type: 'tag', name });

export function test(name: string, args: Argument[] = [], tests: Test[] = [], testList = false): Test {
  return { type: 'test', name, arguments: args, tests, testList };
}

export function command(name: string, args: Argument[] = [], block: Command[] | null = null, tests: Test[] = []): Command {
  return { type: 'command', name, arguments: args, tests, testList: false, block };
}

export const allof = (tests: Test[]): Test => test('allof', [], tests, true);
export const anyof = (tests: Test[]): Test => test('anyof', [], tests, true);
export const not = (inner: Test): Test => test('not', [], [inner]);

/** Sieve's line break is CRLF; LF-only and lone CR are read (and written) as CRLF. */
export function normalizeLineBreaks(value: string): string {
  if (!value.includes('\n') && !value.includes('\r')) return value;
  return value.replace(/\r\n|\r|\n/g, '\r\n');
}

const QUANTIFIER_FACTOR: Readonly<Record<Quantifier, bigint>> = { '': 1n, K: 1024n, M: 1024n ** 2n, G: 1024n ** 3n };

/** The value a number argument stands for, its quantifier applied (RFC 5228 §2.4.1). */
export function numberValue(arg: Pick<NumberArgument, 'value' | 'quantifier'>): bigint {
  return arg.value * QUANTIFIER_FACTOR[arg.quantifier];
}

/** A number argument's value as a JS number, or null when it does not fit exactly. */
export function safeNumberValue(arg: Pick<NumberArgument, 'value' | 'quantifier'>): number | null {
  const value = numberValue(arg);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
}

const POSITION_KEYS = new Set(['span', 'source']);

/** A copy without spans and source text, for structural comparison. */
export function stripPositions<T>(node: T): T {
  return stripFrom(node) as T;
}

function stripFrom(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripFrom);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (!POSITION_KEYS.has(key) && inner !== undefined) copy[key] = stripFrom(inner);
  return copy;
}

export function commandsEqual(a: readonly Command[], b: readonly Command[]): boolean {
  return comparable(a) === comparable(b);
}

/** JSON of the nodes without positions; bigints (which JSON cannot hold) as tagged strings. */
function comparable(nodes: readonly Command[]): string {
  return JSON.stringify(stripPositions(nodes), (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}
