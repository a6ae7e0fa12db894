/**
 * Would Pigeonhole's `:regex` accept this pattern? Pigeonhole compiles a constant key at
 * CHECKSCRIPT/PUTSCRIPT time with glibc `regcomp(REG_EXTENDED | REG_NOSUB | REG_ICASE)` (the
 * default comparator i;ascii-casemap), in Dovecot's C locale, so the pattern is read byte by
 * byte: UTF-8 text is a run of bytes ≥ 0x80. This is a parser for exactly that dialect
 * (glibc posix/regcomp.c, RE_SYNTAX_POSIX_EXTENDED), reporting the first error glibc would,
 * with glibc's message. It was checked case by case against the real server
 * (test/integration/sieve/checkscript.test.ts compares verdicts on random patterns).
 *
 * What glibc accepts that is easy to get wrong: `)` alone is a literal; `a**`, `a{2}{3}` are
 * fine; `\{` `\(` `\|` are literals; `\1`…`\9` are back references, valid only after that
 * group has closed (and not from another branch of the same `|`); `\w \W \s \S` are classes
 * and `\b \B \< \> \` \'` anchors, which no repetition may follow; REG_ICASE upper-cases the
 * pattern before ranges are built, so `[_-a]` is an empty range (`_` > `A`).
 *
 * One deliberate difference: glibc expands `x{n,m}` into copies of `x` and then runs out of
 * memory on patterns like `a{1000}{1000}`; that limit depends on the server process, so
 * patterns whose expansion exceeds MAX_EXPANDED_NODES are refused here as too complex.
 */

/** Expanded size beyond which a pattern is refused as too complex (glibc needs ~10⁶ to fail). */
export const MAX_EXPANDED_NODES = 100_000;

/** glibc's RE_DUP_MAX. */
const DUP_MAX = 0x7fff;

const MESSAGES = {
  BADPAT: 'invalid regular expression',
  EBRACK: 'unmatched [, [^, [:, [., or [=',
  EPAREN: 'unmatched ( or \\(',
  EBRACE: 'unmatched \\{',
  BADBR: 'invalid content of \\{\\}',
  ERANGE: 'invalid range end',
  ECTYPE: 'invalid character class name',
  ECOLLATE: 'invalid collation character',
  BADRPT: 'invalid preceding regular expression',
  EESCAPE: 'trailing backslash',
  ESUBREG: 'invalid back reference',
  ESIZE: 'regular expression too big',
  COMPLEX: `regular expression too complex (expands to more than ${MAX_EXPANDED_NODES} nodes)`,
} as const;

const CHAR_CLASSES = new Set(['alpha', 'upper', 'lower', 'digit', 'xdigit', 'space', 'print', 'punct', 'graph', 'cntrl', 'blank', 'alnum']);

class RegexError extends Error {}

type TokenKind = 'char' | 'open' | 'close' | 'alt' | 'dup' | 'open-dup' | 'close-dup' | 'bracket' | 'anchor' | 'any' | 'backref' | 'backslash' | 'end';

interface Token {
  kind: TokenKind;
  /** Bytes the token takes. */
  len: number;
  /** The significant byte (for `\x`, the x), as glibc's `opr.c`. */
  c: number;
}

type BracketKind = 'char' | 'range' | 'close' | 'not' | 'coll' | 'equiv' | 'class' | 'end';
interface BracketToken {
  kind: BracketKind;
  len: number;
  c: number;
}
type Element = { type: 'char'; c: number } | { type: 'coll' | 'equiv' | 'class'; name: number[] };

const code = (s: string): number => s.charCodeAt(0);
const BACKSLASH = code('\\');
const COMMA = code(',');
/** REG_ICASE: glibc upper-cases the pattern (ASCII only in the C locale) before building ranges. */
const upper = (c: number): number => (c >= 0x61 && c <= 0x7a ? c - 0x20 : c);

class Parser {
  private pos = 0;
  private token: Token;
  private groups = 0;
  /** Groups 1..9 that have closed (bit i = group i + 1), as glibc's completed_bkref_map. */
  private completed = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.token = this.peek();
  }

  parse(): void {
    const size = this.regExp(0);
    if (size > MAX_EXPANDED_NODES) throw new RegexError(MESSAGES.COMPLEX);
  }

  private fail(key: keyof typeof MESSAGES): never {
    throw new RegexError(MESSAGES[key]);
  }

  private peek(): Token {
    const b = this.bytes;
    const p = this.pos;
    if (p >= b.length) return { kind: 'end', len: 0, c: 0 };
    const c = b[p] as number;
    if (c === BACKSLASH) {
      if (p + 1 >= b.length) return { kind: 'backslash', len: 1, c };
      const c2 = b[p + 1] as number;
      const ch = String.fromCharCode(c2);
      if (ch >= '1' && ch <= '9') return { kind: 'backref', len: 2, c: c2 };
      if ('<>bB`\''.includes(ch)) return { kind: 'anchor', len: 2, c: c2 };
      if ('wWsS'.includes(ch)) return { kind: 'any', len: 2, c: c2 };
      return { kind: 'char', len: 2, c: c2 };
    }
    const kinds: Record<string, TokenKind> = {
      '(': 'open', ')': 'close', '|': 'alt', '*': 'dup', '+': 'dup', '?': 'dup',
      '{': 'open-dup', '}': 'close-dup', '[': 'bracket', '^': 'anchor', '$': 'anchor', '.': 'any',
    };
    return { kind: kinds[String.fromCharCode(c)] ?? 'char', len: 1, c };
  }

  /** The current token's kind (a method, so TypeScript does not keep a narrowing across next()). */
  private kind(): TokenKind {
    return this.token.kind;
  }

  private next(): void {
    this.pos += this.token.len;
    this.token = this.peek();
  }

  private regExp(nest: number): number {
    const initial = this.completed;
    let size = this.branch(nest);
    while (this.token.kind === 'alt') {
      this.next();
      const t = this.token.kind;
      if (t !== 'alt' && t !== 'end' && !(nest > 0 && t === 'close')) {
        // Each alternative sees only the groups closed before the alternation.
        const accumulated = this.completed;
        this.completed = initial;
        size += this.branch(nest);
        this.completed |= accumulated;
      }
    }
    return size;
  }

  private branch(nest: number): number {
    let size = this.expression(nest);
    for (;;) {
      const t = this.token.kind;
      if (t === 'alt' || t === 'end' || (nest > 0 && t === 'close')) return size;
      size += this.expression(nest);
    }
  }

  private expression(nest: number): number {
    let size = 1;
    switch (this.token.kind) {
      case 'char':
      case 'any':
      case 'close': // an unmatched `)` is a literal (only reached at nest 0)
      case 'close-dup':
        this.next();
        break;
      case 'open': {
        const group = this.groups++;
        this.next();
        if (this.kind() !== 'close') {
          size += this.regExp(nest + 1);
          if (this.kind() !== 'close') this.fail('EPAREN');
        }
        if (group <= 8) this.completed |= 1 << group;
        this.next();
        break;
      }
      case 'bracket':
        this.bracket();
        break;
      case 'backref':
        if (!(this.completed & (1 << (this.token.c - code('1'))))) this.fail('ESUBREG');
        this.next();
        break;
      case 'anchor':
        // Nothing may repeat an anchor: the next expression starts here, and `*` there fails.
        this.next();
        return 1;
      case 'dup':
      case 'open-dup':
        this.fail('BADRPT');
        break;
      case 'backslash':
        this.fail('EESCAPE');
        break;
      case 'alt':
      case 'end':
        return 0;
    }
    while (this.kind() === 'dup' || this.kind() === 'open-dup') size = this.repetition(size);
    return size;
  }

  /** `*`, `+`, `?` or `{n,m}` after an expression of `size` nodes; returns the expanded size. */
  private repetition(size: number): number {
    if (this.token.kind === 'dup') {
      const plus = this.token.c === code('+');
      this.next();
      return size * (plus ? 2 : 1) + 1;
    }
    let start = this.number();
    if (start === -1) {
      if (this.token.kind === 'char' && this.token.c === COMMA) start = 0; // `{,m}` is `{0,m}`
      else this.fail('BADBR'); // `{}`
    }
    let end = 0;
    if (start !== -2) {
      end = this.token.kind === 'close-dup' ? start : this.token.c === COMMA && this.token.kind === 'char' ? this.number() : -2;
    }
    if (start === -2 || end === -2) this.fail(this.token.kind === 'end' ? 'EBRACE' : 'BADBR');
    if ((end !== -1 && start > end) || this.token.kind !== 'close-dup') this.fail('BADBR');
    if ((end === -1 ? start : end) > DUP_MAX) this.fail('ESIZE');
    this.next();
    return size * Math.max(1, end === -1 ? start + 1 : end) + 1;
  }

  /** glibc fetch_number: -1 none, -2 invalid, else the number (capped at DUP_MAX + 1). */
  private number(): number {
    let num = -1;
    for (;;) {
      this.next();
      const t = this.token;
      if (t.kind === 'end') return -2;
      if (t.kind === 'close-dup' || t.c === COMMA) return num;
      const digit = t.kind === 'char' && t.c >= code('0') && t.c <= code('9');
      num = !digit || num === -2 ? -2 : num === -1 ? t.c - code('0') : Math.min(DUP_MAX + 1, num * 10 + t.c - code('0'));
    }
  }

  private peekBracket(): BracketToken {
    const b = this.bytes;
    const p = this.pos;
    if (p >= b.length) return { kind: 'end', len: 0, c: 0 };
    const c = b[p] as number;
    const ch = String.fromCharCode(c);
    if (ch === '[') {
      const open: Record<string, BracketKind> = { '.': 'coll', '=': 'equiv', ':': 'class' };
      const kind = open[String.fromCharCode(b[p + 1] ?? 0)];
      return kind ? { kind, len: 2, c: b[p + 1] as number } : { kind: 'char', len: 1, c };
    }
    const kinds: Record<string, BracketKind> = { '-': 'range', ']': 'close', '^': 'not' };
    return { kind: kinds[ch] ?? 'char', len: 1, c };
  }

  private bracket(): void {
    this.pos += 1; // `[`
    let t = this.peekBracket();
    if (t.kind === 'end') this.fail('BADPAT');
    if (t.kind === 'not') {
      this.pos += t.len;
      t = this.peekBracket();
      if (t.kind === 'end') this.fail('BADPAT');
    }
    if (t.kind === 'close') t = { ...t, kind: 'char' }; // a first `]` is literal
    let first = true;
    for (;;) {
      const start = this.element(t, first);
      first = false;
      t = this.peekBracket();
      let rangeEnd: BracketToken | null = null;
      if (start.type !== 'class' && start.type !== 'equiv') {
        if (t.kind === 'end') this.fail('EBRACK');
        if (t.kind === 'range') {
          this.pos += t.len;
          const t2 = this.peekBracket();
          if (t2.kind === 'end') this.fail('EBRACK');
          if (t2.kind === 'close') {
            this.pos -= t.len; // a `-` just before `]` is literal
            t = { kind: 'char', len: 1, c: t.c };
          } else {
            rangeEnd = t2;
          }
        }
      }
      if (rangeEnd) {
        const end = this.element(rangeEnd, true);
        t = this.peekBracket();
        this.range(start, end);
      } else if (start.type === 'coll' || start.type === 'equiv') {
        if (start.name.length !== 1) this.fail('ECOLLATE');
      } else if (start.type === 'class') {
        if (!CHAR_CLASSES.has(String.fromCharCode(...start.name))) this.fail('ECTYPE');
      }
      if (t.kind === 'end') this.fail('EBRACK');
      if (t.kind === 'close') break;
    }
    this.pos += 1; // `]`
    this.token = this.peek();
  }

  private element(t: BracketToken, acceptHyphen: boolean): Element {
    this.pos += t.len;
    if (t.kind === 'coll' || t.kind === 'equiv' || t.kind === 'class') return { type: t.kind, name: this.symbol(t.c) };
    // A `-` that starts no range may only stand just before the closing `]`.
    if (t.kind === 'range' && !acceptHyphen && this.peekBracket().kind !== 'close') this.fail('ERANGE');
    return { type: 'char', c: t.c };
  }

  /** The name in `[.name.]`, `[=name=]`, `[:name:]` (glibc: at most 32 bytes). */
  private symbol(delim: number): number[] {
    const b = this.bytes;
    if (this.pos >= b.length) this.fail('EBRACK');
    const name: number[] = [];
    for (;;) {
      if (name.length >= 32) this.fail('EBRACK');
      const ch = b[this.pos++] as number;
      if (this.pos >= b.length) this.fail('EBRACK');
      if (ch === delim && b[this.pos] === code(']')) break;
      name.push(ch);
    }
    this.pos += 1;
    return name;
  }

  private range(start: Element, end: Element): void {
    if (start.type === 'class' || start.type === 'equiv' || end.type === 'class' || end.type === 'equiv') this.fail('ERANGE');
    const byte = (e: Element): number => {
      if (e.type === 'char') return upper(e.c);
      if (e.type === 'coll' && e.name.length === 1) return upper(e.name[0] as number);
      return this.fail('ECOLLATE');
    };
    if (byte(start) > byte(end)) this.fail('ERANGE');
  }
}

const utf8 = new TextEncoder();

/** Why Pigeonhole (glibc regcomp, POSIX ERE) would refuse `pattern`, or null when it compiles. */
export function regexProblem(pattern: string): string | null {
  try {
    new Parser(utf8.encode(pattern)).parse();
    return null;
  } catch (e) {
    if (e instanceof RegexError) return e.message;
    throw e;
  }
}
