import { strList, type Command, type Test } from './ast.js';
import { SieveValidationError, type ValidationIssue } from './errors.js';
import { parseScript } from './parser.js';
import { printArgument, printCommand, printString, printTest, type PrintOptions } from './printer.js';
import { stringProblem } from './rules/strings.js';

/**
 * Renders the template files in sieve-templates/. A template is Sieve with typed
 * placeholders `{{name:type}}` and optional parts `{{#name}}…{{/name}}` (kept when the
 * value is present, true or a non-empty list). Every value is type-checked and printed
 * by the one printer; nothing a user typed is pasted into the text.
 *
 * Types: `string` (any string), `line` (no line breaks), `text` (a message body, always
 * written as `text:`), `stringlist`, `number`, `test` (an AST test), `commands` (AST
 * commands, one per line).
 */
export type TemplateValue = string | number | boolean | readonly string[] | Test | readonly Command[] | undefined;

const PLACEHOLDER = /\{\{([a-z_]+):([a-z]+)\}\}/g;
const SECTION = /\{\{#([a-z_]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g;

export function renderTemplate(template: string, values: Readonly<Record<string, TemplateValue>>, options: PrintOptions = {}): string {
  const newline = options.newline ?? '\r\n';
  const issues: ValidationIssue[] = [];
  const withSections = template.replace(SECTION, (_all, name: string, body: string) => (isPresent(values[name]) ? body : ''));
  // Template files are stored with LF; the script gets the document's line break.
  const layout = withSections.replace(/\r\n/g, '\n').replace(/\n/g, newline);
  const rendered = layout.replace(PLACEHOLDER, (_all, name: string, type: string) => {
    const printed = renderValue(name, type, values[name], { ...options, newline }, issues);
    return printed ?? '';
  });
  if (issues.length > 0) throw new SieveValidationError(issues);
  // The result must be Sieve; a broken template is a programming error, reported as such.
  parseScript(rendered);
  return rendered;
}

function isPresent(value: TemplateValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== false && value !== '';
}

function renderValue(name: string, type: string, value: TemplateValue, options: PrintOptions, issues: ValidationIssue[]): string | null {
  const fail = (message: string, code: ValidationIssue['code'] = 'invalid-template-value') => {
    issues.push({ code, path: name, message: `${name} ${message}` });
    return null;
  };
  const checkText = (s: string, singleLine: boolean) => {
    const problem = stringProblem(s, singleLine);
    return problem ? fail(problem.message, problem.code) : s;
  };
  switch (type) {
    case 'string':
    case 'line':
      if (typeof value !== 'string') return fail('must be a string');
      return checkText(value, type === 'line') === null ? null : printString(value, options);
    case 'text':
      if (typeof value !== 'string') return fail('must be a string');
      // The body's final line break is part of a text: value; add one so any body fits.
      return checkText(value, false) === null ? null : printString(value + '\n', options);
    case 'stringlist':
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) return fail('must be a non-empty list of strings');
      if ((value as string[]).some((v) => checkText(v, true) === null)) return null;
      return printArgument(strList(value as string[]), options);
    case 'number':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return fail('must be a whole number from 0', 'invalid-number');
      return String(value);
    case 'test':
      if (!isNode(value, 'test')) return fail('must be a Sieve test');
      return printTest(value as Test, options);
    case 'commands':
      if (!Array.isArray(value) || !value.every((c) => isNode(c, 'command'))) return fail('must be a list of Sieve commands');
      return (value as Command[]).map((c) => printCommand(c, options)).join(options.newline ?? '\r\n');
    default:
      return fail(`has an unknown placeholder type "${type}"`);
  }
}

const isNode = (value: unknown, type: 'test' | 'command'): boolean => typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;

/** Strips one final line break from a `text:` body read back from a rendered template. */
export const bodyFromText = (value: string): string => value.replace(/\r?\n$/, '').replace(/\r\n/g, '\n');
