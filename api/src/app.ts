import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { authRoutes } from './auth/routes';
import { sessionRoutes } from './auth/session-routes';
import { aliasRoutes } from './features/aliases/routes';
import { scriptRoutes } from './features/script/routes';
import { vacationRoutes } from './features/vacation/routes';
import { VacationService } from './features/vacation/service';
import { forwardingRoutes } from './features/forwarding/routes';
import { ForwardingService } from './features/forwarding/service';
import { spamRoutes } from './features/spam/routes';
import { SpamService } from './features/spam/service';
import { listRoutes } from './features/lists/routes';
import { quotaRoutes } from './features/quota/routes';
import { filterRoutes } from './features/filters/routes';
import { FiltersService } from './features/filters/service';
import { folderPaths } from './features/folders/imap';
import { RuleTester } from './features/filters/tester';
import { folderRoutes } from './features/folders/routes';
import { allowSenderViaSpamSettings } from './features/quarantine/allow-sender';
import { ReleaseApprovals } from './features/quarantine/approvals';
import { quarantineRoutes } from './features/quarantine/routes';
import { QuarantineService } from './features/quarantine/service';
import { QuotaService } from './features/quota/service';
import { overviewRoutes } from './features/overview/routes';
import { helpdeskRoutes } from './features/helpdesk/routes';
import { buildHelpdesk } from './features/helpdesk/build';
import { OverviewService } from './features/overview/service';
import { ssoRoutes } from './auth/sso-routes';
import { healthRoutes } from './health/routes';
import { metricsMiddleware } from './ops/metrics';
import { metricsRoutes } from './ops/routes';
import { ImapError } from './backends/imap/errors';
import { DirectoryError } from './backends/ldap/errors';
import { isManageSieveUnavailable } from './backends/managesieve';
import { ApiError, errorResponse, type ErrorCode } from './http/errors';
import { accessLog } from './http/middleware/access-log';
import { clientAddress } from './http/middleware/client-address';
import { csrfProtection } from './http/middleware/csrf';
import { securityHeaders } from './http/middleware/security-headers';
import { sessionReader } from './http/middleware/session';
import { scanLimit } from './http/middleware/scan-limit';
import type { Services } from './services';

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** A back end that does not answer, wherever it surfaced: a clear 503, never a 500. */
function backendUnavailable(error: unknown): ApiError | null {
  if (error instanceof DirectoryError && error.code === 'UNAVAILABLE') {
    return new ApiError('directory_unavailable', 'the directory (LDAP) is not answering; nothing was changed, try again in a few minutes');
  }
  const mailDown =
    isManageSieveUnavailable(error) ||
    (error instanceof ImapError && error.code === 'UNAVAILABLE');
  return mailDown ? new ApiError('mail_unavailable', 'the mail servers are not answering; nothing was changed, try again in a few minutes') : null;
}

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
  const vacation = new VacationService(services.scripts, config.mail.timeZone, config.vacation);
  app.route('/api', scriptRoutes(services));
  app.route('/api', vacationRoutes(services, vacation));
  const spam = new SpamService(services.scripts, config.spam, services.directory);
  app.route('/api', spamRoutes(services, spam));
  const quarantine =
    services.quarantine && config.quarantine
      ? new QuarantineService(services.quarantine, config.quarantine, allowSenderViaSpamSettings(spam), logger)
      : null;
  const approvals = services.quarantine && config.quarantine ? new ReleaseApprovals(services.quarantine, services.directory, config.quarantine, logger) : null;
  app.route('/api', quarantineRoutes(services, quarantine, approvals));
  const forwarding = new ForwardingService(services, config);
  app.route('/api', forwardingRoutes(services, forwarding));
  const quota = new QuotaService(services.imap, logger);
  const held = quarantine && ((account: Parameters<QuarantineService['counts']>[0], now: Date) => quarantine.counts(account, now));
  const overview = new OverviewService({ ...services, quota, forwarding, held }, config);
  app.route('/api', overviewRoutes(services, overview));
  const helpdesk = buildHelpdesk(services, { overview, vacation, forwarding, quota });
  app.route('/api', helpdeskRoutes(helpdesk.access, helpdesk.service));
  // Auto-replies must keep covering every address: the vacation block follows alias changes.
  app.route('/api', aliasRoutes(services, { onAddressesChanged: (uid, addresses, client) => vacation.addressesChanged(uid, addresses, client) }));
  app.route('/api', quotaRoutes(services));
  app.route('/api', listRoutes(services));
  // A rule's target is compared with the user's folders; a mail server that cannot list them now does not block the save.
  const listFolders = (uid: string, clientAddress: string) => folderPaths(services.imap, uid, { clientAddress }).catch(() => null);
  app.route('/api', filterRoutes(services, new FiltersService(services.scripts, listFolders), new RuleTester(services.imap, logger, config.session.keys[0])));
  app.route('/api', folderRoutes(services.imap, logger));
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
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    const unavailable = backendUnavailable(error);
    if (unavailable) return errorResponse(c, unavailable);
    if (error instanceof HTTPException) {
      const code = STATUS_CODES[error.status] ?? 'validation';
      return errorResponse(c, new ApiError(code, error.message || code));
    }
    logger.error({ requestId: c.get('requestId'), err: { name: (error as Error).name, message: (error as Error).message, stack: (error as Error).stack } }, 'unhandled error');
    return errorResponse(c, new ApiError('internal', 'something went wrong on our side; the request id identifies it in our logs'));
  });
  return app;
}
