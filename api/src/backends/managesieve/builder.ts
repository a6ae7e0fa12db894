/**
 * ManageSieve request builder (RFC 5804 section 4), kept apart from the response parser.
 *
 * Every argument goes through here: no command is assembled by string concatenation of
 * caller input. Strings become quoted strings when RFC 5804 allows it and literals otherwise;
 * scripts are always literals, sent byte for byte as given (no CRLF normalisation by us).
 *
 * Literals are the non-synchronizing `{N+}` form: RFC 5804 defines only that form for
 * client-to-server literals (`literal-c2s`), and Dovecot accepts it, so a command with a
 * script is written in one go without waiting for a continuation.
 */
import { ManageSieveError } from './errors';
import { MAX_PROTOCOL_NUMBER, MAX_QUOTED_OCTETS, MAX_SCRIPT_NAME_CHARS } from './limits';

export type Argument =
  /** Quoted if it may be, else a literal. */
  | { kind: 'string'; value: string }
  /** Always a literal (scripts: they contain line breaks and may be long). */
  | { kind: 'literal'; value: string }
  | { kind: 'number'; value: number };

export const str = (value: string): Argument => ({ kind: 'string', value });
export const lit = (value: string): Argument => ({ kind: 'literal', value });
export const num = (value: number): Argument => ({ kind: 'number', value });

const CRLF = Buffer.from('\r\n', 'latin1');

/** True when `value` may travel as a quoted string: no NUL, CR or LF and at most 1024 octets. */
export function isQuotable(value: string): boolean {
  return !/[\0\r\n]/.test(value) && Buffer.byteLength(value, 'utf8') <= MAX_QUOTED_OCTETS;
}

/** `"…"` with `"` and `\` escaped; the only escapes RFC 5804 defines (QUOTED-SPECIALS). */
export function quoted(value: string): string {
  if (!isQuotable(value)) throw new ManageSieveError('BAD_ARGUMENT', 'value cannot be sent as a quoted string');
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** `{N+}` CRLF and the octets, N counted in octets of UTF-8 (not UTF-16 code units). */
export function literal(value: string): Buffer {
  const octets = Buffer.from(value, 'utf8');
  return Buffer.concat([Buffer.from(`{${octets.length}+}\r\n`, 'latin1'), octets]);
}

function encodeArgument(arg: Argument): Buffer {
  switch (arg.kind) {
    case 'number':
      if (!Number.isInteger(arg.value) || arg.value < 0 || arg.value > MAX_PROTOCOL_NUMBER) {
        throw new ManageSieveError('BAD_ARGUMENT', `number ${arg.value} is outside 0..${MAX_PROTOCOL_NUMBER}`);
      }
      return Buffer.from(String(arg.value), 'latin1');
    case 'string':
      return isQuotable(arg.value) ? Buffer.from(quoted(arg.value), 'utf8') : literal(arg.value);
    case 'literal':
      return literal(arg.value);
  }
}

/** One command line: `VERB SP arg SP arg CRLF`, as the bytes to write. */
export function buildCommand(verb: string, ...args: Argument[]): Buffer {
  const parts: Buffer[] = [Buffer.from(verb, 'latin1')];
  for (const arg of args) parts.push(Buffer.from(' ', 'latin1'), encodeArgument(arg));
  parts.push(CRLF);
  return Buffer.concat(parts);
}

/**
 * RFC 5804 section 1.6: a script name is a non-empty UTF-8 string without the characters
 * 0000-001F, 007F, 0080-009F, 2028 and 2029. We also refuse `/` (Pigeonhole stores one file
 * per script and rejects it), lone surrogates (not encodable as UTF-8) and names longer than
 * MAX_SCRIPT_NAME_CHARS. A bad name is reported here and never sent.
 *
 * NFC normalisation (RFC 5198) is deliberately not enforced: names made by other clients may
 * not be in NFC, Pigeonhole does not check it, and refusing them would make existing scripts
 * unreachable. We never normalise either: a name is sent exactly as given.
 */
export function validateScriptName(name: string): void {
  const fail = (why: string): never => {
    throw new ManageSieveError('BAD_ARGUMENT', `invalid script name ${JSON.stringify(name)}: ${why}`);
  };
  if (typeof name !== 'string' || name.length === 0) fail('empty');
  const chars = [...name];
  if (chars.length > MAX_SCRIPT_NAME_CHARS) fail(`longer than ${MAX_SCRIPT_NAME_CHARS} characters`);
  for (const ch of chars) {
    const cp = ch.codePointAt(0) as number;
    if (cp <= 0x1f || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f)) fail(`control character U+${hex(cp)}`);
    if (cp === 0x2028 || cp === 0x2029) fail(`line or paragraph separator U+${hex(cp)}`);
    if (cp >= 0xd800 && cp <= 0xdfff) fail('lone surrogate (not encodable as UTF-8)');
    if (ch === '/') fail('contains "/"');
  }
}

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}
