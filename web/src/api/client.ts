import { ApiError, errorFromBody } from './errors';
import type { SessionResponse } from './types';

// A small typed client for the settings API. The app may be served under any path prefix
// (beside Roundcube, behind nginx), so URLs are relative to the page: `api/me`, resolved
// against document.baseURI, never `/api/me`.

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remember the CSRF token from /api/session or /api/me; sent with every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Called when any request other than the session calls answers 401 `unauthenticated`
 * (the session cookie expired mid-use); main.ts wires it to the sign-in redirect.
 */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  let res: Response;
  try {
    res = await fetch(new URL(path, document.baseURI), {
      method,
      headers,
      credentials: 'same-origin',
      body: method === 'GET' || body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ code: 'network', status: 0 });
  }
  if (res.status === 204) return undefined as T;
  const isJson = (res.headers.get('Content-Type') ?? '').includes('application/json');
  const data: unknown = isJson ? await res.json().catch(() => null) : null;
  if (res.ok) {
    if (!isJson) throw new ApiError({ code: 'unexpected', status: res.status });
    return data as T;
  }
  const err = errorFromBody(res.status, data, res.headers.get('Retry-After'));
  if (err.code === 'unauthenticated' && !path.startsWith('api/session') && !path.startsWith('api/me')) {
    onUnauthenticated?.();
  }
  throw err;
}

export const api = {
  me: () => request<SessionResponse>('GET', 'api/me'),
  signIn: (username: string, password: string) =>
    request<SessionResponse>('POST', 'api/session', { username, password }),
  signOut: () => request<void>('DELETE', 'api/session'),
};
