// The ManageSieve client against the real local stack: Dovecot 2.3 + Pigeonhole behind two
// Dovecot proxies standing for the directors (theano, elysso). The app's path exactly:
// master user `emailng-api` acting as the user through SASL PLAIN's authzid.
// Run: bash deploy/stack/up.sh && npx vitest run --project integration test/integration/managesieve.test.ts
//
// Never logs in with a wrong password: a failed Dovecot login delays every later login from
// this address (docs/ARCHITECTURE.md, decision 3); AUTH_FAILED is covered by the unit tests' fake server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ManageSieveClient,
  ManageSieveError,
  type ManageSieveConnectOptions,
  type ManageSieveEndpoint,
} from '../../api/src/backends/managesieve';
import { DIRECTORS, MASTER, SIEVE, USERS, pieceRunning, startPiece, stopPiece, type Director } from '../support/stack';

const USER = USERS.carol.uid;
/** Every script this file creates starts with this, so cleanup never touches others' scripts. */
const PREFIX = 'ms-it-';

const endpointOf = (d: Director): ManageSieveEndpoint => ({ name: d.name, host: d.host, port: d.sievePort });
const THEANO = endpointOf(DIRECTORS[0] as Director);
const ELYSSO = endpointOf(DIRECTORS[1] as Director);

function options(endpoints: ManageSieveEndpoint[]): ManageSieveConnectOptions {
  return {
    endpoints,
    tls: 'starttls-if-offered',
    connectTimeoutMs: 5000,
    commandTimeoutMs: 5000,
    auth: { authcid: MASTER.name, password: MASTER.password, authzid: USER },
  };
}

const open: ManageSieveClient[] = [];
async function connect(endpoints: ManageSieveEndpoint[]): Promise<ManageSieveClient> {
  const client = await ManageSieveClient.connect(options(endpoints));
  open.push(client);
  return client;
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

/** Deactivates and deletes this file's scripts, restoring the user's own active script. */
async function cleanUp(restoreActive: string | undefined): Promise<void> {
  const client = await ManageSieveClient.connect(options([THEANO, ELYSSO]));
  try {
    const scripts = await client.listScripts();
    if (scripts.some((s) => s.active && s.name.startsWith(PREFIX))) {
      await client.setActive(restoreActive !== undefined && scripts.some((s) => s.name === restoreActive) ? restoreActive : '');
    }
    for (const s of scripts) if (s.name.startsWith(PREFIX)) await client.deleteScript(s.name);
  } finally {
    await client.logout();
  }
}

let activeBefore: string | undefined;

beforeAll(async () => {
  for (const d of ['theano', 'elysso'] as const) if (!(await pieceRunning(d))) await startPiece(d);
  const client = await ManageSieveClient.connect(options([THEANO, ELYSSO]));
  activeBefore = (await client.listScripts()).find((s) => s.active)?.name;
  await client.logout();
  await cleanUp(activeBefore);
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
});

afterAll(async () => {
  // Whatever a failover test left behind, both directors run again for the next file.
  await startPiece('theano');
  await startPiece('elysso');
  await cleanUp(activeBefore);
});

describe.each([THEANO, ELYSSO])('through $name', (director) => {
  const name = (s: string) => `${PREFIX}${director.name}-${s}`;

  it('logs in as the user with the master user and reads the back end capabilities', async () => {
    const client = await connect([director]);
    expect(client.endpoint.name).toBe(director.name);
    expect(client.usable).toBe(true);
    expect(client.capabilities.implementation).toMatch(/Pigeonhole/);
    expect(client.capabilities.version).toBe('1.0');
    expect(client.capabilities.maxRedirects).toBe(SIEVE.maxRedirects);
    expect(client.capabilities.sieve).toEqual(expect.arrayContaining(['fileinto', 'vacation', 'spamtest', 'editheader']));
    expect(client.capabilities.sasl).toContain('PLAIN');
  });

  it('round-trips a script with Greek text byte for byte (PUTSCRIPT, LISTSCRIPTS, GETSCRIPT)', async () => {
    const client = await connect([director]);
    // Mixed CRLF and bare LF on purpose: Pigeonhole stores the octets as sent.
    const script =
      'require ["fileinto", "vacation"];\r\n' +
      '# Φίλτρα αλληλογραφίας — «δοκιμή»\n' +
      'if header :contains "subject" "Ειδοποίηση" { fileinto "INBOX"; }\r\n' +
      'vacation :subject "Εκτός γραφείου" "Λείπω μέχρι τη Δευτέρα. 😀";\n';
    const scriptName = name('Φίλτρα');
    expect(await client.putScript(scriptName, script)).toEqual({});
    expect(await client.listScripts()).toContainEqual({ name: scriptName, active: false });
    const back = await client.getScript(scriptName);
    expect(Buffer.from(back, 'utf8').equals(Buffer.from(script, 'utf8'))).toBe(true);
  });

  it('CHECKSCRIPT accepts a valid script and returns the server error text, with line numbers, for a bad one', async () => {
    const client = await connect([director]);
    expect(await client.checkScript('require "fileinto";\nfileinto "INBOX";\n')).toEqual({});
    const e = await rejection(client.checkScript('require "fileinto";\nkeep;\nfileinto "INBOX"\nstop;\n'));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.serverText).toMatch(/^line 3: error: missing semicolon .*\r\nerror: validation failed\.\r\n$/s);
    expect(e.message).toContain('line 3: error');
    expect(client.usable).toBe(true);
  });

  it('PUTSCRIPT of a bad script fails with the server text and stores nothing', async () => {
    const client = await connect([director]);
    const e = await rejection(client.putScript(name('bad'), 'require "nosuchextension";\nkeep;\n'));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.serverText).toMatch(/line 1: error: .*nosuchextension/);
    expect((await client.listScripts()).map((s) => s.name)).not.toContain(name('bad'));
  });

  it('HAVESPACE says yes for a small script and QUOTA (MAXSIZE) for a huge one', async () => {
    const client = await connect([director]);
    await client.haveSpace(name('space'), 1024);
    const e = await rejection(client.haveSpace(name('space'), 4_294_967_295));
    expect(e.code).toBe('QUOTA');
    expect(e.responseCode).toBe('QUOTA/MAXSIZE');
    expect(e.serverText).toMatch(/too large/i);
    expect(e.endpoint?.name).toBe(director.name);
  });

  it('SETACTIVE activates, "" deactivates, and a missing script is NONEXISTENT', async () => {
    const client = await connect([director]);
    await client.putScript(name('active'), 'keep;\n');
    await client.setActive(name('active'));
    expect(await client.listScripts()).toContainEqual({ name: name('active'), active: true });
    await client.setActive('');
    expect((await client.listScripts()).some((s) => s.active)).toBe(false);
    const e = await rejection(client.setActive(name('missing')));
    expect(e.code).toBe('NONEXISTENT');
    expect(e.responseCode).toBe('NONEXISTENT');
  });

  it('DELETESCRIPT of the active script is refused with ACTIVE; of an inactive one, it goes', async () => {
    const client = await connect([director]);
    await client.putScript(name('del'), 'keep;\n');
    await client.setActive(name('del'));
    const e = await rejection(client.deleteScript(name('del')));
    expect(e.code).toBe('ACTIVE');
    await client.setActive('');
    await client.deleteScript(name('del'));
    expect((await client.listScripts()).map((s) => s.name)).not.toContain(name('del'));
    expect((await rejection(client.deleteScript(name('del')))).code).toBe('NONEXISTENT');
  });

  it('RENAMESCRIPT renames, and onto an existing name is ALREADYEXISTS', async () => {
    const client = await connect([director]);
    await client.putScript(name('a'), 'keep;\n');
    await client.putScript(name('b'), 'discard;\n');
    const e = await rejection(client.renameScript(name('a'), name('b')));
    expect(e.code).toBe('ALREADYEXISTS');
    await client.renameScript(name('a'), name('ά-renamed'));
    const names = (await client.listScripts()).map((s) => s.name);
    expect(names).toContain(name('ά-renamed'));
    expect(names).not.toContain(name('a'));
    expect(await client.getScript(name('b'))).toBe('discard;\n');
  });

  it('serializes concurrent calls on one connection and answers each correctly', async () => {
    const client = await connect([director]);
    const scripts = ['keep;\n', 'discard;\n', 'stop;\n'];
    await Promise.all(scripts.map((s, i) => client.putScript(name(`c${i}`), s)));
    const back = await Promise.all(scripts.map((_s, i) => client.getScript(name(`c${i}`))));
    expect(back).toEqual(scripts);
  });

  it('NOOP keeps the session; LOGOUT ends it politely', async () => {
    const client = await connect([director]);
    await client.noop();
    expect(client.usable).toBe(true);
    let closed = false;
    client.on('close', () => (closed = true));
    await client.logout();
    expect(client.usable).toBe(false);
    expect(closed).toBe(true);
    expect((await rejection(client.noop())).code).toBe('CLOSED');
  });
});

describe('a director down', () => {
  it('when theano stops between commands, its session is lost and a new connect carries on through elysso', async () => {
    const script = `# ${PREFIX}failover\nkeep;\n`;
    const first = await connect([THEANO, ELYSSO]);
    expect(first.endpoint.name).toBe('theano');
    await first.putScript(`${PREFIX}failover`, script);
    try {
      await stopPiece('theano');
      // The proxied session died with the proxy: the next command fails, the client is spent.
      const lost = await rejection(first.noop());
      expect(['CLOSED', 'BYE']).toContain(lost.code);
      expect(first.usable).toBe(false);

      const second = await connect([THEANO, ELYSSO]);
      expect(second.endpoint.name).toBe('elysso');
      expect(await second.getScript(`${PREFIX}failover`)).toBe(script);
    } finally {
      await startPiece('theano');
    }
  });

  it('with both directors stopped, connect fails with ALL_ENDPOINTS_FAILED naming each', async () => {
    try {
      await stopPiece('theano');
      await stopPiece('elysso');
      const started = Date.now();
      const e = await rejection(ManageSieveClient.connect(options([THEANO, ELYSSO])));
      expect(e.code).toBe('ALL_ENDPOINTS_FAILED');
      expect(e.attempts?.map((a) => [a.endpoint?.name, a.code])).toEqual([
        ['theano', 'CONNECT_FAILED'],
        ['elysso', 'CONNECT_FAILED'],
      ]);
      expect(e.message).toMatch(/theano.*elysso/s);
      expect(Date.now() - started).toBeLessThan(1000); // refused at once, not a timeout
    } finally {
      await startPiece('theano');
      await startPiece('elysso');
    }
  });
});
