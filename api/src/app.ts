import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { authRoutes } from './auth/routes';
import { sessionRoutes } from './auth/session-routes';
import { aliasRoutes } from './features/aliases/routes';
import { scriptRoutes } from './features/script/routes';
import { vacationRoutes } from './features/vacation/routes';
import { forwardingRoutes } from './features/forwarding/routes';
import { spamRoutes } from './features/spam/routes';
import { listRoutes } from './features/lists/routes';
import { quotaRoutes } from './features/quota/routes';
import { filterRoutes } from './features/filters/routes';
import { folderRoutes } from './features/folders/routes';
import { quarantineRoutes } from './features/quarantine/routes';
import { overviewRoutes } from './features/overview/routes';
import { ssoRoutes } from './auth/sso-routes';
import { healthRoutes } from './health/routes';
import { metricsMiddleware } from './ops/metrics';
import { metricsRoutes } from './ops/routes';
import { errorMapper } from './http/error-mapper';
import { ApiError } from './http/errors';
import { accessLog } from './http/middleware/access-log';
import { clientAddress } from './http/middleware/client-address';
import { csrfProtection } from './http/middleware/csrf';
import { securityHeaders } from './http/middleware/security-headers';
import { sessionReader } from './http/middleware/session';
import { provideAccounts } from './http/middleware/signed-in';
import { scanLimit } from './http/middleware/scan-limit';
import type { Services } from './services';

/** Builds the HTTP app: the JSON API under /api and the built SPA at /. No side effects:
 *  only server.ts listens, so tests can drive the app directly. */
export function createApp(services: Services): OpenAPIHono {
  const { config, logger } = services;
  const https = new URL(config.server.publicOrigin).protocol === 'https:';
  const cookie = {
    name: config.session.cookieName,
    secure: https,
    sameSite: config.session.sameSite === 'none' ? ('None' as const) : ('Lax' as const),
    partitioned: config.session.partitioned,
  };
  const app = new OpenAPIHono();

  app.use('*', requestId({ limitLength: 64 }));
  app.use('*', metricsMiddleware(services.metrics));
  app.use('*', clientAddress({ trustProxy: config.server.trustProxy }));
  app.use('*', securityHeaders({ webmailOrigin: config.webmailOrigin, https }));
  app.use('*', accessLog(logger));
  const limitBody = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError('payload_too_large', `request body over ${maxSize} bytes`);
      },
    });
  const defaultLimit = limitBody(config.server.maxBodyBytes);
  // The raw Sieve editor: a script may be as large as the mail server allows (Pigeonhole's
  // default is 1 MiB); the server's own refusal is the plain answer, so let it through to it.
  const rawScriptLimit = limitBody(Math.max(config.server.maxBodyBytes, 8 * 1024 * 1024));
  app.use('/api/*', (c, next) => (c.req.path === '/api/script/raw' || c.req.path === '/api/script/check' ? rawScriptLimit(c, next) : defaultLimit(c, next)));
  app.use('/api/*', sessionReader(services.sessions, services.sessionStore, cookie));
  app.use('/api/*', provideAccounts(services.directory));
  app.use(
    '/api/*',
    csrfProtection({
      allowedOrigins: [config.server.publicOrigin],
      // Signing in replaces whatever session the browser had.
      tokenExempt: (method, path) => method === 'POST' && path === '/api/session',
    }),
  );

  app.use(
    '/api/*',
    scanLimit({
      locks: services.locks,
      counters: services.counters,
      ...config.scanLimit,
      routes: ['POST /api/filters/test', 'POST /api/filters/apply/preview', 'POST /api/filters/apply', 'GET /api/quota/empty-preview', 'POST /api/quota/empty'],
    }),
  );

  app.route('/api', healthRoutes(services));
  app.route('/api', authRoutes(services, cookie));
  app.route('/api', sessionRoutes(services, cookie));
  app.route('/api', scriptRoutes(services));
  app.route('/api', vacationRoutes(services));
  app.route('/api', spamRoutes(services));
  app.route('/api', quarantineRoutes(services));
  app.route('/api', forwardingRoutes(services));
  app.route('/api', overviewRoutes(services));
  app.route('/api', aliasRoutes(services));
  app.route('/api', quotaRoutes(services));
  app.route('/api', listRoutes(services));
  app.route('/api', filterRoutes(services));
  app.route('/api', folderRoutes(services));
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'EmailNG Settings API', version: '0.1.0', description: 'Errors are { code, message, requestId }.' },
  });
  app.all('/api/*', () => {
    throw new ApiError('not_found', 'no such API route');
  });
  app.route('/', ssoRoutes(services, cookie));
  app.route('/', metricsRoutes(services));

  app.use(
    '/assets/*',
    serveStatic({
      root: config.server.staticDir,
      onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  app.use(
    '*',
    serveStatic({
      root: config.server.staticDir,
      rewriteRequestPath: (path) => (path === '/' ? '/index.html' : path),
      onFound: (_path, c) => c.header('Cache-Control', 'no-cache'),
    }),
  );

  app.notFound((c) => c.text('Not found', 404));
  app.onError(errorMapper(logger));
  return app;
}
