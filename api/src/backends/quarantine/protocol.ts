// AM.PDP, amavisd-new's policy/release protocol (README.protocol in the package): a request
// and its answer are each `name=value` lines ended by CRLF and closed by an empty line.
// Restricted characters are %XX-encoded; the encoding works on bytes, so text is UTF-8.

export type AmpdpAttributes = ReadonlyArray<readonly [name: string, value: string]>;
/** An answer: attribute name → its values in order (`setreply` repeats, one per recipient). */
export type AmpdpAnswer = ReadonlyMap<string, readonly string[]>;

const NAME = /^[0-9A-Za-z_-]+$/;

/** Encodes one value: every byte outside printable ASCII, and `%`, becomes %XX (space too). */
export function encodeValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += byte >= 0x21 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes %XX sequences to bytes and reads them as UTF-8 (invalid sequences become U+FFFD). */
export function decodeValue(encoded: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const hex = encoded[i] === '%' ? encoded.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(encoded[i]!, 'latin1'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The request's bytes. Names are ours (fixed identifiers), so they are checked, not encoded. */
export function encodeRequest(attributes: AmpdpAttributes): string {
  let out = '';
  for (const [name, value] of attributes) {
    if (!NAME.test(name)) throw new Error(`AM.PDP attribute name ${JSON.stringify(name)}`);
    out += `${name}=${encodeValue(value)}\r\n`;
  }
  return `${out}\r\n`;
}

/**
 * Reads one answer from the start of `buffer` (latin1: one char per byte). Returns null while
 * the closing empty line has not arrived, else the answer and how many chars it used.
 * Throws on a line that is not `name=value`.
 */
export function parseAnswer(buffer: string): { answer: AmpdpAnswer; length: number } | null {
  const answer = new Map<string, string[]>();
  let at = 0;
  for (;;) {
    const nl = buffer.indexOf('\n', at);
    if (nl < 0) return null;
    const line = buffer.slice(at, nl).replace(/\r$/, '');
    at = nl + 1;
    if (line === '') return { answer, length: at };
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not a name=value line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = decodeValue(line.slice(0, eq));
    answer.set(name, [...(answer.get(name) ?? []), decodeValue(line.slice(eq + 1))]);
  }
}
