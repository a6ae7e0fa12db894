/**
 * ManageSieve response parser (RFC 5804 section 4), kept apart from the request builder.
 *
 * Two layers:
 * - `ResponseReader` cuts the byte stream into logical lines of tokens. A line ends at a CRLF
 *   that does not close a literal header: `NO {5}\r\nabcde\r\n` is one line of two tokens.
 * - `parseResponse` recognises a final response (`OK` / `NO` / `BYE`, an optional response code
 *   in parentheses, an optional string); any other line is a data line for the command.
 *
 * Text is decoded as UTF-8 after literals are cut by their octet count, so multi-byte
 * characters never split a literal. Invalid UTF-8 from the server is replaced (U+FFFD), not
 * fatal: RFC 5804 requires scripts to be UTF-8 and Pigeonhole refuses others on PUTSCRIPT.
 */
import { ManageSieveError } from './errors';
import { MAX_LITERAL_OCTETS, MAX_RESPONSE_LINE_OCTETS } from './limits';
import type { ManageSieveResponse } from './response';

export type { ManageSieveResponse, ResponseCode } from './response';

export type Token =
  | { type: 'atom'; value: string }
  /** A quoted string (escapes resolved) or a literal; `literal` tells which it was on the wire. */
  | { type: 'string'; value: string; literal: boolean }
  | { type: 'lparen' }
  | { type: 'rparen' };

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACE = 0x7b;

const utf8 = new TextDecoder('utf-8', { fatal: false });

function protocolError(message: string): ManageSieveError {
  return new ManageSieveError('PROTOCOL', message);
}

/** Thrown inside the scanner when the buffer ends before the line does. */
class Incomplete {
  constructor(readonly needTotal: number) {}
}

/**
 * Incremental tokenizer: `push` bytes as they arrive, then call `next` until it returns null.
 * Throws ManageSieveError('PROTOCOL') on malformed input or when a limit is exceeded.
 */
export class ResponseReader {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Do not rescan until at least this many octets are buffered (a literal is still arriving). */
  private waitFor = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Octets received but not yet consumed as a whole line. */
  get buffered(): number {
    return this.length;
  }

  next(): Token[] | null {
    if (this.length === 0 || this.length < this.waitFor) return null;
    const buf = this.flatten();
    try {
      const { tokens, end } = scanLine(buf);
      this.waitFor = 0;
      const rest = buf.subarray(end);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.length = rest.length;
      return tokens;
    } catch (e) {
      if (e instanceof Incomplete) {
        this.waitFor = e.needTotal;
        return null;
      }
      throw e;
    }
  }

  private flatten(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] as Buffer;
  }
}

/** Scans one logical line from the start of `buf`. Throws Incomplete when more bytes are needed. */
function scanLine(buf: Buffer): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let pos = 0;
  let literalOctets = 0;

  const checkLineLength = (at: number): void => {
    if (at - literalOctets > MAX_RESPONSE_LINE_OCTETS) {
      throw protocolError(`response line longer than ${MAX_RESPONSE_LINE_OCTETS} octets`);
    }
  };
  const incomplete = (needTotal: number): never => {
    checkLineLength(buf.length);
    throw new Incomplete(needTotal);
  };

  for (;;) {
    checkLineLength(pos);
    if (pos >= buf.length) incomplete(pos + 1);
    const c = buf[pos] as number;

    if (c === SP) {
      pos++;
    } else if (c === CR) {
      if (pos + 1 >= buf.length) incomplete(pos + 2);
      if (buf[pos + 1] !== LF) throw protocolError('CR not followed by LF in response');
      return { tokens, end: pos + 2 };
    } else if (c === LF) {
      throw protocolError('bare LF in response (CRLF expected)');
    } else if (c === LPAREN) {
      tokens.push({ type: 'lparen' });
      pos++;
    } else if (c === RPAREN) {
      tokens.push({ type: 'rparen' });
      pos++;
    } else if (c === DQUOTE) {
      const { value, end } = scanQuoted(buf, pos, incomplete);
      tokens.push({ type: 'string', value, literal: false });
      pos = end;
    } else if (c === LBRACE) {
      const header = scanLiteralHeader(buf, pos, incomplete);
      const start = header.end;
      const stop = start + header.size;
      if (stop > buf.length) incomplete(stop + 2);
      tokens.push({ type: 'string', value: utf8.decode(buf.subarray(start, stop)), literal: true });
      literalOctets += stop - pos;
      pos = stop;
    } else {
      let end = pos;
      while (end < buf.length) {
        const a = buf[end] as number;
        if (a === SP || a === CR || a === LF || a === LPAREN || a === RPAREN || a === DQUOTE || a === LBRACE) break;
        if (a < 0x20 || a === 0x7f) throw protocolError(`control character 0x${a.toString(16)} in atom`);
        end++;
      }
      if (end >= buf.length) incomplete(end + 1);
      tokens.push({ type: 'atom', value: buf.toString('latin1', pos, end) });
      pos = end;
    }
  }
}

/** `"…"` with `\"` and `\\` escapes (RFC 5804 QUOTED-SPECIALS); no CR or LF inside. */
function scanQuoted(buf: Buffer, open: number, incomplete: (need: number) => never): { value: string; end: number } {
  const out: number[] = [];
  let pos = open + 1;
  for (;;) {
    if (pos >= buf.length) incomplete(pos + 1);
    const c = buf[pos] as number;
    if (c === DQUOTE) return { value: utf8.decode(Uint8Array.from(out)), end: pos + 1 };
    if (c === CR || c === LF) throw protocolError('line break inside a quoted string');
    if (c === BACKSLASH) {
      if (pos + 1 >= buf.length) incomplete(pos + 2);
      const e = buf[pos + 1] as number;
      if (e !== DQUOTE && e !== BACKSLASH) {
        throw protocolError(`invalid escape \\${String.fromCharCode(e)} in quoted string`);
      }
      out.push(e);
      pos += 2;
    } else {
      out.push(c);
      pos++;
    }
  }
}

/** `{N}` CRLF (servers send `{N}`; `{N+}` is accepted too). Returns where the octets start. */
function scanLiteralHeader(
  buf: Buffer,
  open: number,
  incomplete: (need: number) => never,
): { size: number; end: number } {
  let pos = open + 1;
  let digits = '';
  for (;;) {
    if (pos >= buf.length) incomplete(pos + 1);
    const c = buf[pos] as number;
    if (c < 0x30 || c > 0x39) break;
    digits += String.fromCharCode(c);
    if (digits.length > 10) throw protocolError('literal size has too many digits');
    pos++;
  }
  if (digits.length === 0) throw protocolError('literal without a size');
  if (buf[pos] === 0x2b) pos++; // '+'
  if (pos >= buf.length) incomplete(pos + 1);
  if (buf[pos] !== 0x7d) throw protocolError('malformed literal header');
  pos++;
  if (pos + 1 >= buf.length) incomplete(pos + 2);
  if (buf[pos] !== CR || buf[pos + 1] !== LF) throw protocolError('literal header not followed by CRLF');
  const size = Number(digits);
  if (size > MAX_LITERAL_OCTETS) {
    throw protocolError(`literal of ${size} octets exceeds the limit of ${MAX_LITERAL_OCTETS}`);
  }
  return { size, end: pos + 2 };
}

function tokenText(token: Token): string | undefined {
  return token.type === 'atom' || token.type === 'string' ? token.value : undefined;
}

/**
 * Reads a final response from a line of tokens, or returns null for a data line. Only an
 * atom OK/NO/BYE starts a final response: a script named "OK" arrives as a string token.
 */
export function parseResponse(tokens: readonly Token[]): ManageSieveResponse | null {
  const first = tokens[0];
  if (first?.type !== 'atom') return null;
  const kind = first.value.toUpperCase();
  if (kind !== 'OK' && kind !== 'NO' && kind !== 'BYE') return null;

  const response: ManageSieveResponse = { kind };
  let i = 1;
  if (tokens[i]?.type === 'lparen') {
    let depth = 0;
    const inner: Token[] = [];
    for (; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (t.type === 'lparen') depth++;
      else if (t.type === 'rparen') depth--;
      if (depth === 0) break;
      if (!(depth === 1 && t.type === 'lparen')) inner.push(t);
    }
    if (depth !== 0) throw protocolError('unbalanced parentheses in response code');
    i++; // past ')'
    const nameToken = inner[0];
    // Quirk (noted by thsmi/sieve): Cyrus timsieved has sent the code as a quoted string.
    const name = nameToken === undefined ? undefined : tokenText(nameToken);
    if (name === undefined || name === '') throw protocolError('empty response code');
    const args = inner
      .slice(1)
      .map(tokenText)
      .filter((v): v is string => v !== undefined);
    response.code = { name: name.toUpperCase(), args };
  }

  const rest = tokens.slice(i);
  if (rest.length === 1 && rest[0]?.type === 'string') {
    response.text = rest[0].value;
  } else if (rest.length > 0) {
    // Not RFC 5804 (text must be one string), but some servers send bare words; keep them.
    if (rest.some((t) => t.type === 'lparen' || t.type === 'rparen')) {
      throw protocolError(`unexpected parenthesis after ${kind}`);
    }
    response.text = rest.map((t) => tokenText(t) ?? '').join(' ');
  }
  return response;
}
