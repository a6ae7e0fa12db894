import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/load';
import { applyKeepAlive } from './http/keep-alive';
import { createLogger } from './logging';
import { closeServices, createServices } from './services';

/** How long answers under way may take to finish on SIGTERM (a restart, a deploy); systemd
 *  allows 15 s (TimeoutStopSec in deploy/systemd) before it kills the process. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Stops taking connections and lets every request under way finish — a save interrupted
 * between PUTSCRIPT and its answer would leave the user not knowing whether it happened —
 * closing each kept-alive connection as soon as it is idle; after the grace period the rest
 * are cut. Then `done` (the back-end connections close after the last answer, not before).
 */
function stopGracefully(server: Server, done: () => void): void {
  server.close(() => {
    clearInterval(idleSweep);
    done();
  });
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
}

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
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stopGracefully(server, () => void closeServices(services).finally(() => process.exit(0)));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main();
