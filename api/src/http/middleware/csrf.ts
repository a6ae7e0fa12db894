import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Every state-changing request must come from our own pages:
 * - no cross-site Origin / Sec-Fetch-Site (browsers send these on every POST/DELETE);
 * - a JSON body, which another site cannot send without a CORS preflight we never grant;
 * - for signed-in users, the session's CSRF token echoed in X-CSRF-Token.
 * Sign-in itself has no session yet; the first two checks guard it.
 */
export function csrfProtection(options: { allowedOrigins: string[]; tokenExempt: (method: string, path: string) => boolean }): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins);
  return async function csrfMiddleware(c, next) {
    const method = c.req.method;
    if (SAFE_METHODS.has(method)) return next();

    const origin = c.req.header('origin');
    if (origin !== undefined && !allowed.has(origin)) throw new ApiError('csrf', 'cross-origin request refused');
    if (c.req.header('sec-fetch-site') === 'cross-site') throw new ApiError('csrf', 'cross-site request refused');

    if (method !== 'DELETE') {
      const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') throw new ApiError('unsupported_media_type', 'send the body as application/json');
    }

    const session = c.get('session');
    if (session && !options.tokenExempt(method, c.req.path)) {
      const token = c.req.header('x-csrf-token');
      if (!token || !sameToken(token, session.csrf)) throw new ApiError('csrf', 'missing or wrong X-CSRF-Token header');
    }
    await next();
  };
}
