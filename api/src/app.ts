import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { authRoutes } from './auth/routes';
import { sessionRoutes } from './auth/session-routes';
import { adminRoutes } from './auth/admin-routes';
import { aliasRoutes } from './features/aliases/routes';
import { scriptRoutes } from './features/script/routes';
import { vacationRoutes } from './features/vacation/routes';
import { forwardingRoutes } from './features/forwarding/routes';
import { spamRoutes } from './features/spam/routes';
import { listRoutes } from './features/lists/routes';
import { quotaRoutes } from './features/quota/routes';
import { filterRoutes } from './features/filters/routes';
import { filterTransferRoutes } from './features/filters/transfer-routes';
import { folderRoutes } from './features/folders/routes';
import { quarantineRoutes } from './features/quarantine/routes';
import { overviewRoutes } from './features/overview/routes';
import { exitsRoutes } from './features/exits/routes';
import { exitsWatch } from './features/exits/watch';
import { helpdeskRoutes } from './features/helpdesk/routes';
import { ssoRoutes } from './auth/sso-routes';
import { securityRoutes } from './features/security/routes';
import { healthRoutes } from './health/routes';
import { metricsMiddleware } from './ops/metrics';
import { metricsRoutes } from './ops/routes';
import { errorMapper } from './http/error-mapper';
import { ApiError } from './http/errors';
import { accessLog } from './http/middleware/access-log';
import { clientAddress } from './http/middleware/client-address';
import { compressJson } from './http/middleware/compress-json';
import { csrfProtection } from './http/middleware/csrf';
import { securityHeaders } from './http/middleware/security-headers';
import { sessionReader } from './http/middleware/session';
import { actingSession } from './http/middleware/acting-session';
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
  // An imported .sieve file (base64) too: its own size check answers with a clearer code.
  const largeBodies = new Set(['/api/script/raw', '/api/script/check', '/api/filters/import', '/api/filters/import/preview']);
  app.use('/api/*', (c, next) => (largeBodies.has(c.req.path) ? rawScriptLimit(c, next) : defaultLimit(c, next)));
  app.use('/api/*', compressJson({ thresholdBytes: 1400 }));
  app.use('/api/*', sessionReader(services.sessions, services.sessionStore, cookie));
  app.use('/api/*', actingSession());
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

  // Whatever page adds a way out for the mail, the user is told (features/exits).
  app.use('/api/*', exitsWatch(services.exits, services.directory));

  app.route('/api', healthRoutes(services));
  app.route('/api', authRoutes(services, cookie));
  app.route('/api', sessionRoutes(services, cookie));
  app.route('/api', adminRoutes(services));
  app.route('/api', securityRoutes(services));
  app.route('/api', scriptRoutes(services));
  app.route('/api', vacationRoutes(services));
  app.route('/api', spamRoutes(services));
  app.route('/api', quarantineRoutes(services));
  app.route('/api', forwardingRoutes(services));
  app.route('/api', overviewRoutes(services));
  app.route('/api', exitsRoutes(services));
  app.route('/api', helpdeskRoutes(services));
  app.route('/api', aliasRoutes(services));
  app.route('/api', quotaRoutes(services));
  app.route('/api', listRoutes(services));
  app.route('/api', filterRoutes(services));
  app.route('/api', filterTransferRoutes(services));
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

  // The build writes .br and .gz copies beside each file (build/precompress.ts): sent as they
  // are to a browser that accepts them. Vary on every answer, so no cache hands one encoding to
  // a browser that asked for another.
  const varyOnEncoding = (c: Context) => {
    if (!/accept-encoding/i.test(c.res.headers.get('Vary') ?? '')) c.header('Vary', 'Accept-Encoding', { append: true });
  };
  app.use(
    '/assets/*',
    serveStatic({
      root: config.server.staticDir,
      precompressed: true,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
        varyOnEncoding(c);
      },
    }),
  );
  app.use(
    '*',
    serveStatic({
      root: config.server.staticDir,
      precompressed: true,
      rewriteRequestPath: (path) => (path === '/' ? '/index.html' : path),
      onFound: (_path, c) => {
        c.header('Cache-Control', 'no-cache');
        varyOnEncoding(c);
      },
    }),
  );

  app.notFound((c) => c.text('Not found', 404));
  app.onError(errorMapper(logger));
  return app;
}
