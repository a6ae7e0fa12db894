/** How a client's requests reach the API: over the network (fetch), or in-process (app.request). */
export type Send = (url: string, init: RequestInit) => Response | Promise<Response>;

/** A tiny browser-like API client for tests: keeps the session cookie and CSRF token. */
export class ApiClient {
  cookie = '';
  csrfToken = '';

  constructor(
    readonly baseUrl: string,
    private readonly send: Send = fetch,
  ) {}

  /** The same browser (cookie, CSRF token) talking to another app at the same origin. */
  through(send: Send): ApiClient {
    const copy = new ApiClient(this.baseUrl, send);
    copy.cookie = this.cookie;
    copy.csrfToken = this.csrfToken;
    return copy;
  }

  async request(
    method: string,
    path: string,
    options: { json?: unknown; body?: string; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<{ status: number; headers: Headers; body: Record<string, unknown>; text: string }> {
    const headers: Record<string, string> = { origin: this.baseUrl, ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (options.json !== undefined) headers['content-type'] ??= 'application/json';
    if (options.csrf !== false && this.csrfToken && method !== 'GET') headers['x-csrf-token'] ??= this.csrfToken;
    const response = await this.send(this.baseUrl + path, {
      method,
      headers,
      body: options.body ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
    });
    const setCookie = response.headers.getSetCookie();
    for (const c of setCookie) {
      const pair = c.split(';')[0] ?? '';
      this.cookie = /=$/.test(pair) || /Max-Age=0/i.test(c) ? '' : pair;
    }
    const text = await response.text();
    const body = parseJsonObject(text);
    if (typeof body.csrfToken === 'string') this.csrfToken = body.csrfToken;
    return { status: response.status, headers: response.headers, body, text };
  }

  signIn(username: string, password: string) {
    return this.request('POST', '/api/session', { json: { username, password } });
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * One request on its own connection (node:http, no keep-alive): for bodies the server refuses
 * before reading them, after which it closes the connection under any pooled client.
 */
export async function requestOnOwnConnection(
  url: string,
  options: { method: string; headers: Record<string, string>; body: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: options.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseJsonObject(text) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** What a browser sends loading /sso as the webmail's frame, the webmail on the same site
 *  (Fetch Metadata; /sso refuses a token anywhere else). */
export const SSO_FRAME_HEADERS: Readonly<Record<string, string>> = { 'sec-fetch-dest': 'iframe', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'same-site' };

/** A GET as is, on its own connection: the body's bytes undecoded, whatever Content-Encoding says. */
export async function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
