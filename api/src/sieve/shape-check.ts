import type { Argument, Command, Span, Test } from './ast.js';
import { SieveSyntaxError, type SieveSyntaxErrorCode } from './errors.js';
import { COMMANDS, TESTS, type Shape, type ValueKind } from './grammar.js';
import { positionAt } from './position.js';

/**
 * Checks parsed commands and tests against the grammar of the known ones (grammar.ts):
 * tagged arguments and their values, positional arguments, tests and blocks, and where
 * `elsif`, `else` and `require` may stand. Unknown commands and tests are not checked
 * (only what they contain). Throws a positioned SieveSyntaxError, as the parser does.
 */
export function checkScriptShapes(commands: readonly Command[], text: string): void {
  new ShapeChecker(text).commands(commands, true);
}

export function checkTestShape(node: Test, text: string): void {
  new ShapeChecker(text).test(node);
}

type Node = Command | Test;

/** A table entry by its lower-case name; never one inherited from Object (`constructor`, `toString`). */
function own<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const KIND_NAMES: Record<ValueKind | Argument['type'], string> = {
  string: 'a string',
  'string-list': 'a string list',
  number: 'a number',
  tag: 'a tag',
};

class ShapeChecker {
  constructor(private readonly text: string) {}

  commands(list: readonly Command[], topLevel: boolean): void {
    let onlyRequiresSoFar = true;
    list.forEach((cmd, i) => {
      const name = cmd.name.toLowerCase();
      const previous = list[i - 1]?.name.toLowerCase();
      if ((name === 'elsif' || name === 'else') && previous !== 'if' && previous !== 'elsif') {
        this.fail('misplaced-command', `"${cmd.name}" must follow an "if" or "elsif" block`, cmd.span);
      }
      // RFC 5228 §3.2; Pigeonhole enforces it at the top level only.
      if (name === 'require' && topLevel && !onlyRequiresSoFar) {
        this.fail('misplaced-command', '"require" must come before every other command', cmd.span);
      }
      if (name !== 'require') onlyRequiresSoFar = false;
      this.command(cmd);
    });
  }

  private command(cmd: Command): void {
    const shape = own(COMMANDS, cmd.name);
    if (shape) {
      this.node(cmd, shape, 'command');
      if (shape.block === true && cmd.block === null) this.fail('missing-block', `command "${cmd.name}" needs a block in braces`, cmd.span);
      if (shape.block === false && cmd.block !== null) this.fail('unexpected-block', `command "${cmd.name}" takes no block; end it with ";"`, cmd.span);
    }
    for (const inner of cmd.tests) this.test(inner);
    if (cmd.block) this.commands(cmd.block, false);
  }

  test(node: Test): void {
    const shape = own(TESTS, node.name);
    if (shape) this.node(node, shape, 'test');
    for (const inner of node.tests) this.test(inner);
  }

  private node(node: Node, shape: Shape, kind: 'command' | 'test'): void {
    const label = `${kind} "${node.name}"`;
    const positional = this.tags(node, shape, label);
    this.positional(node, shape, label, positional);
    this.subTests(node, shape, label);
  }

  /** Reads the leading tags (with their values); returns the positional arguments after them. */
  private tags(node: Node, shape: Shape, label: string): Argument[] {
    const seen = new Set<string>();
    const groups = new Map<string, string>();
    const args = node.arguments;
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i] as Argument;
      if (arg.type !== 'tag') break;
      const name = arg.name.toLowerCase();
      const tag = own(shape.tags, name);
      if (!tag) this.fail('unknown-tag', `${label} has no tag ":${arg.name}"`, arg.span ?? node.span);
      if (seen.has(name) && !tag.repeatable) this.fail('duplicate-tag', `${label} takes ":${arg.name}" only once`, arg.span ?? node.span);
      const other = tag.group ? groups.get(tag.group) : undefined;
      if (other !== undefined && other !== name) this.fail('duplicate-tag', `${label} takes only one of ":${other}" and ":${name}"`, arg.span ?? node.span);
      seen.add(name);
      if (tag.group) groups.set(tag.group, name);
      if (tag.value) {
        const value = args[i + 1];
        if (!value) this.fail('wrong-argument', `":${arg.name}" of ${label} needs ${KIND_NAMES[tag.value]} after it`, arg.span ?? node.span);
        this.expectKind(value, tag.value, `":${arg.name}" of ${label}`, node);
        if (tag.oneOf && (value.type !== 'string' || !tag.oneOf.includes(value.value))) {
          this.fail('wrong-argument', `":${arg.name}" of ${label} must be one of ${tag.oneOf.map((v) => `"${v}"`).join(', ')}`, value.span ?? node.span);
        }
        i++;
      }
    }
    for (const name of seen) {
      const needs = own(shape.tags, name)?.needs;
      if (needs && !seen.has(needs)) this.fail('missing-tag', `":${name}" of ${label} needs ":${needs}" as well`, this.tagSpan(node, name));
    }
    if (shape.requiredGroup && !groups.has(shape.requiredGroup)) {
      const choices = Object.entries(shape.tags)
        .filter(([, t]) => t.group === shape.requiredGroup)
        .map(([n]) => `:${n}`);
      this.fail('missing-tag', `${label} needs one of ${choices.join(', ')}`, node.span);
    }
    const positional = args.slice(i);
    const lateTag = positional.find((a) => a.type === 'tag');
    if (lateTag) this.fail('wrong-argument', `tag ":${(lateTag as { name: string }).name}" of ${label} must come before its other arguments`, lateTag.span ?? node.span);
    return positional;
  }

  private positional(node: Node, shape: Shape, label: string, args: readonly Argument[]): void {
    const full = shape.positional.length;
    const min = full - (shape.optional?.count ?? 0);
    if (args.length < min || (args.length > full && !shape.extraPositional)) {
      const count = full === 0 ? 'no' : min === full ? `${full}` : `${min} to ${full}`;
      const after = Object.keys(shape.tags).length > 0 ? ' after its tags' : '';
      const extra = args.length > full ? args[full]?.span : undefined;
      this.fail('wrong-argument-count', `${label} takes ${count} argument${full === 1 ? '' : 's'}${after}, found ${args.length}`, extra ?? this.nameEnd(node));
    }
    let kinds = shape.positional;
    if (args.length < full) kinds = shape.optional?.from === 'start' ? kinds.slice(full - args.length) : kinds.slice(0, args.length);
    kinds.forEach((kind, i) => this.expectKind(args[i] as Argument, kind, `argument ${i + 1} of ${label}`, node));
  }

  private subTests(node: Node, shape: Shape, label: string): void {
    const first = node.tests[0];
    if (shape.tests === 'none' && first) this.fail('unexpected-test', `${label} takes no test`, first.span ?? node.span);
    if (shape.tests === 'one' && !first) this.fail('missing-test', `${label} needs a test`, this.nameEnd(node));
    if (shape.tests === 'one' && node.testList) this.fail('unexpected-test', `${label} takes a single test, not a list in parentheses`, first?.span ?? node.span);
    if (shape.tests === 'list' && !node.testList) this.fail('missing-test', `${label} needs a list of tests in parentheses`, first?.span ?? this.nameEnd(node));
  }

  private expectKind(arg: Argument, kind: ValueKind, what: string, node: Node): void {
    const fits = kind === 'string-list' ? arg.type === 'string' || arg.type === 'string-list' : arg.type === kind;
    if (!fits) this.fail('wrong-argument', `${what} must be ${KIND_NAMES[kind]}, found ${KIND_NAMES[arg.type]}`, arg.span ?? node.span);
  }

  /** Just after the node's name: where a missing argument or test was due. */
  private nameEnd(node: Node): Span | undefined {
    return node.span ? { start: node.span.start + node.name.length, end: node.span.start + node.name.length } : undefined;
  }

  private tagSpan(node: Node, name: string): Span | undefined {
    return node.arguments.find((a) => a.type === 'tag' && a.name.toLowerCase() === name)?.span ?? node.span;
  }

  private fail(code: SieveSyntaxErrorCode, message: string, span: Span | undefined): never {
    throw new SieveSyntaxError(code, message, positionAt(this.text, span?.start ?? 0));
  }
}
