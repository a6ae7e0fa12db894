// A throwaway redis-server (Debian's package) on a free loopback port, for tests that need the
// state several API instances share. Nothing is saved to disk; stop() kills exactly this one.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../../support/listen';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  // redis-server logs "Ready to accept connections" once it listens: wait for that line (the
  // rest of its log is read and dropped, so a full pipe never blocks it), then check with a PING.
  await new Promise<void>((resolve, reject) => {
    let log: string | null = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (log === null) return;
      log += chunk.toString('utf8');
      if (log.includes('Ready to accept connections')) {
        log = null;
        resolve();
      }
    });
    child.once('error', reject);
    child.once('exit', () => reject(new Error('redis-server did not start (is the redis group of deploy/install-packages.sh installed?)')));
  });
  if (!(await ping(port))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server said it was ready but does not answer PING on port ${port}`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
