import { ApiError, errorFromBody } from './errors';
import type { ForwardingResponse, Forwarding, SessionResponse, Spam, SpamResponse, Vacation, VacationResponse } from './types';
import type { ApplyEvent, ApplyPreview, FilterRule, FiltersResponse, FilterTestResult, HistoryEntry, HistoryVersion, MailFolder, RawScript, RawScriptSaved, SaveFilters, ScriptCheck, SieveScriptInfo, TakenOver } from './types';
import type { AliasAvailability, AliasChange, Aliases, EmptyPreview, EmptyRequest, EmptyResult, EmptyableFolder, MailingList, Quota } from './types';
import type { BulkOutcome, HeldList, HeldPreview, HeldQuery, ReleaseOutcome, SecurityResponse } from './types';

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

export interface RequestOptions {
  /** Extra request headers, e.g. `If-Match` with the ETag a setting was read with. */
  headers?: Record<string, string>;
}

// The whole JSON body of a failed response, for the errors that carry more than a code
// (409 `conflict` carries `current`, the state saved elsewhere).
const errorBodies = new WeakMap<ApiError, unknown>();

/** The JSON body a failed request answered with (null when it had none). */
export function errorBody(err: unknown): unknown {
  return err instanceof ApiError ? (errorBodies.get(err) ?? null) : null;
}

export async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
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
  if (data !== null) errorBodies.set(err, data);
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

  vacation: () => request<VacationResponse>('GET', 'api/vacation'),
  saveVacation: (body: Vacation, etag: string) =>
    request<VacationResponse>('PUT', 'api/vacation', body, { headers: { 'If-Match': etag } }),
  spam: () => request<SpamResponse>('GET', 'api/spam'),
  saveSpam: (body: Spam, etag: string) => request<SpamResponse>('PUT', 'api/spam', body, { headers: { 'If-Match': etag } }),
  forwarding: () => request<ForwardingResponse>('GET', 'api/forwarding'),
  saveForwarding: (body: Forwarding, etag: string) =>
    request<ForwardingResponse>('PUT', 'api/forwarding', body, { headers: { 'If-Match': etag } }),
  /** Makes the app's script the active one, keeping the rules of the script active before. */
  takeOverScript: () => request<TakenOver>('POST', 'api/script/take-over', {}),

  aliases: () => request<Aliases>('GET', 'api/aliases'),
  /** Creates the additional alias, or changes `replace` into `address`. */
  setAlias: (address: string, replace?: string) =>
    request<AliasChange>('PUT', 'api/aliases/additional', replace === undefined ? { address } : { address, replace }),
  removeAlias: (address: string) =>
    request<AliasChange>('DELETE', `api/aliases/additional?${new URLSearchParams({ address })}`),
  /** Rate-limited per user on the server (about 30 a minute): callers debounce. */
  aliasAvailability: (address: string) =>
    request<AliasAvailability>('GET', `api/aliases/availability?${new URLSearchParams({ address })}`),
  lists: () => request<{ lists: MailingList[] }>('GET', 'api/lists'),

  quota: () => request<Quota>('GET', 'api/quota'),
  emptyPreview: (folder: EmptyableFolder) => request<EmptyPreview>('GET', `api/quota/empty-preview?${new URLSearchParams({ folder })}`),
  /** Deletes exactly what the preview showed (its count, uidValidity and uidNext). */
  emptyFolder: (body: EmptyRequest) => request<EmptyResult>('POST', 'api/quota/empty', body),

  heldMail: (q: HeldQuery) => {
    const params = new URLSearchParams({ page: String(q.page), pageSize: String(q.pageSize) });
    if (q.search) params.set('search', q.search);
    if (q.reason) params.set('reason', q.reason);
    return request<HeldList>('GET', `api/quarantine?${params}`);
  },
  heldPreview: (id: string) => request<HeldPreview>('GET', `api/quarantine/${encodeURIComponent(id)}`),
  /** 200 released, 202 requested (the helpdesk approves): the body says which. */
  releaseHeld: (id: string, allowSender: boolean) => request<ReleaseOutcome>('POST', `api/quarantine/${encodeURIComponent(id)}/release`, { allowSender }),
  deleteHeld: (id: string) => request<void>('DELETE', `api/quarantine/${encodeURIComponent(id)}`),
  security: () => request<SecurityResponse>('GET', 'api/security'),
  endSession: (id: string) => request<void>('DELETE', `api/sessions/${encodeURIComponent(id)}`),
  endOtherSessions: () => request<{ ended: number }>('POST', 'api/sessions/revoke-others', {}),
  bulkHeld: (action: 'release' | 'delete', ids: string[]) => request<BulkOutcome>('POST', 'api/quarantine/bulk', { action, ids }),
};

/**
 * A POST whose answer is NDJSON (one JSON object per line), read as it arrives; `onEvent`
 * gets each object. Failures before the stream starts reject like `request`.
 */
export async function requestStream(path: string, body: unknown, onEvent: (event: unknown) => void): Promise<void> {
  const headers: Record<string, string> = { Accept: 'application/x-ndjson, application/json', 'Content-Type': 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(new URL(path, document.baseURI), { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body) });
  } catch {
    throw new ApiError({ code: 'network', status: 0 });
  }
  if (!res.ok) {
    const data: unknown = await res.json().catch(() => null);
    const err = errorFromBody(res.status, data, res.headers.get('Retry-After'));
    if (data !== null) errorBodies.set(err, data);
    if (err.code === 'unauthenticated') onUnauthenticated?.();
    throw err;
  }
  if (!res.body) throw new ApiError({ code: 'unexpected', status: res.status });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  const flush = (line: string) => {
    if (line.trim()) onEvent(JSON.parse(line) as unknown);
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(flush);
    }
    flush(pending);
  } catch (err) {
    if (err instanceof SyntaxError) throw new ApiError({ code: 'unexpected', status: res.status });
    throw new ApiError({ code: 'network', status: 0 });
  }
}

const ifMatch = (etag: string): RequestOptions => ({ headers: { 'If-Match': etag } });
const enc = encodeURIComponent;

/** Filters, the raw script, the user's scripts and the script's history (issue 4). */
export const filtersApi = {
  filters: () => request<FiltersResponse>('GET', 'api/filters'),
  save: (body: SaveFilters, etag: string) => request<FiltersResponse>('PUT', 'api/filters', body, ifMatch(etag)),
  test: (rule: FilterRule) => request<FilterTestResult>('POST', 'api/filters/test', { rule }),
  applyPreview: (rule: FilterRule) => request<ApplyPreview>('POST', 'api/filters/apply/preview', { rule }),
  apply: (rule: FilterRule, token: string, onEvent: (event: ApplyEvent) => void) =>
    requestStream('api/filters/apply', { rule, token }, (e) => onEvent(e as ApplyEvent)),
  folders: () => request<MailFolder[]>('GET', 'api/folders'),
  createFolder: (name: string, parent?: string | null) => request<MailFolder>('POST', 'api/folders', parent ? { name, parent } : { name }),

  raw: () => request<RawScript>('GET', 'api/script/raw'),
  saveRaw: (text: string, etag: string) => request<RawScriptSaved>('PUT', 'api/script/raw', { text }, ifMatch(etag)),
  /** Rate-limited on the server (60 a minute): callers debounce. */
  check: (text: string) => request<ScriptCheck>('POST', 'api/script/check', { text }),

  scripts: () => request<SieveScriptInfo[]>('GET', 'api/scripts'),
  activate: (name: string) => request<SieveScriptInfo[]>('POST', `api/scripts/${enc(name)}/activate`, {}),
  rename: (name: string, newName: string) => request<SieveScriptInfo[]>('POST', `api/scripts/${enc(name)}/rename`, { newName }),
  remove: (name: string) => request<SieveScriptInfo[]>('DELETE', `api/scripts/${enc(name)}`),
  takeOver: () => request<TakenOver>('POST', 'api/script/take-over', {}),

  history: () => request<HistoryEntry[]>('GET', 'api/script/history'),
  version: (id: string) => request<HistoryVersion>('GET', `api/script/history/${enc(id)}`),
  restore: (id: string, rawEtag: string) => request<RawScriptSaved>('POST', `api/script/history/${enc(id)}/restore`, {}, ifMatch(rawEtag)),
};
