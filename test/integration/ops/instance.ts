// An API instance for the ops tests: like test/support/server.ts, but the logger is built the
// way server.ts builds it (with logging.auditFile), so the audit split is tested as it runs.
import { Writable } from 'node:stream';
import { loadConfig, type AppConfig } from '../../../api/src/config/load';
import { ManageSieveClient } from '../../../api/src/backends/managesieve';
import { sieveConnectOptions } from '../../../api/src/backends/sieve-sessions';
import { createLogger } from '../../../api/src/logging';
import { createServices, type Services } from '../../../api/src/services';
import { serveApi } from '../../support/listen';

export interface Instance {
  url: string;
  services: Services;
  /** What went to the main log stream (stdout in production), parsed. */
  mainLines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startInstance(adjust: (config: AppConfig) => AppConfig = (c) => c): Promise<Instance> {
  const base = loadConfig('deploy/config/local.yaml', {});
  const config = adjust({ ...base, server: { ...base.server, port: 0 } });
  const mainLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) mainLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger(config.logging.level, sink, { auditFile: config.logging.auditFile });
  const services = createServices(config, logger, { processMetrics: false });
  const { url, close } = await serveApi(config, services);
  return {
    url,
    services,
    mainLines,
    close,
  };
}

/** Runs `work` on a fresh master-user ManageSieve session as `uid` (outside the API). */
export async function asSieveUser<T>(config: AppConfig, uid: string, work: (c: ManageSieveClient) => Promise<T>): Promise<T> {
  const client = await ManageSieveClient.connect(sieveConnectOptions(config, uid));
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

/** The user's active script text ('' when none). */
export function activeScriptOf(config: AppConfig, uid: string): Promise<string> {
  return asSieveUser(config, uid, async (c) => {
    const active = (await c.listScripts()).find((s) => s.active);
    return active ? c.getScript(active.name) : '';
  });
}
