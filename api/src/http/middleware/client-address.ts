import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

declare module 'hono' {
  interface ContextVariableMap {
    /** The end user's address: for throttling, logs, and the directors (x-originating-ip). */
    clientAddress: string;
  }
}

/**
 * Behind the site's reverse proxy, the user's address is the last X-Forwarded-For entry (the
 * one our proxy appended); anything before it is client-supplied and untrusted.
 */
export function clientAddress(options: { trustProxy: boolean }): MiddlewareHandler {
  return async function clientAddressMiddleware(c, next) {
    let address = '';
    if (options.trustProxy) {
      const forwarded = c.req.header('x-forwarded-for');
      address = forwarded?.split(',').pop()?.trim() ?? '';
    }
    if (!address) {
      try {
        address = getConnInfo(c).remote.address ?? '';
      } catch {
        address = ''; // app.request() in tests has no socket
      }
    }
    c.set('clientAddress', address || 'unknown');
    await next();
  };
}
