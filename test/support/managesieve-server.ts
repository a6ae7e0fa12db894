/**
 * A ManageSieve server (RFC 5804) that keeps scripts, on a real TCP socket on 127.0.0.1:0.
 *
 * Unlike the per-test scripted server of the client's own tests, this one has state: each
 * user's scripts and which one is active, so code above the client (ScriptStore) can be tested
 * against the protocol rather than against a mock of the client. It speaks the commands the app
 * uses: AUTHENTICATE PLAIN (master user + authzid), CAPABILITY, LISTSCRIPTS, GETSCRIPT,
 * PUTSCRIPT and CHECKSCRIPT (with literals), SETACTIVE, DELETESCRIPT, RENAMESCRIPT, HAVESPACE,
 * NOOP, LOGOUT. It reads requests with its own tokenizer, not the app's parser, so a framing
 * bug in the client is not mirrored here.
 *
 * Faults are armed per test (`fault`): answer a command with a given NO, drop the connection
 * in the middle of a PUTSCRIPT literal (nothing stored), or drop it after storing (the OK lost).
 */
import * as net from 'node:net';

const SIEVE_EXTENSIONS =
  'fileinto reject envelope encoded-character vacation subaddress comparator-i;ascii-numeric relational regex imap4flags copy include variables body enotify environment mailbox date index ihave duplicate mime foreverypart extracttext spamtest spamtestplus';

/** One user's scripts as the server holds them. */
export interface SieveAccount {
  scripts: Map<string, string>;
  active: string | null;
}

export type ServerFault =
  /** Answer with this line (e.g. `NO (QUOTA/MAXSIZE) "Script is too large."`) and do nothing else. */
  | { kind: 'answer'; line: string }
  /** Close the socket once the command's header has arrived, before its literal is taken. */
  | { kind: 'drop-mid-literal' }
  /** Do the command, then close the socket instead of answering. */
  | { kind: 'drop-after' };

export interface ArmedFault {
  verb: string;
  fault: ServerFault;
  /** How many times it fires (default once). */
  times: number;
}

export interface ReceivedRequest {
  session: number;
  user: string | null;
  verb: string;
  args: string[];
}

export interface ManageSieveServerOptions {
  master: { name: string; password: string };
  /** Largest script PUTSCRIPT and HAVESPACE accept (octets); Pigeonhole's default is 1 MiB. */
  maxScriptSize?: number;
  /** MAXREDIRECTS advertised after login. */
  maxRedirects?: number;
  /** The server's verdict on a script text: null accepts, a string is the NO's text. */
  validate?: (text: string) => string | null;
}

export interface ManageSieveServer {
  readonly port: number;
  readonly host: string;
  /** The user's scripts (created empty on first use): seed and inspect them directly. */
  account(user: string): SieveAccount;
  /** Arms a fault for the next `times` commands `verb` (any user, any session). */
  fault(verb: string, fault: ServerFault, times?: number): void;
  /** Every request, in order of arrival. */
  readonly requests: ReceivedRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** One request taken off the front of the buffer, or null while it is incomplete. */
interface Parsed {
  args: Buffer[];
  /** Octets consumed. */
  length: number;
  /** Where the first literal's octets start, when the request has one. */
  literalAt: number | null;
}

/**
 * Tokenizes one request: atoms, quoted strings (`\"` and `\\` escapes), and literals
 * (`{N}` or `{N+}` + CRLF + N octets), ending at a CRLF outside a literal.
 */
export function parseRequest(buf: Buffer): Parsed | null {
  const args: Buffer[] = [];
  let literalAt: number | null = null;
  let pos = 0;
  while (pos < buf.length) {
    const byte = buf[pos] as number;
    if (byte === 0x20) {
      pos += 1;
    } else if (byte === 0x0d) {
      if (pos + 1 >= buf.length) return null;
      return { args, length: pos + 2, literalAt };
    } else if (byte === 0x22) {
      const out: number[] = [];
      pos += 1;
      for (;;) {
        if (pos >= buf.length) return null;
        const c = buf[pos] as number;
        if (c === 0x5c) {
          if (pos + 1 >= buf.length) return null;
          out.push(buf[pos + 1] as number);
          pos += 2;
        } else if (c === 0x22) {
          pos += 1;
          break;
        } else {
          out.push(c);
          pos += 1;
        }
      }
      args.push(Buffer.from(out));
    } else if (byte === 0x7b) {
      const header = /^\{(\d+)\+?\}\r\n/.exec(buf.subarray(pos, pos + 24).toString('latin1'));
      if (!header) return buf.indexOf('\r\n', pos) < 0 ? null : { args: [], length: buf.indexOf('\r\n', pos) + 2, literalAt: null };
      const start = pos + header[0].length;
      literalAt ??= start;
      const size = Number(header[1]);
      if (buf.length < start + size) {
        return null;
      }
      args.push(Buffer.from(buf.subarray(start, start + size)));
      pos = start + size;
    } else {
      let end = pos;
      while (end < buf.length && buf[end] !== 0x20 && buf[end] !== 0x0d) end += 1;
      if (end >= buf.length) return null;
      args.push(Buffer.from(buf.subarray(pos, end)));
      pos = end;
    }
  }
  return null;
}

/** A string as the server sends it: quoted when RFC 5804 allows it, a literal otherwise. */
function wireString(value: string): string {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (/[\r\n\0]/.test(value) || bytes > 1024) return `{${bytes}}\r\n${value}`;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A header of a literal whose octets are still on their way: the request's verb is known. */
function pendingVerb(buf: Buffer): string | null {
  const lineEnd = buf.indexOf('\r\n');
  if (lineEnd < 0) return null;
  const firstLine = buf.subarray(0, lineEnd).toString('latin1');
  return /\{\d+\+?\}$/.test(firstLine) ? (firstLine.split(' ')[0] ?? '').toUpperCase() : null;
}

export async function startManageSieveServer(options: ManageSieveServerOptions): Promise<ManageSieveServer> {
  const accounts = new Map<string, SieveAccount>();
  const faults: ArmedFault[] = [];
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const maxScriptSize = options.maxScriptSize ?? 1024 * 1024;
  let connections = 0;

  const account = (user: string): SieveAccount => {
    let found = accounts.get(user);
    if (!found) {
      found = { scripts: new Map(), active: null };
      accounts.set(user, found);
    }
    return found;
  };

  const takeFault = (verb: string, kind?: ServerFault['kind']): ServerFault | null => {
    const armed = faults.find((f) => f.verb === verb && (kind === undefined || f.fault.kind === kind));
    if (!armed) return null;
    armed.times -= 1;
    if (armed.times <= 0) faults.splice(faults.indexOf(armed), 1);
    return armed.fault;
  };

  const greeting = (): string =>
    '"IMPLEMENTATION" "fake ManageSieve"\r\n' +
    `"SIEVE" "${SIEVE_EXTENSIONS}"\r\n` +
    '"SASL" "PLAIN"\r\n' +
    '"VERSION" "1.0"\r\n';

  const server = net.createServer((socket) => {
    connections += 1;
    const session = connections;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    let user: string | null = null;

    const answer = (text: string): void => {
      if (!socket.destroyed) socket.write(text);
    };

    const execute = (verb: string, args: string[]): string => {
      if (verb === 'LOGOUT') return 'OK "Logout completed."\r\n';
      if (verb === 'NOOP') return 'OK "NOOP completed."\r\n';
      if (verb === 'AUTHENTICATE') return authenticate(args);
      if (verb === 'CAPABILITY') {
        const redirects = user !== null && options.maxRedirects !== undefined ? `"MAXREDIRECTS" "${options.maxRedirects}"\r\n` : '';
        return `${user === null ? greeting() : greeting().replace('"SASL" "PLAIN"\r\n', '')}${redirects}OK "Capability completed."\r\n`;
      }
      if (user === null) return 'NO "Authenticate first."\r\n';
      const mine = account(user);
      switch (verb) {
        case 'LISTSCRIPTS': {
          const lines = [...mine.scripts.keys()].map((name) => `${wireString(name)}${mine.active === name ? ' ACTIVE' : ''}\r\n`);
          return `${lines.join('')}OK "Listscripts completed."\r\n`;
        }
        case 'GETSCRIPT': {
          const text = mine.scripts.get(args[0] ?? '');
          if (text === undefined) return 'NO (NONEXISTENT) "Script does not exist."\r\n';
          return `{${Buffer.byteLength(text, 'utf8')}}\r\n${text}\r\nOK "Getscript completed."\r\n`;
        }
        case 'PUTSCRIPT':
        case 'CHECKSCRIPT': {
          const text = (verb === 'PUTSCRIPT' ? args[1] : args[0]) ?? '';
          if (Buffer.byteLength(text, 'utf8') > maxScriptSize) return 'NO (QUOTA/MAXSIZE) "Script is too large."\r\n';
          const problem = options.validate?.(text) ?? null;
          if (problem !== null) return `NO ${wireString(problem)}\r\n`;
          if (verb === 'PUTSCRIPT') mine.scripts.set(args[0] ?? '', text);
          return `OK "${verb === 'PUTSCRIPT' ? 'Putscript' : 'Checkscript'} completed."\r\n`;
        }
        case 'SETACTIVE': {
          const name = args[0] ?? '';
          if (name !== '' && !mine.scripts.has(name)) return 'NO (NONEXISTENT) "Script does not exist."\r\n';
          mine.active = name === '' ? null : name;
          return 'OK "Setactive completed."\r\n';
        }
        case 'DELETESCRIPT': {
          const name = args[0] ?? '';
          if (!mine.scripts.has(name)) return 'NO (NONEXISTENT) "Script does not exist."\r\n';
          if (mine.active === name) return 'NO (ACTIVE) "Cannot delete active script."\r\n';
          mine.scripts.delete(name);
          return 'OK "Deletescript completed."\r\n';
        }
        case 'RENAMESCRIPT': {
          const [from = '', to = ''] = args;
          const text = mine.scripts.get(from);
          if (text === undefined) return 'NO (NONEXISTENT) "Script does not exist."\r\n';
          if (mine.scripts.has(to)) return 'NO (ALREADYEXISTS) "A script with that name already exists."\r\n';
          mine.scripts.delete(from);
          mine.scripts.set(to, text);
          if (mine.active === from) mine.active = to;
          return 'OK "Renamescript completed."\r\n';
        }
        case 'HAVESPACE':
          return Number(args[1]) > maxScriptSize ? 'NO (QUOTA/MAXSIZE) "Script is too large."\r\n' : 'OK "Putscript would succeed."\r\n';
        default:
          return `NO "Unknown command ${verb}."\r\n`;
      }
    };

    const authenticate = (args: string[]): string => {
      if (user !== null) return 'NO "Already authenticated."\r\n';
      if ((args[0] ?? '').toUpperCase() !== 'PLAIN' || args[1] === undefined) return 'NO "Only PLAIN with an initial response."\r\n';
      const [authzid = '', authcid = '', password = ''] = Buffer.from(args[1], 'base64').toString('utf8').split('\0');
      if (authcid !== options.master.name || password !== options.master.password || authzid === '') return 'NO "Authentication failed."\r\n';
      user = authzid;
      return 'OK "Logged in."\r\n';
    };

    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const waiting = pendingVerb(buffer);
        if (waiting !== null && faults.some((f) => f.verb === waiting && f.fault.kind === 'drop-mid-literal')) {
          // The header is here, the literal is not taken: the command never reaches the store,
          // as when the line drops while the script's octets are still on their way.
          takeFault(waiting, 'drop-mid-literal');
          requests.push({ session, user, verb: waiting, args: [] });
          socket.destroy();
          return;
        }
        const parsed = parseRequest(buffer);
        if (parsed === null) return;
        buffer = buffer.subarray(parsed.length);
        const [verbBytes, ...rest] = parsed.args;
        const verb = (verbBytes?.toString('latin1') ?? '').toUpperCase();
        const args = rest.map((a) => a.toString('utf8'));
        requests.push({ session, user, verb, args });
        const fault = takeFault(verb);
        if (fault?.kind === 'answer') {
          answer(`${fault.line}\r\n`);
          continue;
        }
        const reply = execute(verb, args);
        if (fault?.kind === 'drop-after') {
          socket.destroy();
          return;
        }
        answer(reply);
        if (verb === 'LOGOUT') socket.end();
      }
    };
    socket.on('data', onData);
    answer(`${greeting()}OK "fake ManageSieve ready."\r\n`);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    host: '127.0.0.1',
    account,
    fault: (verb, fault, times = 1) => faults.push({ verb: verb.toUpperCase(), fault, times }),
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
