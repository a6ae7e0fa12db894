import { numberValue, type Comment, type Quantifier } from './ast.js';
import { SieveSyntaxError, type SieveSyntaxErrorCode } from './errors.js';
import { SIEVE_LIMITS } from './limits.js';
import { positionAt } from './position.js';

export type TokenKind =
  | 'identifier'
  | 'tag'
  | 'number'
  | 'string'
  | '['
  | ']'
  | '('
  | ')'
  | '{'
  | '}'
  | ';'
  | ','
  | 'eof';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Identifier or tag name (tag without colon), or a string's decoded value. */
  text: string;
  number?: bigint;
  quantifier?: Quantifier;
}

const CHAR = {
  tab: 9,
  lf: 10,
  cr: 13,
  space: 32,
  quote: 34,
  hash: 35,
  star: 42,
  slash: 47,
  colon: 58,
  backslash: 92,
  dot: 46,
  nul: 0,
} as const;

const PUNCTUATION: Record<string, TokenKind> = {
  '[': '[', ']': ']', '(': '(', ')': ')', '{': '{', '}': '}', ';': ';', ',': ',',
};

const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * RFC 5228 §8.1 tokens. Whitespace and comments are skipped (comments are recorded,
 * since markers such as `# rule:[…]` live in them). LF-only line ends are accepted
 * alongside CRLF, as Pigeonhole does; string values are normalised to CRLF.
 */
export class Lexer {
  readonly comments: Comment[] = [];
  private pos = 0;
  /** Offset of the first NUL at or after the last range checked; -1 when there is none. */
  private nextNul: number;

  constructor(private readonly text: string) {
    this.nextNul = text.indexOf('\0');
    if (text.length > SIEVE_LIMITS.maxScriptLength) {
      this.fail('script-too-large', `script is larger than ${SIEVE_LIMITS.maxScriptLength} characters`, 0);
    }
  }

  fail(code: SieveSyntaxErrorCode, message: string, offset: number): never {
    throw new SieveSyntaxError(code, message, positionAt(this.text, offset));
  }

  next(): Token {
    this.skipTrivia();
    const text = this.text;
    const start = this.pos;
    if (start >= text.length) return { kind: 'eof', start, end: start, text: '' };
    const c = text.charCodeAt(start);
    const punct = PUNCTUATION[text[start] as string];
    if (punct) {
      this.pos++;
      return { kind: punct, start, end: this.pos, text: text[start] as string };
    }
    if (c === CHAR.quote) return this.quotedString();
    if (c === CHAR.colon) {
      this.pos++;
      if (!isAlpha(text.charCodeAt(this.pos))) this.fail('unexpected-character', 'expected a tag name after ":"', start);
      const name = this.identifierText();
      return { kind: 'tag', start, end: this.pos, text: name };
    }
    if (isDigit(c)) return this.number();
    if (isAlpha(c)) {
      const name = this.identifierText();
      if (name.toLowerCase() === 'text' && text.charCodeAt(this.pos) === CHAR.colon) {
        this.pos++;
        return this.multiline(start);
      }
      return { kind: 'identifier', start, end: this.pos, text: name };
    }
    return this.fail('unexpected-character', `unexpected character ${describeChar(text, start)}`, start);
  }

  private identifierText(): string {
    const text = this.text;
    const start = this.pos;
    let i = start;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (!isAlpha(c) && !isDigit(c)) break;
      i++;
    }
    this.pos = i;
    return text.slice(start, i);
  }

  private skipTrivia(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === CHAR.space || c === CHAR.tab || c === CHAR.lf || c === CHAR.cr) {
        this.pos++;
      } else if (c === CHAR.hash) {
        this.hashComment(this.pos);
      } else if (c === CHAR.slash && text.charCodeAt(this.pos + 1) === CHAR.star) {
        const start = this.pos;
        const close = text.indexOf('*/', this.pos + 2);
        if (close < 0) this.fail('unterminated-comment', 'bracket comment "/*" is never closed with "*/"', start);
        this.refuseNul(start, close, 'a comment');
        this.pos = close + 2;
        this.comments.push({ kind: 'bracket', span: { start, end: this.pos } });
      } else {
        return;
      }
    }
  }

  /** Records a `#` comment from `start` through its line break and moves past it. */
  private hashComment(start: number): void {
    const end = lineEnd(this.text, start);
    this.refuseNul(start, end, 'a comment');
    this.pos = end;
    this.comments.push({ kind: 'hash', span: { start, end } });
  }

  /**
   * Pigeonhole refuses a NUL octet anywhere, in strings and comments alike (it cannot
   * pass through its C strings); so do we, at the NUL itself.
   */
  private refuseNul(from: number, to: number, where: string): void {
    // The lexer only moves forward, so the next NUL found once serves every later range.
    if (this.nextNul !== -1 && this.nextNul < from) this.nextNul = this.text.indexOf('\0', from);
    if (this.nextNul !== -1 && this.nextNul < to) this.fail('nul-character', `NUL character (U+0000) in ${where}`, this.nextNul);
  }

  private number(): Token {
    const text = this.text;
    const start = this.pos;
    let i = start;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    const digits = text.slice(start, i);
    let quantifier: Quantifier = '';
    const q = text[i]?.toUpperCase();
    if (q === 'K' || q === 'M' || q === 'G') {
      quantifier = q;
      i++;
    }
    const after = text.charCodeAt(i);
    if (isAlpha(after) || isDigit(after)) this.fail('invalid-number', `invalid number "${text.slice(start, i + 1)}"`, start);
    const value = BigInt(digits);
    if (numberValue({ value, quantifier }) > SIEVE_LIMITS.maxNumber) {
      this.fail('number-too-large', `number ${digits}${quantifier} is larger than ${SIEVE_LIMITS.maxNumber}`, start);
    }
    this.pos = i;
    return { kind: 'number', start, end: i, text: digits, number: value, quantifier };
  }

  private quotedString(): Token {
    const text = this.text;
    const start = this.pos;
    const parts: string[] = [];
    let i = start + 1;
    let chunkStart = i;
    for (;;) {
      if (i >= text.length) this.fail('unterminated-string', 'string is never closed with a double quote', start);
      const c = text.charCodeAt(i);
      if (c === CHAR.quote) break;
      if (c === CHAR.nul) this.fail('nul-character', 'NUL character (U+0000) in a string', i);
      if (c === CHAR.backslash) {
        parts.push(text.slice(chunkStart, i));
        // RFC 5228 §2.4.2: "\" before any character stands for that character.
        i++;
        if (i >= text.length) this.fail('unterminated-string', 'string is never closed with a double quote', start);
        if (text.charCodeAt(i) === CHAR.nul) this.fail('nul-character', 'NUL character (U+0000) in a string', i);
        chunkStart = i;
      }
      i++;
      if (i - start > SIEVE_LIMITS.maxStringLength * 2) this.stringTooLong(start);
    }
    parts.push(text.slice(chunkStart, i));
    this.pos = i + 1;
    const value = normalize(parts.join(''));
    if (value.length > SIEVE_LIMITS.maxStringLength) this.stringTooLong(start);
    return { kind: 'string', start, end: this.pos, text: value };
  }

  private multiline(start: number): Token {
    const text = this.text;
    let i = this.pos;
    while (text.charCodeAt(i) === CHAR.space || text.charCodeAt(i) === CHAR.tab) i++;
    if (text.charCodeAt(i) === CHAR.hash) {
      this.hashComment(i);
      i = this.pos;
    } else if (text.charCodeAt(i) === CHAR.cr && text.charCodeAt(i + 1) === CHAR.lf) {
      i += 2;
    } else if (text.charCodeAt(i) === CHAR.lf) {
      i++;
    } else {
      this.fail('invalid-multiline-start', '"text:" must be followed by the end of the line', i);
    }
    const lines: string[] = [];
    let length = 0;
    for (;;) {
      if (i >= text.length) this.fail('unterminated-multiline', 'multi-line string is never ended by a line holding a single "."', start);
      let end = text.indexOf('\n', i);
      const next = end < 0 ? text.length : end + 1;
      if (end < 0) end = text.length;
      const contentEnd = end > i && text.charCodeAt(end - 1) === CHAR.cr ? end - 1 : end;
      if (contentEnd - i === 1 && text.charCodeAt(i) === CHAR.dot) {
        if (end === text.length) this.fail('unterminated-multiline', 'the final "." of a multi-line string must end its line', i);
        i = next;
        break;
      }
      this.refuseNul(i, contentEnd, 'a string');
      // Dot-stuffing: a line starting with "." had one added when it was written.
      const lineStart = text.charCodeAt(i) === CHAR.dot ? i + 1 : i;
      const line = text.slice(lineStart, contentEnd);
      lines.push(line);
      length += line.length + 2;
      if (length > SIEVE_LIMITS.maxStringLength) this.stringTooLong(start);
      if (end === text.length) this.fail('unterminated-multiline', 'multi-line string is never ended by a line holding a single "."', start);
      i = next;
    }
    this.pos = i;
    const value = lines.length === 0 ? '' : normalize(lines.join('\r\n') + '\r\n');
    return { kind: 'string', start, end: i, text: value };
  }

  private stringTooLong(start: number): never {
    return this.fail('string-too-long', `string is longer than ${SIEVE_LIMITS.maxStringLength} characters`, start);
  }
}

function normalize(value: string): string {
  if (!value.includes('\n') && !value.includes('\r')) return value;
  return value.replace(/\r\n|\r|\n/g, '\r\n');
}

/** Offset of the end of the line at `from`, including its line break. */
export function lineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  return lf < 0 ? text.length : lf + 1;
}

function describeChar(text: string, offset: number): string {
  const cp = text.codePointAt(offset) ?? 0;
  if (cp < 32 || cp === 127) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${String.fromCodePoint(cp)}"`;
}
