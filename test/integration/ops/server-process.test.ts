import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { freePort } from '../../support/listen';
import { REPO_ROOT } from '../../support/stack';

// The API as production starts it (api/src/server.ts, its own process, SIGTERM on a restart):
// an idle keep-alive connection outlives Node's default 5 s, so nginx's pooled upstream
// connections (kept 60 s, deploy/nginx) are never closed under it; and a restart lets the
// answers under way finish instead of cutting them.

const dir = mkdtempSync(path.join(tmpdir(), 'emailng-process-'));
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ApiProcess {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

/** Starts api/src/server.ts on a free port with the local config, changed by `adjust`. */
async function startApiProcess(adjust: (config: Record<string, unknown>) => void = () => undefined): Promise<ApiProcess> {
  const port = await freePort();
  const config = parse(readFileSync(path.join(REPO_ROOT, 'deploy/config/local.yaml'), 'utf8')) as Record<string, unknown>;
  adjust(config);
  const file = path.join(dir, `config-${port}.yaml`);
  writeFileSync(file, stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CONFIG: file, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  running.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Ready when it says it listens (server.ts prints that once the port is bound); the rest of
  // its output is read and dropped, so a full pipe never blocks it.
  let output: string | null = '';
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (output === null) return;
      output += chunk.toString('utf8');
      if (output.includes(' listening on http://')) {
        output = null;
        resolve();
      }
    });
    void exited.then((code) => reject(new Error(`the API exited (${code}) before it listened`)));
  });
  await listening;
  return { child, port, exited };
}

/** Sends one request on `socket` and resolves with the whole answer's status line and body. */
function send(socket: Socket, port: number, request: { method: string; path: string; json?: unknown }): Promise<{ status: string; body: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const headEnd = text.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (headEnd >= 0 && Buffer.byteLength(text.slice(headEnd + 4)) >= length) {
        socket.off('data', onData);
        resolve({ status: text.slice(0, text.indexOf('\r\n')), body: text.slice(headEnd + 4) });
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`connection closed before the answer to ${request.path}`)));
    const body = request.json === undefined ? '' : JSON.stringify(request.json);
    const headers = [
      `${request.method} ${request.path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      'Connection: keep-alive',
      ...(body ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`] : []),
    ];
    socket.write(`${headers.join('\r\n')}\r\n\r\n${body}`);
  });
}

async function openSocket(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((r) => socket.once('connect', r));
  return socket;
}

describe('the API process', () => {
  it('keeps an idle keep-alive connection open past Node’s default 5 s', async () => {
    const api = await startApiProcess();
    const socket = await openSocket(api.port);
    try {
      expect((await send(socket, api.port, { method: 'GET', path: '/api/me' })).status).toBe('HTTP/1.1 401 Unauthorized');
      await new Promise((r) => setTimeout(r, 6_000));
      expect(socket.destroyed).toBe(false);
      expect((await send(socket, api.port, { method: 'GET', path: '/api/me' })).status).toBe('HTTP/1.1 401 Unauthorized');
    } finally {
      socket.destroy();
    }
  }, 40_000);

  describe('on SIGTERM', () => {
    // A director that accepts and never answers: a sign-in through it is under way for the
    // whole connect timeout, long enough to stop the process in the middle of it.
    let silent: Server;
    const held = new Set<Socket>();
    let silentPort = 0;
    /** Resolves the next time something connects to the silent director. */
    let onConnection: () => void = () => undefined;
    beforeAll(async () => {
      silent = createServer((s) => {
        held.add(s);
        s.on('error', () => undefined);
        onConnection();
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      silentPort = (silent.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const s of held) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('finishes the request under way, closes idle connections, refuses new ones, and exits 0', async () => {
      const api = await startApiProcess((config) => {
        config.directors = [{ name: 'silent', host: '127.0.0.1', imapPort: silentPort, sievePort: silentPort }];
        config.mailTransport = { ...(config.mailTransport as object), connectTimeoutMs: 1500, commandTimeoutMs: 1500 };
      });
      const idle = await openSocket(api.port);
      expect((await send(idle, api.port, { method: 'GET', path: '/api/me' })).status).toBe('HTTP/1.1 401 Unauthorized');
      const busy = await openSocket(api.port);
      const reachedDirector = new Promise<void>((resolve) => (onConnection = resolve));
      const signIn = send(busy, api.port, { method: 'POST', path: '/api/session', json: { username: 'alice', password: 'alice-demo-pass' } });
      // The password is checked and the director is being waited for: stop now.
      await reachedDirector;
      api.child.kill('SIGTERM');

      const idleClosed = new Promise((r) => idle.once('close', r));
      const answer = await signIn;
      expect(answer.status).toBe('HTTP/1.1 503 Service Unavailable');
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'mail_unavailable' });
      await idleClosed;
      expect(await fetch(`http://127.0.0.1:${api.port}/api/me`).catch((e: Error) => e)).toBeInstanceOf(Error);
      expect(await api.exited).toBe(0);
      busy.destroy();
    }, 40_000);
  });
});
