import type { Server } from 'node:http';

/**
 * How long the app keeps an idle HTTP connection open. nginx (deploy/nginx) keeps its idle
 * upstream connections to the app for its `keepalive_timeout` (60 s there); if the app closed
 * them first (Node's default is 5 s), nginx would now and then send a request down a
 * connection the app is closing at that moment, and the user would get a 502 — for a save,
 * with no retry, since nginx does not repeat a PUT or POST. So the app waits longer than nginx.
 */
export const KEEP_ALIVE_MS = 65_000;

export function applyKeepAlive(server: Pick<Server, 'keepAliveTimeout' | 'headersTimeout'>): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // Node wants the headers timeout above the keep-alive one, or a request arriving at the end
  // of the idle window can be cut off.
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}
