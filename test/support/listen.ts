// Listening on loopback for tests and benchmarks: a free port, and the real API served on one.
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/src/app';
import type { AppConfig } from '../../api/src/config/load';
import { closeServices, type Services } from '../../api/src/services';

/** A loopback port nothing listens on just now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServedApi {
  url: string;
  /** Stops listening, then closes the services (pooled back-end connections). */
  close(): Promise<void>;
}

/**
 * Serves the API built from `services` on a free loopback port. It listens first and builds
 * the app after, so the app's public origin (the CSRF check) is the real URL; `config` (the
 * one `services` were made from) gets that origin.
 */
export async function serveApi(config: AppConfig, services: Services): Promise<ServedApi> {
  const late: { app?: ReturnType<typeof createApp> } = {};
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (request, env) => late.app!.fetch(request, env), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.server = { ...config.server, publicOrigin: url };
  late.app = createApp(services);
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeServices(services);
    },
  };
}
