import { Hono } from 'hono';
import { ApiError } from '../http/errors';
import type { Services } from '../services';
import { addressFilter } from './metrics';

/** GET /metrics (Prometheus text format), only to the configured addresses (default loopback).
 *  The client address is the socket's, or — with server.trustProxy — the one the reverse proxy
 *  forwarded; the nginx example does not pass /metrics on at all. */
export function metricsRoutes(services: Services): Hono {
  const { metrics: settings } = services.config;
  const allowed = addressFilter(settings.allowFrom);
  return new Hono().get('/metrics', async (c) => {
    if (!settings.enabled) throw new ApiError('not_found', 'metrics are turned off (config metrics.enabled)');
    if (!allowed(c.get('clientAddress'))) throw new ApiError('forbidden', 'metrics are not served to your address (config metrics.allowFrom)');
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', services.metrics.contentType);
    return c.body(await services.metrics.text(), 200);
  });
}
