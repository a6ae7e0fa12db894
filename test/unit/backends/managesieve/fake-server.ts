/**
 * An in-process ManageSieve server on 127.0.0.1:0, scripted per test. By default it behaves
 * like Dovecot for the session set-up (greeting, AUTHENTICATE, CAPABILITY, LOGOUT); a test's
 * `handle` answers everything else, and may take over any command by returning true.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { ManageSieveEndpoint } from '../../../../api/src/backends/managesieve';

const SIEVE =
  '"SIEVE" "fileinto reject envelope encoded-character vacation subaddress comparator-i;ascii-numeric relational regex imap4flags copy include variables body enotify environment mailbox date index ihave duplicate mime foreverypart extracttext"\r\n';

/** What a Dovecot login process (a director) advertises before login. */
export const DOVECOT_CAPS =
  '"IMPLEMENTATION" "Dovecot Pigeonhole"\r\n' + SIEVE + '"NOTIFY" "mailto"\r\n' + '"SASL" "PLAIN LOGIN"\r\n' + '"VERSION" "1.0"\r\n';

/** What the Dovecot back end answers to CAPABILITY after login: MAXREDIRECTS, but no SASL. */
export const BACKEND_CAPS =
  '"IMPLEMENTATION" "Dovecot (Debian) Pigeonhole"\r\n' + SIEVE + '"MAXREDIRECTS" "4"\r\n' + '"NOTIFY" "mailto"\r\n' + '"VERSION" "1.0"\r\n';

export const GREETING = `${DOVECOT_CAPS}OK "Dovecot ready."\r\n`;

export interface ReceivedCommand {
  /** The command's first line without CRLF, decoded as UTF-8 (literal octets not included). */
  line: string;
  /** Upper-cased first word. */
  verb: string;
  /** The whole command as received, literals and final CRLF included. */
  raw: Buffer;
  /** The octets of each literal in the command. */
  literals: Buffer[];
}

export interface FakeSession {
  readonly index: number;
  send(text: string | Buffer): void;
  /** Ends the TCP connection (FIN). */
  end(): void;
  destroy(): void;
  /** Upgrades this session to TLS (after the test answered OK to STARTTLS). */
  startTls(context: { key: string; cert: string }): Promise<void>;
  readonly commands: ReceivedCommand[];
}

export interface FakeServerOptions {
  /** Sent on connect; null sends nothing (a server that hangs at greeting). */
  greeting?: string | null;
  /** Answers to CAPABILITY after login. */
  capabilities?: string;
  /** Return true when the command was answered; otherwise the default applies. */
  handle?: (cmd: ReceivedCommand, session: FakeSession) => boolean | void | Promise<boolean | void>;
}

export interface FakeServer {
  readonly port: number;
  endpoint(name: string, host?: string): ManageSieveEndpoint;
  readonly sessions: FakeSession[];
  /** Every command received, on every session, in order of arrival. */
  readonly commands: ReceivedCommand[];
  /** Errors thrown by a test's handler: checked by the test, since a server cannot fail it. */
  readonly errors: unknown[];
  close(): Promise<void>;
}

/** Splits complete commands (with `{N+}` literals) off the front of `buf`. */
function takeCommand(buf: Buffer): { cmd: ReceivedCommand; rest: Buffer } | null {
  let pos = 0;
  const literals: Buffer[] = [];
  let firstLine: string | undefined;
  for (;;) {
    const crlf = buf.indexOf('\r\n', pos);
    if (crlf < 0) return null;
    const segment = buf.subarray(pos, crlf).toString('utf8');
    firstLine ??= segment;
    const m = /\{(\d+)\+?\}$/.exec(segment);
    if (!m) {
      const raw = buf.subarray(0, crlf + 2);
      const line = firstLine;
      return {
        cmd: { line, verb: (line.split(' ')[0] ?? '').toUpperCase(), raw: Buffer.from(raw), literals },
        rest: buf.subarray(crlf + 2),
      };
    }
    const size = Number(m[1]);
    const start = crlf + 2;
    if (buf.length < start + size) return null;
    literals.push(Buffer.from(buf.subarray(start, start + size)));
    pos = start + size;
  }
}

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const sessions: FakeSession[] = [];
  const all: ReceivedCommand[] = [];
  const errors: unknown[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((plain) => {
    let socket: net.Socket = plain;
    sockets.add(plain);
    plain.on('error', () => {});
    let buffer: Buffer = Buffer.alloc(0);
    let chain: Promise<void> = Promise.resolve();

    const session: FakeSession = {
      index: sessions.length,
      commands: [],
      send: (text) => {
        if (!socket.destroyed) socket.write(text);
      },
      end: () => socket.end(),
      destroy: () => socket.destroy(),
      startTls: (context) =>
        new Promise<void>((resolve, reject) => {
          plain.off('data', onData);
          const secure = new tls.TLSSocket(plain, { isServer: true, key: context.key, cert: context.cert });
          sockets.add(secure);
          secure.on('error', () => {});
          secure.on('data', onData);
          secure.once('secure', () => resolve());
          secure.once('error', reject);
          socket = secure;
        }),
    };
    sessions.push(session);

    const dispatch = async (cmd: ReceivedCommand): Promise<void> => {
      try {
        if (options.handle && (await options.handle(cmd, session)) === true) return;
        switch (cmd.verb) {
          case 'AUTHENTICATE':
            session.send('OK "Logged in."\r\n');
            return;
          case 'CAPABILITY':
            session.send(`${options.capabilities ?? BACKEND_CAPS}OK "Capability completed."\r\n`);
            return;
          case 'LOGOUT':
            session.send('OK "Logout completed."\r\n');
            socket.end();
            return;
          default:
            session.send(`NO "Unexpected command ${cmd.verb} in fake server"\r\n`);
        }
      } catch (e) {
        errors.push(e);
      }
    };

    function onData(chunk: Buffer): void {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const taken = takeCommand(buffer);
        if (!taken) return;
        buffer = taken.rest;
        session.commands.push(taken.cmd);
        all.push(taken.cmd);
        chain = chain.then(() => dispatch(taken.cmd));
      }
    }
    plain.on('data', onData);

    const greeting = options.greeting === undefined ? GREETING : options.greeting;
    if (greeting !== null) session.send(greeting);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    endpoint: (name, host = '127.0.0.1') => ({ name, host, port }),
    sessions,
    commands: all,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
