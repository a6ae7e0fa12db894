import type { ApiClient } from '../../support/http';

// Every operation of the API, as the route tests know it: who may call it, and a request for it
// well formed enough that a refusal can only be about who asks. The security tests check that
// this table and the OpenAPI document list the same operations, so a new route cannot be
// added without being placed here (and so being tested for 401, CSRF and membership).

/**
 * public: no session needed. signed-in: any signed-in user (401 without a session).
 * administrators / helpdesk / approvers: signed in and in that config list or LDAP group
 * (403 forbidden for everyone else, decided before the request's input is used).
 */
export type Access = 'public' | 'signed-in' | 'administrators' | 'helpdesk' | 'approvers';

export interface Operation {
  access: Access;
  /** The request's path when `{…}` must be something in particular (else each becomes `sample`). */
  path?: string;
  /** A body that passes validation (mutating requests without one send `{}`). */
  json?: unknown;
  headers?: Record<string, string>;
}

const REASON = 'ticket 4711 — ο χρήστης ζήτησε βοήθεια';
/** A rule the rule tester can run (subject contains, flag): reaches the mail servers. */
export const SAMPLE_RULE = {
  id: 'new-1',
  name: 'Τιμολόγια',
  enabled: true,
  match: 'all',
  conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'invoice' }],
  actions: [{ type: 'addflag', flags: ['\\Seen'] }],
  stop: false,
};

export const OPERATIONS: Record<string, Operation> = {
  'GET /api/health': { access: 'public' },
  'POST /api/session': { access: 'public', json: { username: 'nobody', password: 'x' } },
  'DELETE /api/session': { access: 'public' },
  'GET /api/me': { access: 'signed-in' },
  'GET /api/sessions': { access: 'signed-in' },
  'POST /api/sessions/revoke-others': { access: 'signed-in' },
  'DELETE /api/sessions/{id}': { access: 'signed-in' },
  'POST /api/admin/revoke-sessions': { access: 'administrators', json: { uid: 'load179', reason: REASON } },
  'GET /api/security': { access: 'signed-in' },
  'POST /api/script/take-over': { access: 'signed-in' },
  'GET /api/script/raw': { access: 'signed-in' },
  'PUT /api/script/raw': { access: 'signed-in', json: { text: 'keep;\n' }, headers: { 'if-match': '"sample"' } },
  'POST /api/script/check': { access: 'signed-in', json: { text: 'keep;\n' } },
  'GET /api/scripts': { access: 'signed-in' },
  'POST /api/scripts/{name}/activate': { access: 'signed-in' },
  'POST /api/scripts/{name}/rename': { access: 'signed-in', json: { newName: 'renamed' } },
  'DELETE /api/scripts/{name}': { access: 'signed-in' },
  'GET /api/script/history': { access: 'signed-in' },
  'GET /api/script/history/{id}': { access: 'signed-in' },
  'POST /api/script/history/{id}/restore': { access: 'signed-in', headers: { 'if-match': '"sample"' } },
  'GET /api/vacation': { access: 'signed-in' },
  'PUT /api/vacation': { access: 'signed-in', headers: { 'if-match': '"sample"' } },
  'GET /api/spam': { access: 'signed-in' },
  'PUT /api/spam': { access: 'signed-in', headers: { 'if-match': '"sample"' } },
  'GET /api/quarantine/digest': { access: 'signed-in' },
  'PUT /api/quarantine/digest': { access: 'signed-in' },
  'GET /api/quarantine-requests': { access: 'approvers' },
  'POST /api/quarantine-requests/{id}/decision': { access: 'approvers', json: { decision: 'approve', reason: REASON } },
  'GET /api/quarantine': { access: 'signed-in' },
  'POST /api/quarantine/bulk': { access: 'signed-in', json: { action: 'delete', ids: ['sample'] } },
  'GET /api/quarantine/{id}': { access: 'signed-in' },
  'DELETE /api/quarantine/{id}': { access: 'signed-in' },
  'POST /api/quarantine/{id}/release': { access: 'signed-in' },
  'GET /api/forwarding': { access: 'signed-in' },
  'PUT /api/forwarding': { access: 'signed-in', headers: { 'if-match': '"sample"' } },
  'GET /api/overview': { access: 'signed-in' },
  'GET /api/exits': { access: 'signed-in' },
  'GET /api/security/alerts': { access: 'signed-in' },
  'POST /api/security/alerts/{id}/not-me': { access: 'signed-in', headers: { 'if-match': '"sample"' } },
  'POST /api/security/alerts/{id}/acknowledge': { access: 'signed-in' },
  'GET /api/helpdesk/me': { access: 'helpdesk' },
  'GET /api/helpdesk/users': { access: 'helpdesk', path: '/api/helpdesk/users?q=load' },
  'GET /api/helpdesk/users/{uid}/delivery': { access: 'helpdesk', path: `/api/helpdesk/users/load179/delivery?reason=${encodeURIComponent(REASON)}` },
  'GET /api/helpdesk/users/{uid}/messages': { access: 'helpdesk', path: `/api/helpdesk/users/load179/messages?reason=${encodeURIComponent(REASON)}` },
  'POST /api/helpdesk/users/{uid}/actions/{action}': {
    access: 'helpdesk',
    path: '/api/helpdesk/users/load179/actions/vacation-off',
    json: { reason: REASON, confirm: 'load179' },
    headers: { 'if-match': '"sample"' },
  },
  'GET /api/aliases': { access: 'signed-in' },
  // Another user's default alias: whoever gets this far is refused (taken), so nothing is ever written.
  'PUT /api/aliases/additional': { access: 'signed-in', json: { address: 'load.user179@cs.ucy.ac.cy' } },
  'DELETE /api/aliases/additional': { access: 'signed-in' },
  'GET /api/aliases/availability': { access: 'signed-in', path: '/api/aliases/availability?address=routes.security.test' },
  'GET /api/quota': { access: 'signed-in' },
  'GET /api/quota/empty-preview': { access: 'signed-in', path: '/api/quota/empty-preview?folder=SPAM' },
  'POST /api/quota/empty': { access: 'signed-in', json: { folder: 'SPAM', expectedMessages: 0, uidValidity: '1', uidNext: 1 } },
  'GET /api/lists': { access: 'signed-in' },
  'GET /api/filters': { access: 'signed-in' },
  'PUT /api/filters': { access: 'signed-in', headers: { 'if-match': '"sample"' } },
  'POST /api/filters/test': { access: 'signed-in', json: { rule: SAMPLE_RULE } },
  'POST /api/filters/apply/preview': { access: 'signed-in', json: { rule: SAMPLE_RULE } },
  'POST /api/filters/apply': { access: 'signed-in', json: { rule: SAMPLE_RULE, token: 'sample' } },
  'GET /api/filters/export': { access: 'signed-in' },
  'POST /api/filters/import/preview': { access: 'signed-in', json: { file: Buffer.from('keep;\r\n').toString('base64') } },
  'POST /api/filters/import': { access: 'signed-in', json: { file: Buffer.from('keep;\r\n').toString('base64') }, headers: { 'if-match': '"sample"' } },
  'GET /api/folders': { access: 'signed-in' },
  'POST /api/folders': { access: 'signed-in', json: { name: 'routes-security' } },
};

export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function methodOf(key: string): string {
  return key.split(' ')[0] ?? '';
}

/** The request a test sends for an operation: its path with samples in the `{…}` parts. */
export function requestOf(key: string): { method: string; path: string; json?: unknown; headers: Record<string, string> } {
  const op = OPERATIONS[key];
  if (!op) throw new Error(`${key} is not in OPERATIONS`);
  const method = methodOf(key);
  const path = op.path ?? (key.split(' ')[1] ?? '').replace(/\{[a-z]+\}/gi, 'sample');
  const json = op.json ?? (MUTATING.has(method) && method !== 'DELETE' ? {} : undefined);
  return { method, path, ...(json === undefined ? {} : { json }), headers: op.headers ?? {} };
}

/** Sends an operation's request (requestOf) as `client`, with headers added or replaced. */
export function sendOperation(client: ApiClient, key: string, headers: Record<string, string> = {}, options: { csrf?: boolean } = {}) {
  const { method, path, json, headers: own } = requestOf(key);
  return client.request(method, path, { ...(json === undefined ? {} : { json }), headers: { ...own, ...headers }, ...options });
}

/** The operation a concrete request is (`POST /api/scripts/x/activate` → `POST /api/scripts/{name}/activate`). */
export function operationFor(method: string, concretePath: string): string {
  const path = concretePath.split('?')[0] ?? '';
  const key = Object.keys(OPERATIONS).find((k) => {
    const [m = '', template = ''] = k.split(' ');
    return m === method && new RegExp(`^${template.replace(/\{[a-z]+\}/gi, '[^/]+')}$`).test(path);
  });
  if (!key) throw new Error(`no operation for ${method} ${concretePath}`);
  return key;
}
