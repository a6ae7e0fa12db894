import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeValue, encodeValue, parseAnswer, releaseMessage } from '../../../../api/src/backends/quarantine/ampdp';
import { QuarantineError } from '../../../../api/src/backends/quarantine/errors';

/** A stand-in for amavisd's policy port: records each request, answers with `reply(request)`. */
async function fakeAmPdp(reply: (request: Map<string, string[]>) => string | null): Promise<{ port: number; requests: Map<string, string[]>[]; server: Server }> {
  const requests: Map<string, string[]>[] = [];
  const server = createServer((socket) => {
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const request = parseAnswer(text.slice(0, end));
      requests.push(request);
      const answer = reply(request);
      if (answer === null) socket.destroy();
      else socket.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  servers.push(server);
  return { port: address.port, requests, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const request = { mailId: 'plXlsqvhOUpC', secretId: 'G-_q1anGInnd', requestedBy: 'carol@cs.ucy.ac.cy' };

describe('AM.PDP values', () => {
  it('encodes %, =, white space, controls and non-ASCII as %XX and keeps the rest', () => {
    expect(encodeValue('<carol@cs.ucy.ac.cy>')).toBe('<carol@cs.ucy.ac.cy>');
    expect(encodeValue('a b=c%d\r\n')).toBe('a%20b%3Dc%25d%0D%0A');
    expect(encodeValue('Ω')).toBe('%CE%A9');
  });

  it('decodes what it encodes, and leaves a malformed escape as it is', () => {
    for (const value of ['250 2.0.0 from MTA(lmtp:[127.0.0.1]:11024): Saved', 'Καλημέρα = 100%', '\u0000\t']) {
      expect(decodeValue(encodeValue(value))).toBe(value);
    }
    expect(decodeValue('100%zz%4')).toBe('100%zz%4');
  });
});

describe('releaseMessage', () => {
  it('sends the release request and resolves with every recipient reply', async () => {
    const fake = await fakeAmPdp(() => 'setreply=250%202.0.0%20Saved\r\nreturn_value=0\r\n\r\n');
    const result = await releaseMessage({ host: '127.0.0.1', port: fake.port, timeoutMs: 2000 }, request);
    expect(result.replies).toEqual(['250 2.0.0 Saved']);
    const sent = fake.requests[0] as Map<string, string[]>;
    expect(Object.fromEntries([...sent].map(([k, v]) => [k, v.join(',')]))).toEqual({
      request: 'release',
      mail_id: 'plXlsqvhOUpC',
      secret_id: 'G-_q1anGInnd',
      quar_type: 'Q',
      requested_by: '<carol@cs.ucy.ac.cy>',
    });
  });

  it('refuses when any recipient reply is not 2xx, with amavisd words', async () => {
    const fake = await fakeAmPdp(() => 'setreply=450%204.5.0%20Failure:%20Secret_id%20does%20not%20match\r\nreturn_value=tempfail\r\nexit_code=75\r\n\r\n');
    const error = await releaseMessage({ host: '127.0.0.1', port: fake.port, timeoutMs: 2000 }, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuarantineError);
    expect((error as QuarantineError).code).toBe('REFUSED');
    expect((error as QuarantineError).message).toContain('Secret_id does not match');
  });

  it('is unavailable when the port resets the connection without an answer (inet_acl)', async () => {
    const fake = await fakeAmPdp(() => null);
    const error = await releaseMessage({ host: '127.0.0.1', port: fake.port, timeoutMs: 2000 }, request).catch((e: unknown) => e);
    expect((error as QuarantineError).code).toBe('UNAVAILABLE');
  });

  it('is unavailable when nothing listens', async () => {
    const fake = await fakeAmPdp(() => '');
    await new Promise((resolve) => fake.server.close(resolve));
    const error = await releaseMessage({ host: '127.0.0.1', port: fake.port, timeoutMs: 2000 }, request).catch((e: unknown) => e);
    expect((error as QuarantineError).code).toBe('UNAVAILABLE');
  });

  it('is a protocol error when the answer has no setreply', async () => {
    const fake = await fakeAmPdp(() => 'return_value=0\r\n\r\n');
    const error = await releaseMessage({ host: '127.0.0.1', port: fake.port, timeoutMs: 2000 }, request).catch((e: unknown) => e);
    expect((error as QuarantineError).code).toBe('PROTOCOL');
  });
});
