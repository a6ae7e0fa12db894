import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/listen';
import { REPO_ROOT } from '../../support/stack';

// The API as production starts it (api/src/server.ts, its own process): an idle keep-alive
// connection outlives Node's default 5 s, so nginx's pooled upstream connections (kept 60 s,
// deploy/nginx) are never closed under it by the app.

let child: ChildProcess;
let port: number;

beforeAll(async () => {
  port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CONFIG: 'deploy/config/local.yaml', PORT: String(port) },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if ((await fetch(`http://127.0.0.1:${port}/api/me`).catch(() => null))?.status === 401) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the API did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 40_000);
afterAll(() => {
  child?.kill('SIGTERM');
});

/** Sends one GET on `socket` and resolves with the status line of the answer. */
function get(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (headEnd >= 0 && text.length >= headEnd + 4 + length) {
        socket.off('data', onData);
        resolve(text.slice(0, text.indexOf('\r\n')));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`connection closed before an answer to ${path}`)));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe('the API process', () => {
  it('keeps an idle keep-alive connection open past Node’s default 5 s', async () => {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((r) => socket.once('connect', r));
    try {
      expect(await get(socket, '/api/me')).toBe('HTTP/1.1 401 Unauthorized');
      await new Promise((r) => setTimeout(r, 6_000));
      expect(socket.destroyed).toBe(false);
      expect(await get(socket, '/api/me')).toBe('HTTP/1.1 401 Unauthorized');
    } finally {
      socket.destroy();
    }
  }, 20_000);
});
