import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/src/app';
import { loadConfig, type AppConfig } from '../../api/src/config/load';
import { createLogger } from '../../api/src/logging';
import { closeServices, createServices, type Services } from '../../api/src/services';

export interface TestServer {
  url: string;
  services: Services;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The raw log text, to search for things that must never be logged. */
  rawLogs(): string;
  close(): Promise<void>;
}

/** Starts the real API (on the local stack's config) on a free loopback port. */
export async function startTestServer(adjust: (config: AppConfig) => AppConfig = (c) => c): Promise<TestServer> {
  const base = loadConfig('deploy/config/local.yaml', {});
  const config = adjust({ ...base, server: { ...base.server, port: 0 } });
  let raw = '';
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      raw += text;
      for (const line of text.split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const services = createServices(config, createLogger('debug', sink));
  // Listen first, then build the app, so its public origin (CSRF check) is the real URL.
  const late: { app?: ReturnType<typeof createApp> } = {};
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: (request, env) => late.app!.fetch(request, env), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  config.server = { ...config.server, publicOrigin: url };
  late.app = createApp(services);
  return {
    url,
    services,
    logs,
    rawLogs: () => raw,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeServices(services);
    },
  };
}
