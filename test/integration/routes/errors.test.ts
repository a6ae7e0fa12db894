import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisUnavailableError } from '../../../api/src/backends/redis/errors';
import type { SessionStore } from '../../../api/src/auth/session-store';
import { accountState } from '../../support/account-state';
import type { ApiClient } from '../../support/http';
import { inProcessApi, operationOf, type InProcessApi, type OpenApiDocument } from '../../support/in-process';
import { freePort } from '../../support/listen';
import { loadUser, resetUser } from '../../support/stack';
import { spaWords } from '../../support/spa-words';
import { OPERATIONS, SAMPLE_RULE, sendOperation } from './operations';

// Route errors: what each operation answers when a back end is down (its documented 503, never
// a 500), when the site lacks the part it belongs to (404 *_not_configured), and when a save
// does not say which version it changes (428) or changes an old one (409). Every status seen
// here must be one the operation documents, and every code must have words in English and
// Greek in the SPA.

const USER = loadUser(180);
const UNAVAILABLE = ['directory_unavailable', 'mail_unavailable', 'quarantine_unavailable'];

let api: InProcessApi;
let doc: OpenApiDocument;
/** Every app built for a fault or a missing part, closed at the end. */
const others: InProcessApi[] = [];
/** Statuses each operation answered in this file, to check against its documentation. */
const seen = new Map<string, Set<number>>();
/** Every error code and field code answered in this file. */
const codes = { errors: new Set<string>(), fields: new Set<string>() };

function note(key: string, res: { status: number; body: Record<string, unknown> }) {
  if (!seen.has(key)) seen.set(key, new Set());
  seen.get(key)!.add(res.status);
  if (res.status >= 400 && typeof res.body.code === 'string') codes.errors.add(res.body.code);
  for (const code of Object.values((res.body.fields as Record<string, string> | undefined) ?? {})) codes.fields.add(code);
}

async function other(adjust: Parameters<typeof inProcessApi>[0]): Promise<InProcessApi> {
  const built = await inProcessApi(adjust);
  others.push(built);
  return built;
}

/** A session store that, like Redis gone, fails every call. */
function storeDown(real: SessionStore): SessionStore {
  return new Proxy(real, {
    get: (target, property) => (typeof Reflect.get(target, property) === 'function' ? () => Promise.reject(new RedisUnavailableError()) : Reflect.get(target, property)),
  });
}

/** One signed-in client per fault: an app whose back end refuses connections (a port nothing listens on). */
const faults: Record<string, ApiClient> = {};

beforeAll(async () => {
  api = await inProcessApi();
  doc = await api.openApi();
  await resetUser(USER.uid);
  const dead = await freePort();
  const directoryDown = await other((c) => ({ ...c, ldap: { ...c.ldap, url: `ldap://127.0.0.1:${dead}` } }));
  const mailDown = await other((c) => ({ ...c, directors: c.directors.map((d) => ({ ...d, imapPort: dead, sievePort: dead })) }));
  const quarantineDown = await other((c) => ({ ...c, quarantine: { ...c.quarantine!, databaseUrl: `postgres://webapp@127.0.0.1:${dead}/mail_log`, releasePort: dead } }));
  faults['the directory down'] = await directoryDown.sessionFor(USER);
  faults['the mail servers down'] = await mailDown.sessionFor(USER);
  faults['the quarantine down'] = await quarantineDown.sessionFor(USER);
  faults['the shared session store down'] = (await api.sessionFor(USER)).through(api.withServices({ sessionStore: storeDown(api.services.sessionStore) }));
});

afterAll(async () => {
  await Promise.all([api, ...others].map((a) => a.close()));
});

describe('a back end down', () => {
  it.each(Object.keys(OPERATIONS))('%s answers a documented 503 (or what it answers without that back end), never a 500', async (key) => {
    const answers: Record<string, string> = {};
    for (const [fault, client] of Object.entries(faults)) {
      const res = await sendOperation(client, key);
      note(key, res);
      answers[fault] = `${res.status} ${String(res.body.code ?? '')}`;
      expect(res.status, `${fault}: ${res.text}`).not.toBe(500);
      if (res.status === 503 && key !== 'GET /api/health') expect(UNAVAILABLE, fault).toContain(res.body.code);
    }
    if ('503' in operationOf(doc, key).responses) expect(Object.values(answers).some((a) => a.startsWith('503')), JSON.stringify(answers)).toBe(true);
  });
});

describe('a part the site does not have', () => {
  const keys = (prefix: RegExp) => Object.keys(OPERATIONS).filter((k) => prefix.test(k.split(' ')[1] ?? ''));
  let withoutParts: ApiClient;
  let withoutOutbound: ApiClient;
  beforeAll(async () => {
    withoutParts = await (await other((c) => ({ ...c, quarantine: null, helpdesk: null }))).signIn(USER);
    withoutOutbound = await (await other((c) => ({ ...c, outbound: null }))).signIn(USER);
  });

  /** The digest choice as the page sends it: valid, so only the missing part refuses it. */
  const send = (client: ApiClient, key: string) =>
    key === 'PUT /api/quarantine/digest' ? client.request('PUT', '/api/quarantine/digest', { json: { schedule: 'weekly', language: 'el' } }) : sendOperation(client, key);

  it.each(keys(/^\/api\/quarantine/))('%s answers 404 quarantine_not_configured without a quarantine', async (key) => {
    const res = await send(withoutParts, key);
    note(key, res);
    expect(res.status, res.text).toBe(404);
    expect(res.body.code).toBe('quarantine_not_configured');
  });

  it.each(keys(/^\/api\/helpdesk\//))('%s answers 404 helpdesk_not_configured without a helpdesk', async (key) => {
    const res = await send(withoutParts, key);
    note(key, res);
    expect(res.status, res.text).toBe(404);
    expect(res.body.code).toBe('helpdesk_not_configured');
  });

  it.each(['GET /api/quarantine/digest', 'PUT /api/quarantine/digest'])('%s answers 404 digests_not_configured when the site sends no mail', async (key) => {
    const res = await send(withoutOutbound, key);
    note(key, res);
    expect(res.status, res.text).toBe(404);
    expect(res.body.code).toBe('digests_not_configured');
  });
});

describe('saves name the version they change', () => {
  let client: ApiClient;
  beforeAll(async () => {
    client = await api.signIn(USER);
  });

  /** Each save as its page sends it: the body it read back, and the etag it read. */
  const saves: Record<string, (c: ApiClient) => Promise<{ path: string; json: unknown; etag: string }>> = {
    'PUT /api/vacation': async (c) => {
      const { body } = await c.request('GET', '/api/vacation');
      return { path: '/api/vacation', json: { ...(body.vacation as object), subject: 'Διακοπές ως τις 3/1', message: 'Θα απαντήσω σύντομα.' }, etag: body.etag as string };
    },
    'PUT /api/spam': async (c) => {
      const { body } = await c.request('GET', '/api/spam');
      return { path: '/api/spam', json: body.spam, etag: body.etag as string };
    },
    'PUT /api/forwarding': async (c) => {
      const { body } = await c.request('GET', '/api/forwarding');
      return { path: '/api/forwarding', json: { addresses: ['maria.papadopoulou@example.org'], keepCopy: true }, etag: body.etag as string };
    },
    'PUT /api/filters': async (c) => {
      const { body } = await c.request('GET', '/api/filters');
      return { path: '/api/filters', json: { items: [{ kind: 'rule', ...SAVED_RULE }] }, etag: body.etag as string };
    },
    'POST /api/filters/import': async (c) => {
      const { body } = await c.request('GET', '/api/filters');
      const file = Buffer.from('require "fileinto";\r\nif header :contains "subject" "σεμινάριο" { fileinto "INBOX"; }\r\n', 'utf8').toString('base64');
      return { path: '/api/filters/import', json: { file }, etag: body.etag as string };
    },
    'PUT /api/script/raw': async (c) => {
      const { body } = await c.request('GET', '/api/script/raw');
      return { path: '/api/script/raw', json: { text: '# Σχόλιο\nkeep;\n' }, etag: body.etag as string };
    },
  };
  const SAVED_RULE = { id: 'new-1', name: 'Σεμινάρια', enabled: true, match: 'all', conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'σεμινάριο' }], actions: [{ type: 'fileinto', mailbox: 'INBOX', copy: false, create: false }], stop: false };

  it('covers every operation that takes If-Match but the helpdesk’s actions, the history restore and “This wasn’t me” (their own tests)', () => {
    const takesIfMatch = Object.keys(OPERATIONS).filter((key) => operationOf(doc, key).parameters?.some((p) => p.in === 'header' && p.name === 'if-match'));
    const elsewhere = ['POST /api/helpdesk/users/{uid}/actions/{action}', 'POST /api/script/history/{id}/restore', 'POST /api/security/alerts/{id}/not-me'];
    expect(takesIfMatch.filter((k) => !elsewhere.includes(k)).sort()).toEqual(Object.keys(saves).sort());
  });

  it.each(Object.keys(saves))('%s: 428 precondition_required without If-Match, 409 conflict with the state now for an old one; nothing changed', async (key) => {
    const state = await accountState(api.services.config, api.services, USER.uid);
    const save = await saves[key]!(client);
    const method = key.split(' ')[0]!;
    const missing = await client.request(method, save.path, { json: save.json });
    note(key, missing);
    expect(missing.status, missing.text).toBe(428);
    expect(missing.body.code).toBe('precondition_required');
    const stale = await client.request(method, save.path, { json: save.json, headers: { 'if-match': `"${'0'.repeat(16)}"` } });
    note(key, stale);
    expect(stale.status, stale.text).toBe(409);
    expect(stale.body.code).toBe('conflict');
    expect(stale.body.current).toBeTruthy();
    expect(await accountState(api.services.config, api.services, USER.uid)).toEqual(state);
    // The same save with the etag goes through: the refusals were about the version alone.
    const saved = await client.request(method, save.path, { json: save.json, headers: { 'if-match': save.etag } });
    note(key, saved);
    expect(saved.status, saved.text).toBe(200);
  });
});

describe('requests that do not validate (hostile input)', () => {
  let client: ApiClient;
  beforeAll(async () => {
    // Whatever the saves above left (a custom block, a forward) is not part of these cases.
    await resetUser(USER.uid);
    client = await api.signIn(USER);
  });

  /** A page's own body with some fields replaced, as a tampered page would send it. */
  const from = (path: string, part: string, replaced: Record<string, unknown>) => async (c: ApiClient) => {
    const view = await c.request('GET', path);
    return { json: { ...(view.body[part] as object), ...replaced }, etag: view.body.etag as string };
  };
  const rule = (over: Record<string, unknown>) => ({ ...SAMPLE_RULE, ...over });
  type Body = (c: ApiClient) => Promise<{ json: unknown; etag?: string }>;
  const fixed = (json: unknown): Body => async () => ({ json });
  const withEtagOf = (path: string, json: unknown): Body => async (c) => ({ json, etag: (await c.request('GET', path)).body.etag as string });

  // Each: the operation, the request, the codes per field. Unicode: Greek with tonos and final
  // sigma, NFD, bidi and zero-width format characters, C0 and C1 controls, header injection.
  const cases: Array<[key: string, path: string, body: Body | null, fields: Record<string, string>]> = [
    ['POST /api/session', '/api/session', fixed({ username: 'alice\u0000', password: '' }), { username: 'invalid', password: 'required' }],
    ['POST /api/admin/revoke-sessions', '/api/admin/revoke-sessions', fixed({ uid: 'load179)(uid=*', reason: 'εντολή\u202eτου' }), { uid: 'invalid', reason: 'format_character' }],
    ['PUT /api/script/raw', '/api/script/raw', fixed({ text: ' \n\t ' }), { text: 'empty' }],
    ['POST /api/script/check', '/api/script/check', fixed({ text: 42 }), { text: 'required' }],
    ['POST /api/scripts/{name}/rename', '/api/scripts/roundcube/rename', fixed({ newName: 'ίχνος\u0085' }), { newName: 'invalid' }],
    ['POST /api/scripts/{name}/activate', `/api/scripts/${'σ'.repeat(129)}/activate`, fixed({}), { name: 'too_long' }],
    ['PUT /api/vacation', '/api/vacation', from('/api/vacation', 'vacation', { subject: 'Άδεια\r\nBcc: victim@example.org' }), { subject: 'line_break' }],
    ['PUT /api/spam', '/api/spam', from('/api/spam', 'spam', { allow: ['οχι μια διεύθυνση'], block: ['spam@example.org', 'SPAM@example.org'] }), { 'allow.0': 'not_address_or_domain', 'block.1': 'duplicate' }],
    ['PUT /api/forwarding', '/api/forwarding', from('/api/forwarding', 'forwarding', { addresses: ['user%elsewhere@example.org', 'root@localhost', USER.mail] }), { 'addresses.0': 'source_route', 'addresses.1': 'reserved_domain', 'addresses.2': 'own_address' }],
    ['PUT /api/filters', '/api/filters', withEtagOf('/api/filters', { items: [{ kind: 'rule', ...rule({ conditions: [{ type: 'subject', operator: 'contains', negate: false, value: '' }] }) }] }), { 'items.0.conditions.0.value': 'required' }],
    ['PUT /api/quarantine/digest', '/api/quarantine/digest', fixed({ schedule: 'hourly', language: 'fr' }), { schedule: 'invalid', language: 'invalid' }],
    ['GET /api/quarantine', '/api/quarantine?page=0&reason=ιός', null, { page: 'out_of_range', reason: 'invalid' }],
    ['GET /api/quarantine-requests', '/api/quarantine-requests?pageSize=101', null, { pageSize: 'out_of_range' }],
    ['POST /api/quarantine-requests/{id}/decision', '/api/quarantine-requests/sample/decision', fixed({ decision: 'maybe', reason: ' \u00a0 ' }), { decision: 'invalid', reason: 'required' }],
    ['POST /api/quarantine/bulk', '/api/quarantine/bulk', fixed({ action: 'release', ids: [] }), { ids: 'required' }],
    ['GET /api/quarantine/{id}', '/api/quarantine/a.b', null, { id: 'invalid' }],
    ['DELETE /api/quarantine/{id}', `/api/quarantine/${encodeURIComponent('α\u200bβ')}`, null, { id: 'invalid' }],
    ['POST /api/quarantine/{id}/release', '/api/quarantine/sample/release', fixed({ allowSender: 'yes' }), { allowSender: 'invalid' }],
    ['PUT /api/aliases/additional', '/api/aliases/additional', fixed({ address: 'Γιώργος.Ανδρέου@cs.ucy.ac.cy' }), { address: 'invalid_characters' }],
    ['PUT /api/aliases/additional', '/api/aliases/additional', fixed({ address: 'postmaster@cs.ucy.ac.cy' }), { address: 'role_address' }],
    ['GET /api/quota/empty-preview', '/api/quota/empty-preview?folder=INBOX', null, { folder: 'invalid' }],
    ['POST /api/quota/empty', '/api/quota/empty', fixed({ folder: 'SPAM', expectedMessages: -1, uidValidity: '0', uidNext: 0 }), { expectedMessages: 'invalid', uidValidity: 'invalid', uidNext: 'invalid' }],
    ['POST /api/filters/test', '/api/filters/test', fixed({ rule: rule({ conditions: [{ type: 'header', header: 'X-Σ\r\nBcc', operator: 'contains', negate: false, value: 'x' }] }) }), { 'rule.conditions.0.header': 'invalid_header_name' }],
    ['POST /api/filters/apply/preview', '/api/filters/apply/preview', fixed({ rule: rule({ actions: [{ type: 'discard' }] }) }), { 'rule.actions': 'not_applicable', 'rule.actions.0.type': 'not_applicable' }],
    ['POST /api/filters/apply', '/api/filters/apply', fixed({ rule: SAMPLE_RULE, token: 'forged' }), { token: 'invalid' }],
    ['POST /api/folders', '/api/folders', fixed({ name: 'Εργασ\u200dία' }), { name: 'invisible_character' }],
    ['POST /api/folders', '/api/folders', fixed({ name: '..' }), { name: 'dot_level' }],
  ];

  it.each(cases)('%s %s answers 400 validation with a code per field, changing nothing', async (key, path, body, fields) => {
    const state = await accountState(api.services.config, api.services, USER.uid);
    const method = key.split(' ')[0]!;
    const built = body ? await body(client) : null;
    const res = await client.request(method, path, { ...(built ? { json: built.json } : {}), headers: built?.etag ? { 'if-match': built.etag } : {} });
    note(key, res);
    expect(res.status, res.text).toBe(400);
    expect(res.body.code).toBe('validation');
    expect(res.body.fields).toEqual(fields);
    expect(await accountState(api.services.config, api.services, USER.uid)).toEqual(state);
  });
});

describe('what this file saw', () => {
  it('is documented: every status each operation answered is in its OpenAPI responses', () => {
    const undocumented = [...seen].flatMap(([key, statuses]) => [...statuses].filter((s) => !(String(s) in operationOf(doc, key).responses)).map((s) => `${key} ${s}`));
    expect(undocumented).toEqual([]);
  });

  it('has words in English and Greek: every error code and every field code', async () => {
    const words = await spaWords();
    for (const code of codes.errors) for (const lang of ['en', 'el'] as const) expect(words[lang].errors.has(code), `${lang} errors.${code}`).toBe(true);
    for (const code of codes.fields) for (const lang of ['en', 'el'] as const) expect(words[lang].anywhere.has(code), `${lang} …${code}`).toBe(true);
    expect(codes.errors.size).toBeGreaterThan(5);
  });
});
