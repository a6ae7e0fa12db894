import { describe, expect, it } from 'vitest';
import { parseCapabilities } from '../../../../api/src/backends/managesieve/capabilities';
import { ManageSieveError } from '../../../../api/src/backends/managesieve/errors';
import { MAX_LITERAL_OCTETS, MAX_RESPONSE_LINE_OCTETS } from '../../../../api/src/backends/managesieve/limits';
import { ResponseReader, parseResponse, type Token } from '../../../../api/src/backends/managesieve/parser';

/** Feeds `input` (optionally in pieces) and returns every complete line. */
function lines(...pieces: Array<string | Buffer>): Token[][] {
  const reader = new ResponseReader();
  const out: Token[][] = [];
  for (const piece of pieces) {
    reader.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece);
    for (let line = reader.next(); line !== null; line = reader.next()) out.push(line);
  }
  return out;
}

function one(input: string): Token[] {
  const all = lines(input);
  expect(all).toHaveLength(1);
  return all[0] as Token[];
}

function protocolError(fn: () => unknown): ManageSieveError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ManageSieveError);
    expect((e as ManageSieveError).code).toBe('PROTOCOL');
    return e as ManageSieveError;
  }
  throw new Error('expected a PROTOCOL error');
}

describe('ResponseReader: tokens', () => {
  it('reads atoms, quoted strings and parentheses', () => {
    expect(one('OK (QUOTA/MAXSIZE) "Too big"\r\n')).toEqual([
      { type: 'atom', value: 'OK' },
      { type: 'lparen' },
      { type: 'atom', value: 'QUOTA/MAXSIZE' },
      { type: 'rparen' },
      { type: 'string', value: 'Too big', literal: false },
    ]);
  });

  it('resolves the two quoted-string escapes \\" and \\\\', () => {
    expect(one('"say \\"hi\\" C:\\\\dir"\r\n')).toEqual([{ type: 'string', value: 'say "hi" C:\\dir', literal: false }]);
  });

  it('decodes UTF-8 inside quoted strings', () => {
    expect(one('"Φίλτρα" ACTIVE\r\n')[0]).toEqual({ type: 'string', value: 'Φίλτρα', literal: false });
  });

  it('refuses an escape RFC 5804 does not define', () => {
    protocolError(() => lines('"a\\nb"\r\n'));
  });

  it('refuses a line break inside a quoted string', () => {
    protocolError(() => lines('"a\r\nb"\r\n'));
  });

  it('cuts a literal by its octet count, so multi-byte Greek text is read whole', () => {
    const text = 'Καλημέρα\r\nκόσμε';
    const octets = Buffer.byteLength(text, 'utf8');
    expect(octets).toBe(28); // 13 Greek letters × 2 octets + CRLF
    expect(one(`{${octets}}\r\n${text}\r\n`)).toEqual([{ type: 'string', value: text, literal: true }]);
  });

  it('reassembles a literal whose multi-byte characters are split across TCP chunks', () => {
    const full = Buffer.from(`{6}\r\nαβγ\r\nOK\r\n`, 'utf8');
    const pieces = [full.subarray(0, 3), full.subarray(3, 8), full.subarray(8, 10), full.subarray(10)];
    expect(lines(...pieces)).toEqual([[{ type: 'string', value: 'αβγ', literal: true }], [{ type: 'atom', value: 'OK' }]]);
  });

  it('keeps a CRLF-looking sequence inside a literal as data', () => {
    expect(one('{4}\r\nOK\r\n\r\n')).toEqual([{ type: 'string', value: 'OK\r\n', literal: true }]);
  });

  it('waits for the rest of a line rather than guessing', () => {
    const reader = new ResponseReader();
    reader.push(Buffer.from('OK "Logged'));
    expect(reader.next()).toBeNull();
    reader.push(Buffer.from(' in."\r\n'));
    expect(reader.next()).toEqual([
      { type: 'atom', value: 'OK' },
      { type: 'string', value: 'Logged in.', literal: false },
    ]);
    expect(reader.next()).toBeNull();
  });

  it('refuses a bare LF and a CR without LF', () => {
    protocolError(() => lines('OK\n'));
    protocolError(() => lines('OK\rX'));
  });

  it(`refuses a line longer than ${MAX_RESPONSE_LINE_OCTETS} octets even before its end arrives`, () => {
    const e = protocolError(() => lines(`"${'x'.repeat(MAX_RESPONSE_LINE_OCTETS + 10)}`));
    expect(e.message).toMatch(/longer than/);
  });

  it('does not count literal octets against the line limit', () => {
    const big = 'y'.repeat(MAX_RESPONSE_LINE_OCTETS * 2);
    expect(one(`{${big.length}}\r\n${big}\r\n`)[0]).toMatchObject({ type: 'string', literal: true });
  });

  it(`refuses a literal announced larger than ${MAX_LITERAL_OCTETS} octets without waiting for it`, () => {
    protocolError(() => lines(`{${MAX_LITERAL_OCTETS + 1}}\r\n`));
  });

  it('refuses malformed literal headers', () => {
    protocolError(() => lines('{}\r\n'));
    protocolError(() => lines('{12x}\r\n'));
    protocolError(() => lines('{3} \r\nabc\r\n'));
  });
});

describe('parseResponse', () => {
  const response = (input: string) => parseResponse(one(input));

  it('reads OK with text', () => {
    expect(response('OK "Logged in."\r\n')).toEqual({ kind: 'OK', text: 'Logged in.' });
  });

  it('reads NO whose text is a literal (Dovecot sends multi-line errors that way)', () => {
    const text = 'line 2: error: unknown command \'frobnicate\'.\r\nerror: validation failed.\r\n';
    const octets = Buffer.byteLength(text);
    expect(response(`NO {${octets}}\r\n${text}\r\n`)).toEqual({ kind: 'NO', text });
  });

  it('reads response codes with sub-codes, and upper-cases them', () => {
    expect(response('NO (quota/maxscripts) "Too many scripts"\r\n')).toEqual({
      kind: 'NO',
      code: { name: 'QUOTA/MAXSCRIPTS', args: [] },
      text: 'Too many scripts',
    });
    expect(response('OK (WARNINGS) "line 3: warning: x"\r\n')?.code).toEqual({ name: 'WARNINGS', args: [] });
    expect(response('NO (NONEXISTENT) "There is no script by that name"\r\n')?.code?.name).toBe('NONEXISTENT');
  });

  it('reads response codes with a quoted or literal argument', () => {
    expect(response('OK (SASL "cnNwYXV0aD1lYTQwZjYwMzM1YzQyN2I1NTI3Yjg0ZGJhYmNkZmZmZA==")\r\n')).toEqual({
      kind: 'OK',
      code: { name: 'SASL', args: ['cnNwYXV0aD1lYTQwZjYwMzM1YzQyN2I1NTI3Yjg0ZGJhYmNkZmZmZA=='] },
    });
    expect(response('OK (TAG {3}\r\nabc) "Done"\r\n')).toEqual({
      kind: 'OK',
      code: { name: 'TAG', args: ['abc'] },
      text: 'Done',
    });
  });

  it('reads an extension response code with a nested list', () => {
    expect(response('NO (X-FOO 1 ("a" b)) "x"\r\n')?.code).toEqual({ name: 'X-FOO', args: ['1', 'a', 'b'] });
  });

  it('reads BYE (TRYLATER)', () => {
    expect(response('BYE (TRYLATER) "Server shutting down."\r\n')).toEqual({
      kind: 'BYE',
      code: { name: 'TRYLATER', args: [] },
      text: 'Server shutting down.',
    });
  });

  it('accepts a quoted response code (a Cyrus quirk)', () => {
    expect(response('NO ("NONEXISTENT") "no"\r\n')?.code?.name).toBe('NONEXISTENT');
  });

  it('treats a script named "OK" as data, not as a response', () => {
    expect(response('"OK" ACTIVE\r\n')).toBeNull();
    expect(response('"NO"\r\n')).toBeNull();
  });

  it('refuses unbalanced parentheses', () => {
    protocolError(() => response('NO (QUOTA "x"\r\n'));
  });
});

describe('parseCapabilities', () => {
  it('reads a Dovecot capability block', () => {
    const caps = parseCapabilities(
      lines(
        '"IMPLEMENTATION" "Dovecot Pigeonhole"\r\n',
        '"SIEVE" "fileinto reject envelope vacation comparator-i;ascii-numeric"\r\n',
        '"NOTIFY" "mailto"\r\n',
        '"SASL" "plain LOGIN"\r\n',
        '"STARTTLS"\r\n',
        '"MAXREDIRECTS" "4"\r\n',
        '"VERSION" "1.0"\r\n',
      ),
    );
    expect(caps).toEqual({
      implementation: 'Dovecot Pigeonhole',
      sieve: ['fileinto', 'reject', 'envelope', 'vacation', 'comparator-i;ascii-numeric'],
      sasl: ['PLAIN', 'LOGIN'],
      starttls: true,
      maxRedirects: 4,
      notify: ['mailto'],
      version: '1.0',
      raw: {
        IMPLEMENTATION: 'Dovecot Pigeonhole',
        SIEVE: 'fileinto reject envelope vacation comparator-i;ascii-numeric',
        NOTIFY: 'mailto',
        SASL: 'plain LOGIN',
        STARTTLS: '',
        MAXREDIRECTS: '4',
        VERSION: '1.0',
      },
    });
  });

  it('reads an empty SASL list (Dovecot before STARTTLS with plaintext auth disabled)', () => {
    const caps = parseCapabilities(lines('"SASL" ""\r\n', '"STARTTLS"\r\n'));
    expect(caps.sasl).toEqual([]);
    expect(caps.starttls).toBe(true);
    expect(caps.maxRedirects).toBeUndefined();
  });

  it('refuses a capability line that is not string [SP string]', () => {
    expect(() => parseCapabilities(lines('"SIEVE" "a" "b"\r\n'))).toThrow(ManageSieveError);
  });
});
