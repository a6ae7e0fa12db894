import { normalizeLineBreaks, numberValue, type Argument, type Command, type Script, type Test } from './ast.js';
import { SieveValidationError, type SieveValidationCode } from './errors.js';
import { SIEVE_LIMITS } from './limits.js';

export interface PrintOptions {
  /** Line break for generated text, also used inside strings. Default CRLF, Sieve's own. */
  newline?: '\r\n' | '\n';
  /** One level of block indentation. Default a tab. */
  indent?: string;
}

interface ResolvedOptions {
  newline: string;
  indent: string;
}

const resolve = (options: PrintOptions = {}): ResolvedOptions => ({
  newline: options.newline ?? '\r\n',
  indent: options.indent ?? '\t',
});

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Prints a script. Top-level commands that still carry their parsed `source` are
 * emitted verbatim (comments and layout included); all others print canonically.
 */
export function printScript(script: Script, options?: PrintOptions): string {
  const o = resolve(options);
  let out = '';
  for (const cmd of script.commands) {
    if (cmd.source) {
      out += cmd.source.leading + cmd.source.text;
    } else {
      if (out !== '' && !out.endsWith('\n')) out += o.newline;
      out += printCommandWith(cmd, o, 0) + o.newline;
    }
  }
  return out + script.trailing;
}

/** Canonical text of one command (no trailing line break). */
export function printCommand(cmd: Command, options?: PrintOptions, indentLevel = 0): string {
  return printCommandWith(cmd, resolve(options), indentLevel);
}

export function printTest(t: Test, options?: PrintOptions): string {
  return printTestWith(t, resolve(options), 1);
}

export function printArgument(arg: Argument, options?: PrintOptions): string {
  return printArgumentWith(arg, resolve(options));
}

/**
 * The one place a string value becomes Sieve. A value ending in a line break is written
 * as `text:` with dot-stuffing (its final line break is part of the value, RFC 5228
 * §2.4.2); anything else as a quoted string, escaping backslash and double quote.
 * Every line break is written as `newline`: Sieve knows only CRLF, so LF and lone CR
 * values are normalised (the rule model refuses lone CR before it gets here).
 */
export function printString(value: string, options?: PrintOptions): string {
  return printStringWith(value, resolve(options));
}

function printStringWith(value: string, o: ResolvedOptions): string {
  checkString(value);
  const normalized = normalizeLineBreaks(value);
  if (normalized.endsWith('\r\n')) {
    const lines = normalized.slice(0, -2).split('\r\n');
    let out = 'text:' + o.newline;
    for (const line of lines) out += (line.startsWith('.') ? '.' + line : line) + o.newline;
    return out + '.' + o.newline;
  }
  const escaped = normalized.replace(/[\\"]/g, '\\$&');
  return '"' + (o.newline === '\r\n' ? escaped : escaped.replace(/\r\n/g, o.newline)) + '"';
}

function printArgumentWith(arg: Argument, o: ResolvedOptions): string {
  switch (arg.type) {
    case 'string':
      return printStringWith(arg.value, o);
    case 'string-list':
      if (arg.items.length === 0) invalid('empty-value', 'a string list needs at least one item');
      return '[' + arg.items.map((item) => printStringWith(item, o)).join(', ') + ']';
    case 'number':
      if (typeof arg.value !== 'bigint' || arg.value < 0n || numberValue(arg) > SIEVE_LIMITS.maxNumber) invalid('invalid-number', `${String(arg.value)}${arg.quantifier} is not a Sieve number`);
      return `${arg.value}${arg.quantifier}`;
    case 'tag':
      checkIdentifier(arg.name);
      return ':' + arg.name;
  }
}

function printTestWith(t: Test, o: ResolvedOptions, depth: number): string {
  if (depth > SIEVE_LIMITS.maxNestingDepth) invalid('nesting-too-deep', 'tests are nested too deeply');
  checkIdentifier(t.name);
  let out = t.name;
  for (const arg of t.arguments) out += ' ' + printArgumentWith(arg, o);
  if (t.testList) {
    if (t.tests.length === 0) invalid('empty-value', `test "${t.name}" needs at least one test in its list`);
    out += ' (' + t.tests.map((inner) => printTestWith(inner, o, depth + 1)).join(', ') + ')';
  } else if (t.tests.length > 1) {
    invalid('invalid-identifier', `test "${t.name}" has several tests but no test list`);
  } else if (t.tests[0]) {
    out += ' ' + printTestWith(t.tests[0], o, depth + 1);
  }
  return out;
}

function printCommandWith(cmd: Command, o: ResolvedOptions, level: number): string {
  if (level >= SIEVE_LIMITS.maxNestingDepth) invalid('nesting-too-deep', 'blocks are nested too deeply');
  checkIdentifier(cmd.name);
  const pad = o.indent.repeat(level);
  let out = pad + cmd.name;
  for (const arg of cmd.arguments) out += ' ' + printArgumentWith(arg, o);
  if (cmd.testList) {
    if (cmd.tests.length === 0) invalid('empty-value', `command "${cmd.name}" needs at least one test in its list`);
    out += ' (' + cmd.tests.map((t) => printTestWith(t, o, level + 1)).join(', ') + ')';
  } else if (cmd.tests.length > 1) {
    invalid('invalid-identifier', `command "${cmd.name}" has several tests but no test list`);
  } else if (cmd.tests[0]) {
    out += ' ' + printTestWith(cmd.tests[0], o, level + 1);
  }
  if (cmd.block === null) return out + ';';
  out += ' {' + o.newline;
  for (const inner of cmd.block) out += printCommandWith(inner, o, level + 1) + o.newline;
  return out + pad + '}';
}

function checkIdentifier(name: string): void {
  if (!IDENTIFIER.test(name)) invalid('invalid-identifier', `"${name}" is not a Sieve identifier`);
}

function checkString(value: string): void {
  if (value.includes('\0')) invalid('nul-character', 'Sieve strings cannot contain NUL');
  if (value.length > SIEVE_LIMITS.maxStringLength) invalid('string-too-long', `string is longer than ${SIEVE_LIMITS.maxStringLength} characters`);
}

function invalid(code: SieveValidationCode, message: string): never {
  throw new SieveValidationError([{ code, path: '', message }]);
}
