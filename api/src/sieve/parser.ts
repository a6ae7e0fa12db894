import type { Argument, Command, Script, Test } from './ast.js';
import { SIEVE_LIMITS } from './limits.js';
import { Lexer, lineEnd, type Token, type TokenKind } from './lexer.js';
import { checkScriptShapes, checkTestShape } from './shape-check.js';

/**
 * Parses a whole script (RFC 5228 §8.2) into the generic AST. Each top-level command
 * keeps its source text: the trivia before it, and the statement through the end of
 * its line when only blanks or a comment follow it there.
 *
 * Known commands and tests must then fit their grammar (shape-check.ts); unknown ones
 * are taken as they are.
 *
 * Throws only SieveSyntaxError. Recursion is bounded by SIEVE_LIMITS.maxNestingDepth.
 */
export function parseScript(text: string): Script {
  const script = new Parser(text).script();
  checkScriptShapes(script.commands, text);
  return script;
}

/** Parses a single test, e.g. the commented-out condition of a disabled Roundcube rule. */
export function parseTest(text: string): Test {
  const parsed = new Parser(text).standaloneTest();
  checkTestShape(parsed, text);
  return parsed;
}

class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  private depth = 0;
  /** End offset of the last consumed token. */
  private previousEnd = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.token = this.lexer.next();
  }

  script(): Script {
    const commands: Command[] = [];
    let previousEnd = 0;
    while (this.token.kind !== 'eof') {
      const command = this.command();
      const start = command.span?.start ?? previousEnd;
      const end = extendToLineEnd(this.text, command.span?.end ?? start, this.token.start);
      command.source = { leading: this.text.slice(previousEnd, start), text: this.text.slice(start, end) };
      commands.push(command);
      previousEnd = end;
    }
    return { type: 'script', commands, trailing: this.text.slice(previousEnd), comments: this.lexer.comments };
  }

  standaloneTest(): Test {
    const result = this.test();
    this.expect('eof', 'expected the end of the test');
    return result;
  }

  /** The current token's kind (a method, so TypeScript does not narrow it across advance()). */
  private kind(): TokenKind {
    return this.token.kind;
  }

  private advance(): Token {
    const current = this.token;
    this.previousEnd = current.end;
    this.token = this.lexer.next();
    return current;
  }

  private expect(kind: TokenKind, message: string): Token {
    if (this.token.kind !== kind) this.unexpected(message);
    return this.advance();
  }

  private unexpected(message: string): never {
    const found = this.token.kind === 'eof' ? 'the end of the script' : describe(this.token);
    return this.lexer.fail(this.token.kind === 'eof' ? 'unexpected-end' : 'unexpected-token', `${message}, found ${found}`, this.token.start);
  }

  private enter(): void {
    if (++this.depth > SIEVE_LIMITS.maxNestingDepth) {
      this.lexer.fail('nesting-too-deep', `blocks and tests are nested more than ${SIEVE_LIMITS.maxNestingDepth} levels deep`, this.token.start);
    }
  }

  private command(): Command {
    const name = this.expect('identifier', 'expected a command');
    const { args, tests, testList } = this.argumentsAndTests();
    let block: Command[] | null = null;
    if (this.token.kind === '{') {
      this.enter();
      this.advance();
      block = [];
      while (this.kind() !== '}') {
        if (this.kind() === 'eof') this.unexpected('expected "}" to close the block');
        block.push(this.command());
      }
      this.depth--;
    } else if (this.token.kind !== ';') {
      this.unexpected(`expected ";" or "{" after command "${name.text}"`);
    }
    const end = this.advance().end;
    return { type: 'command', name: name.text, arguments: args, tests, testList, block, span: { start: name.start, end } };
  }

  private test(): Test {
    this.enter();
    const name = this.expect('identifier', 'expected a test');
    const { args, tests, testList } = this.argumentsAndTests();
    this.depth--;
    return { type: 'test', name: name.text, arguments: args, tests, testList, span: { start: name.start, end: this.previousEnd } };
  }

  private argumentsAndTests(): { args: Argument[]; tests: Test[]; testList: boolean } {
    const args: Argument[] = [];
    for (;;) {
      const t = this.token;
      if (t.kind === 'string') {
        this.advance();
        args.push({ type: 'string', value: t.text, span: { start: t.start, end: t.end } });
      } else if (t.kind === 'number') {
        this.advance();
        args.push({ type: 'number', value: t.number ?? 0n, quantifier: t.quantifier ?? '', span: { start: t.start, end: t.end } });
      } else if (t.kind === 'tag') {
        this.advance();
        args.push({ type: 'tag', name: t.text, span: { start: t.start, end: t.end } });
      } else if (t.kind === '[') {
        args.push(this.stringList());
      } else {
        break;
      }
    }
    if (this.token.kind === 'identifier') return { args, tests: [this.test()], testList: false };
    if (this.token.kind === '(') {
      this.enter();
      this.advance();
      const tests = [this.test()];
      while (this.kind() === ',') {
        this.advance();
        tests.push(this.test());
      }
      this.expect(')', 'expected "," or ")" in the test list');
      this.depth--;
      return { args, tests, testList: true };
    }
    return { args, tests: [], testList: false };
  }

  private stringList(): Argument {
    const open = this.advance();
    const items: string[] = [];
    for (;;) {
      const item = this.expect('string', 'expected a string in the string list');
      items.push(item.text);
      if (items.length > SIEVE_LIMITS.maxListItems) this.lexer.fail('list-too-long', `string list has more than ${SIEVE_LIMITS.maxListItems} items`, item.start);
      if (this.token.kind === ',') {
        this.advance();
        continue;
      }
      const close = this.expect(']', 'expected "," or "]" in the string list');
      return { type: 'string-list', items, span: { start: open.start, end: close.end } };
    }
  }
}

/** A statement owns the rest of its line when only blanks or a hash comment follow. */
function extendToLineEnd(text: string, end: number, nextTokenStart: number): number {
  let i = end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '#') return lineEnd(text, i);
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  if (text[i] === '\n') return i + 1;
  if (i >= text.length) return i;
  return Math.min(end, nextTokenStart);
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'identifier':
      return `"${token.text}"`;
    case 'tag':
      return `":${token.text}"`;
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${token.text}${token.quantifier ?? ''}`;
    default:
      return `"${token.kind}"`;
  }
}
