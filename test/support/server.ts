import { Writable } from 'node:stream';
import { loadConfig, type AppConfig } from '../../api/src/config/load';
import { createLogger } from '../../api/src/logging';
import { createServices, type Services } from '../../api/src/services';
import { serveApi } from './listen';

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
  const { url, close } = await serveApi(config, services);
  return {
    url,
    services,
    logs,
    rawLogs: () => raw,
    close,
  };
}
