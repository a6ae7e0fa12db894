import { connect } from 'node:net';
import { QuarantineError } from './errors';

/**
 * A client of amavisd-new's AM.PDP policy port, for one request: releasing a quarantined
 * message. The protocol (amavisd-new README.protocol): the client sends `name=value` lines and
 * an empty line; amavisd answers the same way. Values are %XX-encoded wherever they hold
 * characters outside printable ASCII, `%`, `=` or white space. amavisd checks the secret_id
 * against the mail_id itself and delivers with its `$release_method`; it keeps no record of
 * the release (a second request delivers a second copy), so callers must record it.
 */

export interface AmPdpEndpoint {
  host: string;
  port: number;
  /** Whole request, connect to last line. */
  timeoutMs: number;
}

export interface ReleaseRequest {
  mailId: string;
  secretId: string;
  /** The address the release is done for, logged by amavisd. */
  requestedBy: string;
  partitionTag?: number;
  /** Release to these recipients only (default: every recipient the message was held for). */
  recipients?: string[];
}

export interface ReleaseResult {
  /** One SMTP-style reply per recipient, decoded, e.g. `250 2.0.0 … Saved`. */
  replies: string[];
}

/** Every octet a value may not carry raw becomes %XX (UTF-8 first). */
export function encodeValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const raw = byte > 0x20 && byte < 0x7f && byte !== 0x25 && byte !== 0x3d;
    out += raw ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** %XX back to text; a malformed escape stays as it is. */
export function decodeValue(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value[i] === '%' ? value.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(value[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function formatRequest(attributes: ReadonlyArray<readonly [string, string]>): string {
  return attributes.map(([name, value]) => `${name}=${encodeValue(value)}\r\n`).join('') + '\r\n';
}

/** Parses an answer (without its final empty line) into name → values, in order. */
export function parseAnswer(text: string): Map<string, string[]> {
  const answer = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new QuarantineError('PROTOCOL', `AM.PDP answer line without a name: ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, eq);
    const values = answer.get(name) ?? [];
    values.push(decodeValue(line.slice(eq + 1)));
    answer.set(name, values);
  }
  return answer;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/** Sends one request and reads the answer up to its empty line. */
function exchange(endpoint: AmPdpEndpoint, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    let received = '';
    let settled = false;
    const finish = (error: Error | null, text?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(text as string);
    };
    const timer = setTimeout(() => finish(new QuarantineError('UNAVAILABLE', `the release port did not answer within ${endpoint.timeoutMs} ms`)), endpoint.timeoutMs);
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(request, 'latin1'));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.search(/\r?\n\r?\n/);
      if (end >= 0) finish(null, received.slice(0, end));
      else if (received.length > MAX_ANSWER_BYTES) finish(new QuarantineError('PROTOCOL', 'AM.PDP answer too long'));
    });
    socket.on('error', (error) => finish(new QuarantineError('UNAVAILABLE', `release port unreachable: ${error.message}`)));
    socket.on('close', () => finish(new QuarantineError('UNAVAILABLE', 'the release port closed the connection without an answer')));
  });
}

/**
 * Asks amavisd to release a held message. Resolves when every recipient's reply is a 2xx;
 * throws QuarantineError REFUSED with amavisd's words otherwise.
 */
export async function releaseMessage(endpoint: AmPdpEndpoint, request: ReleaseRequest): Promise<ReleaseResult> {
  const attributes: Array<[string, string]> = [
    ['request', 'release'],
    ['mail_id', request.mailId],
    ['secret_id', request.secretId],
    ['quar_type', 'Q'],
    ['requested_by', `<${request.requestedBy}>`],
  ];
  if (request.partitionTag !== undefined) attributes.push(['partition_tag', String(request.partitionTag)]);
  for (const recipient of request.recipients ?? []) attributes.push(['recipient', `<${recipient}>`]);
  const answer = parseAnswer(await exchange(endpoint, formatRequest(attributes)));
  const replies = answer.get('setreply') ?? [];
  if (replies.length === 0) {
    throw new QuarantineError('PROTOCOL', `AM.PDP answer without setreply (return_value ${answer.get('return_value')?.[0] ?? 'none'})`);
  }
  const failed = replies.filter((reply) => !/^2\d\d /.test(reply));
  if (failed.length > 0) throw new QuarantineError('REFUSED', `amavisd refused the release: ${failed.join('; ')}`);
  return { replies };
}
