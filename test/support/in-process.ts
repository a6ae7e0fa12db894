// The real API driven in-process (app.request(), no socket) on the local stack's back ends, for
// route tests: sign in with a real LDAP bind, and build a second app over the same services with
// one of them replaced, where a back end's fault is the point of the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../api/src/app';
import { newSessionHandle } from '../../api/src/auth/session-store';
import { loadConfig, type AppConfig } from '../../api/src/config/load';
import { createLogger } from '../../api/src/logging';
import { closeServices, createServices, type Services } from '../../api/src/services';
import { ApiClient, type Send } from './http';
import type { DemoUser } from './stack';

export interface InProcessApi {
  services: Services;
  /** The app's OpenAPI document, as GET /api/openapi.json answers it. */
  openApi(): Promise<OpenApiDocument>;
  /** A client with no session, at the app's public origin (so the CSRF origin check passes). */
  anonymous(): ApiClient;
  /** A client signed in with the user's password (POST /api/session: a real LDAP bind). */
  signIn(user: DemoUser): Promise<ApiClient>;
  /**
   * A client with a session made the way sign-in makes one (sealed cookie + server-side
   * record), without asking the directory: for an app whose directory is down.
   */
  sessionFor(user: DemoUser): Promise<ApiClient>;
  /**
   * Another app over the same services with some replaced. It shares the session store and
   * codec, so `client.through(send)` carries a session signed in on this one over to it.
   */
  withServices(replaced: Partial<Services>): Send;
  /** The schema a route validates its answer's JSON with (its OpenAPI definition), or null when it has none. */
  responseSchema(key: string, status: number): { safeParse(value: unknown): { success: boolean; error?: unknown } } | null;
  close(): Promise<void>;
}

interface RouteDefinition {
  type: string;
  route?: { method: string; path: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
}

export interface OpenApiOperation {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean }>;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** The API on the local stack's config (memory stores: no Redis), with `adjust` applied. */
export async function inProcessApi(adjust: (config: AppConfig) => AppConfig = (c) => c): Promise<InProcessApi> {
  // No SPA is served here: an empty folder stands for the build.
  const staticDir = mkdtempSync(join(tmpdir(), 'emailng-routes-'));
  const base = loadConfig('deploy/config/local.yaml', {});
  const config = adjust({ ...base, server: { ...base.server, staticDir } });
  const services = createServices(config, createLogger('silent'), { processMetrics: false });
  const sendTo =
    (app: ReturnType<typeof createApp>): Send =>
    (url, init) =>
      app.request(url, init);
  const app = createApp(services);
  const send = sendTo(app);
  const origin = config.server.publicOrigin;
  const anonymous = () => new ApiClient(origin, send);
  return {
    services,
    anonymous,
    async openApi() {
      const res = await anonymous().request('GET', '/api/openapi.json');
      if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
      return res.body as unknown as OpenApiDocument;
    },
    async signIn(user) {
      const client = anonymous();
      const res = await client.signIn(user.uid, user.password);
      if (res.status !== 200) throw new Error(`signing in ${user.uid} answered ${res.status}: ${res.text}`);
      return client;
    },
    async sessionFor(user) {
      const session = services.sessions.create(user.uid, `uid=${user.uid},${config.ldap.peopleDn}`);
      const record = { handle: newSessionHandle(), uid: user.uid, method: 'password' as const, createdAt: session.authTime, lastSeen: session.lastSeen, clientAddress: 'unknown', userAgent: 'route tests' };
      await services.sessionStore.create(session.sid, record, config.session.idleMinutes * 60);
      const client = anonymous();
      client.cookie = `${config.session.cookieName}=${await services.sessions.seal(session)}`;
      client.csrfToken = session.csrf;
      return client;
    },
    withServices: (replaced) => sendTo(createApp({ ...services, ...replaced })),
    responseSchema(key, status) {
      const [method = '', path = ''] = key.split(' ');
      const definition = (app.openAPIRegistry.definitions as RouteDefinition[]).find((d) => d.type === 'route' && d.route?.method === method.toLowerCase() && d.route.path === path);
      if (!definition) throw new Error(`no route definition for ${key}`);
      const schema = definition.route!.responses[String(status)]?.content?.['application/json']?.schema as { safeParse?: unknown } | undefined;
      return typeof schema?.safeParse === 'function' ? (schema as ReturnType<InProcessApi['responseSchema']>) : null;
    },
    async close() {
      await closeServices(services);
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
}

/** Every operation of the document as `METHOD /path` (the path as documented, `{id}` and all). */
export function operationKeys(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
}

/** The documented operation for a key of operationKeys. */
export function operationOf(doc: OpenApiDocument, key: string): OpenApiOperation {
  const [method = '', path = ''] = key.split(' ');
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`no operation ${key} in the document`);
  return op;
}
