/* global module */
/**
 * The layers of docs/ARCHITECTURE.md ("What each layer may import"), checked on every
 * `npm run lint`: an import that points up, or a circle, fails the lint.
 *
 * Routes are the HTTP layer wherever they live: `features/<name>/routes.ts`, `auth/*routes.ts`,
 * `auth/start-session.ts` (it writes the cookie), `health/`, `ops/routes.ts`.
 */
const ROUTES = ['^api/src/features/[^/]+/[a-z-]*routes[.]ts$', '^api/src/auth/[a-z-]*routes[.]ts$', '^api/src/auth/start-session[.]ts$', '^api/src/health/', '^api/src/ops/routes[.]ts$'];
// Entry points build what they use: the server, and the command-line jobs under ops/.
const ROOT = '^api/src/(app|server|services|ops/(housekeeping|digests|revoke))[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other (directly or round a longer loop) cannot be understood or changed one at a time.',
      from: { path: '^(api|web)/src' },
      to: { circular: true },
    },
    {
      name: 'shared-imports-nothing',
      severity: 'error',
      comment: 'shared/ holds small pure helpers that every layer may use; it uses none of them.',
      from: { path: '^api/src/shared/' },
      to: { path: '^api/src/', pathNot: '^api/src/shared/' },
    },
    {
      name: 'config-imports-nothing',
      severity: 'error',
      from: { path: '^api/src/config/' },
      to: { path: '^api/src/', pathNot: '^api/src/(config|shared)/' },
    },
    {
      name: 'sieve-is-pure',
      severity: 'error',
      comment: 'The Sieve language code uses only shared/.',
      from: { path: '^api/src/sieve/' },
      to: { path: '^api/src/', pathNot: '^api/src/(sieve|shared)/' },
    },
    {
      name: 'backends-stay-down',
      severity: 'error',
      comment:
        'A back end talks one protocol and raises its own typed errors; the HTTP layer maps them.',
      from: { path: '^api/src/backends/', pathNot: '^api/src/backends/redis/' },
      to: { path: '^api/src/', pathNot: '^api/src/(backends|shared|config)/' },
    },
    {
      name: 'redis-implements-auth-contracts',
      severity: 'error',
      comment: 'The Redis stores implement the contracts auth/ declares (sessions, throttles, tokens, locks, activity); nothing else above.',
      from: { path: '^api/src/backends/redis/' },
      to: { path: '^api/src/', pathNot: '^api/src/(backends|shared|config|auth)/' },
    },
    {
      name: 'auth-below-http',
      severity: 'error',
      comment: 'Sessions, throttles, single sign-on: no HTTP, no features (the auth routes are the HTTP layer).',
      from: { path: '^api/src/auth/', pathNot: ROUTES },
      to: { path: ['^api/src/(http|features|health|ops)/', ROOT] },
    },
    {
      name: 'features-below-http',
      severity: 'error',
      comment: 'A feature speaks in ApiError (http/errors.ts) but knows nothing else of HTTP, and no route.',
      from: { path: '^api/src/features/', pathNot: ROUTES },
      to: { path: ['^api/src/(http|health|ops)/', ...ROUTES, ROOT], pathNot: '^api/src/http/errors[.]ts$' },
    },
    {
      name: 'only-the-root-builds',
      severity: 'error',
      comment: 'app.ts and server.ts are imported by nobody but server.ts; services.ts by routes as a type only.',
      from: { path: '^api/src/', pathNot: ROOT },
      to: { path: ROOT, dependencyTypesNot: ['type-only', 'type-import'] },
    },
    {
      name: 'spa-takes-types-only',
      severity: 'error',
      comment: 'The SPA may share the API’s types, never its code.',
      from: { path: '^web/src/' },
      to: { path: '^api/src/', dependencyTypesNot: ['type-only', 'type-import'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(api|web)/src/',
    // Type-only imports count: a circle of types still ties two modules together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.vue', '.mjs'] },
  },
};
