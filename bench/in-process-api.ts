import { Writable } from 'node:stream';
import { loadConfig, type AppConfig } from '../api/src/config/load';
import { createLogger } from '../api/src/logging';
import { createServices, type Services } from '../api/src/services';
import { serveApi } from '../test/support/listen';

/** A browser-like client: keeps the session cookie and the CSRF token. */
export class BenchSession {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  async call(method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const h: Record<string, string> = { origin: this.base, ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (json !== undefined) h['content-type'] = 'application/json';
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    const res = await fetch(this.base + path, { method, headers: h, body: json === undefined ? undefined : JSON.stringify(json) });
    const cookie = res.headers.getSetCookie()[0];
    if (cookie) this.cookie = cookie.split(';')[0] ?? '';
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, body };
  }

  /** As call(), for requests that must succeed: the body, or an error naming the status. */
  async ok(method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const res = await this.call(method, path, json, headers);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async signIn(user: string, password: string): Promise<void> {
    this.csrf = String((await this.ok('POST', '/api/session', { username: user, password })).csrfToken);
  }
}

export interface InProcessApi {
  url: string;
  config: AppConfig;
  services: Services;
  close(): Promise<void>;
}

/**
 * The real API on the local stack's config, in this process, on a free loopback port, silent
 * with the production sign-in throttle (only failures count, so many users from 127.0.0.1 sign in).
 */
export async function startInProcessApi(): Promise<InProcessApi> {
  const base = loadConfig('deploy/config/local.yaml', {});
  const config: AppConfig = { ...base, logging: { level: 'silent' } };
  const services = createServices(config, createLogger('silent', new Writable({ write: (_c, _e, done) => done() })));
  const { url, close } = await serveApi(config, services);
  return { url, config, services, close };
}
