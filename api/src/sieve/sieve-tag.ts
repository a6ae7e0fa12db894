import type { Argument, Command, Test } from './ast.js';
import { strList } from './ast.js';
import { printArgument, printCommand, printString, printTest } from './printer.js';

type Interpolation = string | number | readonly string[] | Argument | Test | Command;

/**
 * Tagged template for small snippets: every interpolated value is printed by the printer
 * (strings quoted and escaped, lists bracketed, nodes printed), never pasted raw.
 *
 *     sieve`fileinto ${folder};`
 */
export function sieve(parts: TemplateStringsArray, ...values: Interpolation[]): string {
  let out = parts[0] ?? '';
  values.forEach((value, i) => {
    out += printInterpolation(value) + (parts[i + 1] ?? '');
  });
  return out;
}

function printInterpolation(value: Interpolation): string {
  if (typeof value === 'string') return printString(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${value} is not a Sieve number`);
    return String(value);
  }
  if (Array.isArray(value)) return printArgument(strList(value as readonly string[]));
  const node = value as Argument | Test | Command;
  if (node.type === 'test') return printTest(node);
  if (node.type === 'command') return printCommand(node);
  return printArgument(node);
}
