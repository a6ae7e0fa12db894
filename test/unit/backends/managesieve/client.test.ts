import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ManageSieveClient,
  ManageSieveError,
  type ManageSieveConnectOptions,
  type ManageSieveEndpoint,
} from '../../../../api/src/backends/managesieve';
import {
  DOVECOT_CAPS,
  GREETING,
  refusedPort,
  startFakeServer,
  type FakeServer,
  type FakeServerOptions,
} from './fake-server';

const servers: FakeServer[] = [];
const clients: ManageSieveClient[] = [];

async function server(options: FakeServerOptions = {}): Promise<FakeServer> {
  const s = await startFakeServer(options);
  servers.push(s);
  return s;
}

function options(endpoints: ManageSieveEndpoint[], extra: Partial<ManageSieveConnectOptions> = {}): ManageSieveConnectOptions {
  return {
    endpoints,
    tls: 'none',
    connectTimeoutMs: 1000,
    commandTimeoutMs: 1000,
    auth: { authcid: 'emailng-api', password: 'master-secret', authzid: 'bob' },
    ...extra,
  };
}

async function connect(opts: ManageSieveConnectOptions): Promise<ManageSieveClient> {
  const c = await ManageSieveClient.connect(opts);
  clients.push(c);
  return c;
}

/** Connects to one fake server answering the test's commands with `handle`. */
async function session(handle: FakeServerOptions['handle'], extra: FakeServerOptions = {}) {
  const s = await server({ handle, ...extra });
  const client = await connect(options([s.endpoint('theano')]));
  return { s, client };
}

async function rejection(promise: Promise<unknown>): Promise<ManageSieveError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(ManageSieveError);
    return e as ManageSieveError;
  }
  throw new Error('expected a rejection');
}

/** A handler that leaves `verb` unanswered, and a promise settled when it arrives. */
function commandArrives(verb: string): { handle: NonNullable<FakeServerOptions['handle']>; promise: Promise<void> } {
  let arrived!: () => void;
  const promise = new Promise<void>((resolve) => (arrived = resolve));
  return {
    promise,
    handle: (cmd) => {
      if (cmd.verb !== verb) return false;
      arrived();
      return true;
    },
  };
}

afterEach(async () => {
  vi.useRealTimers();
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) {
    expect(s.errors).toEqual([]);
    await s.close();
  }
});

describe('session set-up', () => {
  it('authenticates with SASL PLAIN carrying the authzid, then re-reads capabilities from the back end', async () => {
    const s = await server();
    const client = await connect(options([s.endpoint('theano')]));
    const [auth, capability] = s.commands;
    const initial = Buffer.from('bob\0emailng-api\0master-secret').toString('base64');
    expect(auth?.line).toBe(`AUTHENTICATE "PLAIN" "${initial}"`);
    expect(capability?.line).toBe('CAPABILITY');
    expect(client.usable).toBe(true);
    expect(client.endpoint.name).toBe('theano');
    expect(client.capabilities.implementation).toBe('Dovecot (Debian) Pigeonhole'); // the back end's
    expect(client.capabilities.maxRedirects).toBe(4); // only the back end's CAPABILITY has it
    expect(client.capabilities.sasl).toEqual(['PLAIN', 'LOGIN']); // only the greeting has it
    expect(client.capabilities.sieve).toContain('vacation');
    expect(client.capabilities.version).toBe('1.0');
  });

  it('sends no authzid when none is given (plain user login)', async () => {
    const s = await server();
    await connect(options([s.endpoint('theano')], { auth: { authcid: 'alice', password: 'alice-demo-pass' } }));
    expect(s.commands[0]?.line).toBe(`AUTHENTICATE "PLAIN" "${Buffer.from('\0alice\0alice-demo-pass').toString('base64')}"`);
  });

  it('maps a refused login to AUTH_FAILED with the server text, and does not try the next endpoint', async () => {
    const first = await server({
      handle: (cmd, sess) => {
        if (cmd.verb !== 'AUTHENTICATE') return false;
        sess.send('NO "Authentication failed."\r\n');
        return true;
      },
    });
    const second = await server();
    const e = await rejection(connect(options([first.endpoint('theano'), second.endpoint('elysso')])));
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.serverText).toBe('Authentication failed.');
    expect(e.endpoint?.name).toBe('theano');
    expect(e.message).not.toContain('master-secret');
    expect(second.sessions).toHaveLength(0);
  });

  it('refuses to send credentials when SASL PLAIN is not offered', async () => {
    const s = await server({ greeting: `"SASL" ""\r\n"VERSION" "1.0"\r\nOK "ready"\r\n` });
    const e = await rejection(connect(options([s.endpoint('theano')])));
    expect(e.code).toBe('AUTH_FAILED');
    expect(s.commands).toHaveLength(0);
  });

  it('rejects options without endpoints or with a bad timeout', async () => {
    expect((await rejection(ManageSieveClient.connect(options([])))).code).toBe('BAD_ARGUMENT');
    const s = await server();
    expect((await rejection(ManageSieveClient.connect(options([s.endpoint('a')], { commandTimeoutMs: 0 })))).code).toBe('BAD_ARGUMENT');
  });
});

describe('failover between the directors', () => {
  it('goes on to the second endpoint when the first refuses the connection', async () => {
    const elysso = await server();
    const client = await connect(options([{ name: 'theano', host: '127.0.0.1', port: await refusedPort() }, elysso.endpoint('elysso')]));
    expect(client.endpoint.name).toBe('elysso');
    expect(client.usable).toBe(true);
  });

  it('goes on when the first accepts but never greets within connectTimeoutMs', async () => {
    const theano = await server({ greeting: null });
    const elysso = await server();
    const started = Date.now();
    const client = await connect(options([theano.endpoint('theano'), elysso.endpoint('elysso')], { connectTimeoutMs: 200 }));
    expect(client.endpoint.name).toBe('elysso');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('goes on when the first says BYE (TRYLATER) at greeting', async () => {
    const theano = await server({ greeting: 'BYE (TRYLATER) "Server shutting down."\r\n' });
    const elysso = await server();
    const client = await connect(options([theano.endpoint('theano'), elysso.endpoint('elysso')]));
    expect(client.endpoint.name).toBe('elysso');
  });

  it('goes on when the first says a plain BYE at greeting', async () => {
    const theano = await server({ greeting: 'BYE "Too many connections"\r\n' });
    const elysso = await server();
    const client = await connect(options([theano.endpoint('theano'), elysso.endpoint('elysso')]));
    expect(client.endpoint.name).toBe('elysso');
  });

  it('goes on when the proxy answers NO (TRYLATER) to the login (back end unreachable)', async () => {
    const theano = await server({
      handle: (cmd, sess) => {
        if (cmd.verb !== 'AUTHENTICATE') return false;
        sess.send('NO (TRYLATER) "Account is temporarily unavailable."\r\n');
        return true;
      },
    });
    const elysso = await server();
    const client = await connect(options([theano.endpoint('theano'), elysso.endpoint('elysso')]));
    expect(client.endpoint.name).toBe('elysso');
  });

  it('connectTimeoutMs also covers the login: a director that never answers AUTHENTICATE is passed over', async () => {
    const theano = await server({ handle: (cmd) => cmd.verb === 'AUTHENTICATE' });
    const elysso = await server();
    const client = await connect(options([theano.endpoint('theano'), elysso.endpoint('elysso')], { connectTimeoutMs: 200 }));
    expect(client.endpoint.name).toBe('elysso');
  });

  it('reports ALL_ENDPOINTS_FAILED with what happened on each endpoint', async () => {
    const theano = await server({ greeting: 'BYE (TRYLATER) "busy"\r\n' });
    const port = await refusedPort();
    const e = await rejection(
      ManageSieveClient.connect(options([theano.endpoint('theano'), { name: 'elysso', host: '127.0.0.1', port }])),
    );
    expect(e.code).toBe('ALL_ENDPOINTS_FAILED');
    expect(e.attempts?.map((a) => [a.endpoint?.name, a.code])).toEqual([
      ['theano', 'TRYLATER'],
      ['elysso', 'CONNECT_FAILED'],
    ]);
    expect(e.message).toContain('theano');
    expect(e.message).toContain('elysso');
  });

  it('reports TIMEOUT for an endpoint that hangs, inside ALL_ENDPOINTS_FAILED', async () => {
    const theano = await server({ greeting: null });
    const e = await rejection(ManageSieveClient.connect(options([theano.endpoint('theano')], { connectTimeoutMs: 100 })));
    expect(e.code).toBe('ALL_ENDPOINTS_FAILED');
    expect(e.attempts?.[0]?.code).toBe('TIMEOUT');
  });
});

describe('commands', () => {
  it('LISTSCRIPTS reads names (quoted or literal) and the ACTIVE flag', async () => {
    const { s, client } = await session((cmd, sess) => {
      if (cmd.verb !== 'LISTSCRIPTS') return false;
      sess.send('"roundcube"\r\n"emailng" ACTIVE\r\n{12}\r\nΦίλτρα\r\n"OK"\r\nOK "Listscripts completed."\r\n');
      return true;
    });
    expect(await client.listScripts()).toEqual([
      { name: 'roundcube', active: false },
      { name: 'emailng', active: true },
      { name: 'Φίλτρα', active: false },
      { name: 'OK', active: false },
    ]);
    expect(s.commands.at(-1)?.line).toBe('LISTSCRIPTS');
  });

  it('GETSCRIPT returns the literal byte-exact, Greek and CRLF included', async () => {
    const script = 'require "vacation";\r\nvacation :subject "Εκτός γραφείου" "Λείπω.";\n';
    const { s, client } = await session((cmd, sess) => {
      if (cmd.verb !== 'GETSCRIPT') return false;
      sess.send(`{${Buffer.byteLength(script)}}\r\n${script}\r\nOK "Getscript completed."\r\n`);
      return true;
    });
    expect(await client.getScript('Φίλτρα')).toBe(script);
    expect(s.commands.at(-1)?.line).toBe('GETSCRIPT "Φίλτρα"');
  });

  it('PUTSCRIPT sends the script as a {N+} literal of its UTF-8 octets, unchanged', async () => {
    const script = 'require "fileinto";\nif header :contains "subject" "Ειδοποίηση" { fileinto "Ειδοποιήσεις"; }\r\n';
    const { s, client } = await session((cmd, sess) => {
      if (cmd.verb !== 'PUTSCRIPT') return false;
      sess.send('OK "Putscript completed."\r\n');
      return true;
    });
    expect(await client.putScript('emailng', script)).toEqual({});
    const put = s.commands.at(-1);
    expect(put?.line).toBe(`PUTSCRIPT "emailng" {${Buffer.byteLength(script, 'utf8')}+}`);
    expect(put?.literals[0]?.equals(Buffer.from(script, 'utf8'))).toBe(true);
  });

  it('PUTSCRIPT and CHECKSCRIPT return the WARNINGS text', async () => {
    const { client } = await session((cmd, sess) => {
      if (cmd.verb !== 'PUTSCRIPT' && cmd.verb !== 'CHECKSCRIPT') return false;
      sess.send('OK (WARNINGS) "line 1: warning: LF without preceding CR"\r\n');
      return true;
    });
    expect(await client.putScript('a', 'keep;\n')).toEqual({ warnings: 'line 1: warning: LF without preceding CR' });
    expect(await client.checkScript('keep;\n')).toEqual({ warnings: 'line 1: warning: LF without preceding CR' });
  });

  it('CHECKSCRIPT failure carries the server full error text from a literal, line numbers included', async () => {
    const text = "line 2: error: unknown command 'frobnicate' (only reported first).\r\nerror: validation failed.\r\n";
    const { client } = await session((cmd, sess) => {
      if (cmd.verb !== 'CHECKSCRIPT') return false;
      sess.send(`NO {${Buffer.byteLength(text)}}\r\n${text}\r\n`);
      return true;
    });
    const e = await rejection(client.checkScript('keep;\nfrobnicate;\n'));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.serverText).toBe(text);
    expect(e.message).toContain('line 2: error');
    expect(client.usable).toBe(true); // a NO is an answer, not a broken session
  });

  it('sends SETACTIVE "", DELETESCRIPT, RENAMESCRIPT, HAVESPACE and NOOP as RFC 5804 lines', async () => {
    const { s, client } = await session((cmd, sess) => {
      if (['SETACTIVE', 'DELETESCRIPT', 'RENAMESCRIPT', 'HAVESPACE', 'NOOP'].includes(cmd.verb)) {
        sess.send('OK\r\n');
        return true;
      }
      return false;
    });
    await client.setActive('');
    await client.setActive('emailng');
    await client.deleteScript('old "one"');
    await client.renameScript('a', 'Φίλτρα');
    await client.haveSpace('emailng', 2048);
    await client.noop();
    expect(s.commands.slice(2).map((c) => c.line)).toEqual([
      'SETACTIVE ""',
      'SETACTIVE "emailng"',
      'DELETESCRIPT "old \\"one\\""',
      'RENAMESCRIPT "a" "Φίλτρα"',
      'HAVESPACE "emailng" 2048',
      'NOOP',
    ]);
  });

  it('refuses a bad script name before sending anything, and stays usable', async () => {
    const { s, client } = await session(() => false);
    const before = s.commands.length;
    for (const call of [
      client.getScript(''),
      client.putScript('a\nb', 'keep;'),
      client.deleteScript('x/y'),
      client.renameScript('ok', 'bad\u0085'),
      client.haveSpace('ok', -1),
    ]) {
      expect((await rejection(call)).code).toBe('BAD_ARGUMENT');
    }
    expect(s.commands.length).toBe(before);
    expect(client.usable).toBe(true);
  });

  it('answers QUOTA for a HAVESPACE size beyond 32 bits without asking', async () => {
    const { s, client } = await session(() => false);
    const before = s.commands.length;
    const e = await rejection(client.haveSpace('emailng', 2 ** 40));
    expect(e.code).toBe('QUOTA');
    expect(s.commands.length).toBe(before);
  });

  it('LOGOUT is polite, closes, fires close, and never throws', async () => {
    const { s, client } = await session(() => false);
    let closed = 0;
    client.on('close', () => closed++);
    await client.logout();
    expect(s.commands.at(-1)?.line).toBe('LOGOUT');
    expect(client.usable).toBe(false);
    expect(closed).toBe(1);
    await client.logout(); // again: no throw
    expect((await rejection(client.noop())).code).toBe('CLOSED');
  });

  it('LOGOUT does not throw when the server never answers', async () => {
    const arrived = commandArrives('LOGOUT');
    const s = await server({ handle: arrived.handle });
    const client = await connect(options([s.endpoint('theano')], { commandTimeoutMs: 100 }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const loggedOut = client.logout();
    await arrived.promise;
    await vi.advanceTimersByTimeAsync(100);
    await expect(loggedOut).resolves.toBeUndefined();
    expect(client.usable).toBe(false);
  });
});

describe('error codes', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['NO (QUOTA) "Quota exceeded"', 'QUOTA', 'QUOTA'],
    ['NO (QUOTA/MAXSCRIPTS) "Too many scripts"', 'QUOTA', 'QUOTA/MAXSCRIPTS'],
    ['NO (QUOTA/MAXSIZE) "Script is too large"', 'QUOTA', 'QUOTA/MAXSIZE'],
    ['NO (NONEXISTENT) "There is no script by that name"', 'NONEXISTENT', 'NONEXISTENT'],
    ['NO (ACTIVE) "You may not delete an active script"', 'ACTIVE', 'ACTIVE'],
    ['NO (ALREADYEXISTS) "A script with that name already exists"', 'ALREADYEXISTS', 'ALREADYEXISTS'],
    ['NO (TRYLATER) "Internal error occurred"', 'TRYLATER', 'TRYLATER'],
    ['NO "Something else"', 'COMMAND_FAILED', undefined],
    ['NO (X-UNKNOWN) "Vendor code"', 'COMMAND_FAILED', 'X-UNKNOWN'],
  ];
  for (const [answer, code, responseCode] of cases) {
    it(`maps ${answer} to ${code}`, async () => {
      const { client } = await session((cmd, sess) => {
        if (cmd.verb !== 'DELETESCRIPT') return false;
        sess.send(`${answer}\r\n`);
        return true;
      });
      const e = await rejection(client.deleteScript('emailng'));
      expect(e.code).toBe(code);
      expect(e.responseCode).toBe(responseCode);
      expect(e.serverText).toBe(/"(.*)"/.exec(answer)?.[1]);
      expect(e.endpoint?.name).toBe('theano');
      expect(client.usable).toBe(true);
    });
  }

  it('a BYE in answer to a command gives BYE and makes the client unusable', async () => {
    const { client } = await session((cmd, sess) => {
      if (cmd.verb !== 'NOOP') return false;
      sess.send('BYE "Server shutting down."\r\n');
      sess.end();
      return true;
    });
    let closed = false;
    client.on('close', () => (closed = true));
    const e = await rejection(client.noop());
    expect(e.code).toBe('BYE');
    expect(e.serverText).toBe('Server shutting down.');
    expect(client.usable).toBe(false);
    expect(closed).toBe(true);
  });

  it('an unsolicited BYE while idle (Dovecot idle timeout) makes the client unusable', async () => {
    const { s, client } = await session(() => false);
    const closed = new Promise<void>((resolve) => client.on('close', resolve));
    s.sessions[0]?.send('BYE "Disconnected for inactivity."\r\n');
    await closed;
    expect(client.usable).toBe(false);
    const e = await rejection(client.noop());
    expect(e.code).toBe('CLOSED');
  });

  it('garbage from the server is a PROTOCOL error and ends the session', async () => {
    const { client } = await session((cmd, sess) => {
      if (cmd.verb !== 'NOOP') return false;
      sess.send('OK "unterminated\r\n');
      return true;
    });
    expect((await rejection(client.noop())).code).toBe('PROTOCOL');
    expect(client.usable).toBe(false);
  });

  it('bytes arriving between commands (the server out of step) are a PROTOCOL error', async () => {
    const { client } = await session((cmd, sess) => {
      if (cmd.verb !== 'NOOP') return false;
      // One write on loopback arrives as one chunk: the stray half line is buffered by the time
      // the first NOOP resolves, with no waiting.
      sess.send('OK\r\nOK "half a li');
      return true;
    });
    await client.noop();
    expect((await rejection(client.noop())).code).toBe('PROTOCOL');
    expect(client.usable).toBe(false);
  });

  it('a malformed GETSCRIPT reply is a PROTOCOL error and ends the session', async () => {
    const { client } = await session((cmd, sess) => {
      if (cmd.verb !== 'GETSCRIPT') return false;
      sess.send('OK "no script sent"\r\n');
      return true;
    });
    expect((await rejection(client.getScript('emailng'))).code).toBe('PROTOCOL');
    expect(client.usable).toBe(false);
  });

  it('a server that closes mid-command gives CLOSED', async () => {
    const { client } = await session((cmd, sess) => {
      if (cmd.verb !== 'NOOP') return false;
      sess.destroy();
      return true;
    });
    expect((await rejection(client.noop())).code).toBe('CLOSED');
    expect(client.usable).toBe(false);
  });
});

describe('timeouts and serialization', () => {
  it('a command without answer times out, destroys the connection, and fails the queued commands', async () => {
    const arrived = commandArrives('NOOP');
    const s = await server({ handle: arrived.handle });
    const client = await connect(options([s.endpoint('theano')], { commandTimeoutMs: 150 }));
    let closed = false;
    client.on('close', () => (closed = true));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = rejection(client.noop());
    const queued = rejection(client.listScripts());
    // The command's timer runs from when it was sent: once the server has it, time moves on.
    await arrived.promise;
    await vi.advanceTimersByTimeAsync(149);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const e = await first;
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toContain('NOOP');
    expect((await queued).code).toBe('CLOSED');
    expect(client.usable).toBe(false);
    expect(closed).toBe(true);
    expect(s.commands.map((c) => c.verb)).not.toContain('LISTSCRIPTS');
  });

  it('concurrent calls are sent one at a time, each after the previous answer', async () => {
    const events: string[] = [];
    // How many commands had arrived when each was handled. A client that sent the next command
    // before the answer would have them all arrive together (the calls below are made at once).
    const arrivedWhenHandled: number[] = [];
    const { client } = await session(async (cmd, sess) => {
      if (cmd.verb === 'AUTHENTICATE' || cmd.verb === 'CAPABILITY') return false;
      events.push(`recv ${cmd.line}`);
      arrivedWhenHandled.push(sess.commands.length);
      if (cmd.verb === 'GETSCRIPT') sess.send(`{2}\r\n${cmd.line.slice(-2, -1)};\r\nOK\r\n`);
      else sess.send('OK\r\n');
      events.push(`answered ${cmd.verb}`);
      return true;
    });
    const results = await Promise.all([client.getScript('a'), client.noop(), client.getScript('b'), client.setActive('b')]);
    expect(results).toEqual(['a;', undefined, 'b;', undefined]);
    expect(arrivedWhenHandled).toEqual([3, 4, 5, 6]);
    expect(events).toEqual([
      'recv GETSCRIPT "a"',
      'answered GETSCRIPT',
      'recv NOOP',
      'answered NOOP',
      'recv GETSCRIPT "b"',
      'answered GETSCRIPT',
      'recv SETACTIVE "b"',
      'answered SETACTIVE',
    ]);
  });

  it('a failing command does not stop the ones queued behind it', async () => {
    const { client } = await session((cmd, sess) => {
      if (cmd.verb === 'DELETESCRIPT') sess.send('NO (NONEXISTENT) "no"\r\n');
      else if (cmd.verb === 'NOOP') sess.send('OK\r\n');
      else return false;
      return true;
    });
    const [del, noop] = await Promise.allSettled([client.deleteScript('x'), client.noop()]);
    expect(del.status).toBe('rejected');
    expect(noop.status).toBe('fulfilled');
  });

  it('close() fails the running and queued commands with CLOSED at once', async () => {
    const { client } = await session((cmd) => cmd.verb === 'NOOP');
    const running = rejection(client.noop());
    const queued = rejection(client.noop());
    client.close();
    expect((await running).code).toBe('CLOSED');
    expect((await queued).code).toBe('CLOSED');
  });
});

describe('STARTTLS', () => {
  let dir: string;
  let key: string;
  let cert: string;

  // A throwaway certificate for the fake server. openssl is always there where these tests run:
  // dovecot-core, which the local stack installs, depends on it.
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'managesieve-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'),
        '-out', join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=sieve.test', '-addext', 'subjectAltName=DNS:sieve.test'],
      { stdio: 'ignore' },
    );
    key = readFileSync(join(dir, 'k.pem'), 'utf8');
    cert = readFileSync(join(dir, 'c.pem'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tlsGreeting = `"SASL" ""\r\n"STARTTLS"\r\n"VERSION" "1.0"\r\nOK "Dovecot ready."\r\n`;

  function tlsServer(afterOk = '') {
    return server({
      greeting: tlsGreeting,
      handle: async (cmd, sess) => {
        if (cmd.verb !== 'STARTTLS') return false;
        sess.send(`OK "Begin TLS negotiation now."\r\n${afterOk}`);
        await sess.startTls({ key, cert });
        sess.send(`${DOVECOT_CAPS}OK "TLS negotiation successful."\r\n`);
        return true;
      },
    });
  }

  it('upgrades, re-reads the capabilities sent after the handshake, then authenticates over TLS', async () => {
    const s = await tlsServer();
    const client = await connect(
      options([s.endpoint('theano')], { tls: 'starttls-if-offered', tlsOptions: { ca: cert, servername: 'sieve.test' } }),
    );
    expect(s.commands.map((c) => c.verb)).toEqual(['STARTTLS', 'AUTHENTICATE', 'CAPABILITY']);
    expect(client.capabilities.sasl).toEqual(['PLAIN', 'LOGIN']);
    expect(client.usable).toBe(true);
  });

  it('counts a certificate it cannot verify as a failed endpoint', async () => {
    const s = await tlsServer();
    const e = await rejection(ManageSieveClient.connect(options([s.endpoint('theano')], { tls: 'starttls-required' })));
    expect(e.code).toBe('ALL_ENDPOINTS_FAILED');
    expect(e.attempts?.[0]?.code).toBe('CONNECT_FAILED');
    expect(e.attempts?.[0]?.message).toMatch(/TLS/);
  });

  it('refuses data injected after the STARTTLS OK (before the handshake)', async () => {
    const s = await tlsServer('OK "injected"\r\n');
    const e = await rejection(
      ManageSieveClient.connect(options([s.endpoint('theano')], { tls: 'starttls-if-offered', tlsOptions: { ca: cert, servername: 'sieve.test' } })),
    );
    expect(e.attempts?.[0]?.code).toBe('PROTOCOL');
    expect(s.commands.map((c) => c.verb)).not.toContain('AUTHENTICATE');
  });

  it('with starttls-required, an endpoint that does not offer STARTTLS fails before any credentials are sent', async () => {
    const plain = await server({ greeting: GREETING });
    const e = await rejection(ManageSieveClient.connect(options([plain.endpoint('theano')], { tls: 'starttls-required' })));
    expect(e.attempts?.[0]?.message).toMatch(/STARTTLS is required/);
    expect(plain.commands).toHaveLength(0);
  });

  it("with tls 'none', STARTTLS is not used even when offered", async () => {
    const s = await server({ greeting: `${DOVECOT_CAPS}"STARTTLS"\r\nOK "ready"\r\n` });
    await connect(options([s.endpoint('theano')]));
    expect(s.commands.map((c) => c.verb)).toEqual(['AUTHENTICATE', 'CAPABILITY']);
  });
});
