import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionHandle } from '../../../api/src/auth/session-store';
import type { AppConfig } from '../../../api/src/config/load';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { resetUser } from '../../support/stack';
import { signedIn } from './support';

// A back end that accepts connections and never says a word (a hung director), configured as
// a director: every request ends within the configured timeouts with a clear error. No stack
// piece is stopped.

let silent: Server;
const sockets = new Set<Socket>();
let port = 0;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const CONNECT_MS = 800;
const transport = (config: AppConfig): AppConfig['mailTransport'] => ({ ...config.mailTransport, connectTimeoutMs: CONNECT_MS, commandTimeoutMs: 1500 });

describe('a director that accepts and stays silent', () => {
  it('as the only director: sign-in and every settings request end within the timeout with mail_unavailable', async () => {
    const server: TestServer = await startTestServer((config) => ({
      ...config,
      directors: [{ name: 'silent', host: '127.0.0.1', imapPort: port, sievePort: port }],
      mailTransport: transport(config),
    }));
    try {
      const started = performance.now();
      const signIn = await new ApiClient(server.url).signIn('load191', 'load-pass');
      expect(signIn.status).toBe(503);
      expect(signIn.body.code).toBe('mail_unavailable');
      expect(performance.now() - started).toBeLessThan(CONNECT_MS + 1500);

      // A session made directly (sign-in cannot succeed here): every route gives up in time.
      const account = await server.services.directory.getAccount('load191');
      const session = server.services.sessions.create(account!.uid, account!.dn);
      // …with the server-side record a sign-in would have written (a sealed cookie alone is no session).
      await server.services.sessionStore.create(
        session.sid,
        { handle: newSessionHandle(), uid: session.uid, method: 'password', createdAt: session.authTime, lastSeen: session.authTime, clientAddress: '127.0.0.1', userAgent: 'test' },
        3600,
      );
      const client = new ApiClient(server.url);
      client.cookie = `emailng_session=${await server.services.sessions.seal(session)}`;
      client.csrfToken = session.csrf;
      for (const path of ['/api/vacation', '/api/spam', '/api/forwarding', '/api/quota', '/api/overview']) {
        const t0 = performance.now();
        const res = await client.request('GET', path);
        const ms = performance.now() - t0;
        expect(ms, path).toBeLessThan(2 * CONNECT_MS + 1500);
        if (path === '/api/overview' && res.status === 200) {
          expect(res.body.unavailable, path).toEqual(expect.arrayContaining(['script']));
        } else {
          expect(res.status, `${path}: ${res.text}`).toBe(503);
          expect(res.body.code, path).toBe('mail_unavailable');
        }
      }
    } finally {
      await server.close();
    }
  }, 60_000);

  it('as the first director: requests go on through theano, each new connection paying at most the connect timeout', async () => {
    const uid = 'load192';
    await resetUser(uid);
    const server = await startTestServer((config) => ({
      ...config,
      directors: [{ name: 'silent', host: '127.0.0.1', imapPort: port, sievePort: port }, ...config.directors],
      mailTransport: transport(config),
    }));
    try {
      const t0 = performance.now();
      const client = await signedIn(server.url, uid);
      expect(performance.now() - t0).toBeLessThan(CONNECT_MS + 1000);
      const t1 = performance.now();
      expect((await client.request('GET', '/api/overview')).status).toBe(200);
      expect(performance.now() - t1).toBeLessThan(CONNECT_MS + 1000);
      expect(await server.services.sieve.use(uid, async (c) => c.endpoint.name)).toBe('theano');
      // Pooled now: no more waiting for the silent director (a new connection would try it
      // first and wait out the connect timeout).
      const t2 = performance.now();
      expect((await client.request('GET', '/api/vacation')).status).toBe(200);
      expect(performance.now() - t2).toBeLessThan(CONNECT_MS);
    } finally {
      await server.close();
    }
  }, 60_000);
});
