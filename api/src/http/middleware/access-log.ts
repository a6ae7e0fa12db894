import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../logging';

/** One line per request. The query string is left out: it may carry a single sign-on token. */
export function accessLog(logger: Logger): MiddlewareHandler {
  const log = logger.child({ log: 'access' });
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    log.info({
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      client: c.get('clientAddress'),
      uid: c.get('session')?.uid,
    });
  };
}
