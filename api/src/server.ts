import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/load';
import { applyKeepAlive } from './http/keep-alive';
import { createLogger } from './logging';
import { closeServices, createServices } from './services';

function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logging.level, undefined, { auditFile: config.logging.auditFile });
  const services = createServices(config, logger);
  const app = createApp(services);
  const server = serve({ fetch: app.fetch, hostname: config.server.host, port: config.server.port }, (info) => {
    console.log(`EmailNG Settings listening on http://${info.address}:${info.port} (public origin ${config.server.publicOrigin})`);
  }) as Server;
  applyKeepAlive(server);
  const shutdown = () => {
    server.close();
    void closeServices(services).finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main();
