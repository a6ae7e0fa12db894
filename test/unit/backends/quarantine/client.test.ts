import { afterEach, describe, expect, it } from 'vitest';
import {
  QuarantineError,
  decodeValue,
  encodeRequest,
  encodeValue,
  parseAnswer,
  releaseMessage,
  type ReleaseRequest,
} from '../../../../api/src/backends/quarantine';
import { refusedPort, startFakeAmpdp, type FakeAmpdp } from './fake-ampdp';

// What amavisd 2.13 answered in the stack (deploy/amavis/README.md).
const SAVED = 'setreply=250 2.0.0 from%20MTA(lmtp:[127.0.0.1]:11024):%20250%202.0.0%20<carol@cs.ucy.ac.cy>%20CLtuCgehFms+agAAg+zDdQ%20Saved\r\n';
const WRONG_SECRET =
  'setreply=450 4.5.0 Failure:%20Secret_id%20AAAAAAAAAAAA%20does%20not%20match%20mail_id%20plXlsqvhOUpC\r\nreturn_value=tempfail\r\nexit_code=75\r\n';

const release: ReleaseRequest = { mailId: 'plXlsqvhOUpC', secretId: 'G-_q1anGInnd', requestedBy: 'carol@cs.ucy.ac.cy' };

let server: FakeAmpdp | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(promise: Promise<unknown>): Promise<QuarantineError> {
  const error = await promise.then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QuarantineError);
  return error as QuarantineError;
}

describe('AM.PDP encoding', () => {
  it('encodes %, space, controls and every non-ASCII byte; keeps the rest of printable ASCII', () => {
    expect(encodeValue('<carol@cs.ucy.ac.cy>')).toBe('<carol@cs.ucy.ac.cy>');
    expect(encodeValue('a b%c=d')).toBe('a%20b%25c=d');
    expect(encodeValue('x\r\ny\0')).toBe('x%0D%0Ay%00');
    expect(encodeValue('Σίσυφος')).toBe('%CE%A3%CE%AF%CF%83%CF%85%CF%86%CE%BF%CF%82');
    expect(encodeValue('\u200b\u202e')).toBe('%E2%80%8B%E2%80%AE');
    expect(encodeValue('')).toBe('');
  });

  it('decodes %XX of either case to UTF-8, leaves a stray % alone, and round-trips any text', () => {
    expect(decodeValue('from%20MTA')).toBe('from MTA');
    expect(decodeValue('%ce%a3%CE%AF')).toBe('Σί');
    expect(decodeValue('100%')).toBe('100%');
    expect(decodeValue('%zz')).toBe('%zz');
    expect(decodeValue('%FF')).toBe('\ufffd');
    for (const text of ['ς σ Σ', 'Ά\u0301', 'e\u0301', 'tab\there', '%%%', '=']) expect(decodeValue(encodeValue(text))).toBe(text);
  });

  it('ends the request with an empty line and refuses names that would need encoding', () => {
    expect(encodeRequest([['request', 'release'], ['mail_id', 'abc']])).toBe('request=release\r\nmail_id=abc\r\n\r\n');
    expect(() => encodeRequest([['bad name', 'x']])).toThrow();
    expect(() => encodeRequest([['a=b', 'x']])).toThrow();
  });

  it('parses an answer only once its empty line arrived; repeated names keep their order', () => {
    expect(parseAnswer('setreply=250 ok\r\n')).toBeNull();
    const parsed = parseAnswer('setreply=250 a\r\nsetreply=450 b\nexit_code=75\r\n\r\nnext=1\r\n')!;
    expect(parsed.length).toBe('setreply=250 a\r\nsetreply=450 b\nexit_code=75\r\n\r\n'.length);
    expect([...parsed.answer]).toEqual([
      ['setreply', ['250 a', '450 b']],
      ['exit_code', ['75']],
    ]);
    expect(() => parseAnswer('garbage\r\n\r\n')).toThrow(/name=value/);
    expect(() => parseAnswer('=novalue\r\n\r\n')).toThrow(/name=value/);
  });
});

describe('releaseMessage against a fake AM.PDP server', () => {
  it('sends the release request and resolves with the decoded reply', async () => {
    server = await startFakeAmpdp(() => [SAVED, '\r\n']);
    const result = await releaseMessage({ host: '127.0.0.1', port: server.port }, release);
    expect(result.replies).toEqual(['250 2.0.0 from MTA(lmtp:[127.0.0.1]:11024): 250 2.0.0 <carol@cs.ucy.ac.cy> CLtuCgehFms+agAAg+zDdQ Saved']);
    expect(server.requests).toEqual([
      'request=release\r\nmail_id=plXlsqvhOUpC\r\nsecret_id=G-_q1anGInnd\r\nquar_type=Q\r\nrequested_by=<carol@cs.ucy.ac.cy>\r\n\r\n',
    ]);
  });

  it('reads an answer that arrives a byte at a time, and asks for named recipients', async () => {
    const answer = `${SAVED}${SAVED}\r\n`;
    server = await startFakeAmpdp(() => answer.split(''));
    const result = await releaseMessage(
      { host: '127.0.0.1', port: server.port },
      { ...release, recipients: ['carol@cs.ucy.ac.cy', 'carol.danvers@cs.ucy.ac.cy'] },
    );
    expect(result.replies).toHaveLength(2);
    expect(server.requests[0]).toContain('recipient=<carol@cs.ucy.ac.cy>\r\nrecipient=<carol.danvers@cs.ucy.ac.cy>\r\n\r\n');
  });

  it('rejects with RELEASE_FAILED and the replies when a secret_id does not match', async () => {
    server = await startFakeAmpdp(() => [WRONG_SECRET, '\r\n']);
    const error = await failure(releaseMessage({ host: '127.0.0.1', port: server.port }, { ...release, secretId: 'AAAAAAAAAAAA' }));
    expect(error.code).toBe('RELEASE_FAILED');
    expect(error.replies[0]).toMatch(/^450 4\.5\.0 Failure: Secret_id AAAAAAAAAAAA does not match/);
  });

  it('rejects with RELEASE_FAILED when only one of two recipients got a 2xx', async () => {
    server = await startFakeAmpdp(() => [SAVED, 'setreply=554 5.1.1 no such user\r\n\r\n']);
    const error = await failure(releaseMessage({ host: '127.0.0.1', port: server.port }, release));
    expect(error.code).toBe('RELEASE_FAILED');
    expect(error.replies).toHaveLength(2);
  });

  it('rejects with PROTOCOL on an answer without setreply or with a malformed line', async () => {
    server = await startFakeAmpdp(() => ['return_value=continue\r\n\r\n']);
    expect((await failure(releaseMessage({ host: '127.0.0.1', port: server.port }, release))).code).toBe('PROTOCOL');
    await server.close();
    server = await startFakeAmpdp(() => ['220 this is SMTP\r\n\r\n']);
    expect((await failure(releaseMessage({ host: '127.0.0.1', port: server.port }, release))).code).toBe('PROTOCOL');
  });

  it('rejects with CLOSED when the server hangs up without an answer (what amavisd does outside inet_acl)', async () => {
    server = await startFakeAmpdp((_request, socket) => {
      socket.destroy();
      return null;
    });
    expect((await failure(releaseMessage({ host: '127.0.0.1', port: server.port }, release))).code).toBe('CLOSED');
  });

  it('rejects with TIMEOUT when the answer never ends', async () => {
    server = await startFakeAmpdp(() => [SAVED]);
    const error = await failure(releaseMessage({ host: '127.0.0.1', port: server.port, timeoutMs: 200 }, release));
    expect(error.code).toBe('TIMEOUT');
  });

  it('rejects with CONNECT_FAILED when nothing listens', async () => {
    const port = await refusedPort();
    expect((await failure(releaseMessage({ host: '127.0.0.1', port }, release))).code).toBe('CONNECT_FAILED');
  });

  it.each([
    ['a mail_id with a line break', { mailId: 'plXlsqvhOUpC\r\nrequest=requeue' }],
    ['a mail_id with a space', { mailId: 'plXl sqvhOUp' }],
    ['an empty secret_id', { secretId: '' }],
    ['a secret_id in Greek', { secretId: 'ΑΒΓΔΕΖΗΘΙΚΛΜ' }],
    ['requested_by with angle brackets', { requestedBy: '<carol@cs.ucy.ac.cy>' }],
    ['requested_by with CRLF', { requestedBy: 'carol@cs.ucy.ac.cy\r\nsecret_id=x' }],
    ['a recipient that is not an address', { recipients: ['carol'] }],
  ] as const)('refuses %s with BAD_ARGUMENT and sends nothing', async (_what, change) => {
    server = await startFakeAmpdp(() => [SAVED, '\r\n']);
    const error = await failure(releaseMessage({ host: '127.0.0.1', port: server.port }, { ...release, ...change }));
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(server.requests).toEqual([]);
  });
});
