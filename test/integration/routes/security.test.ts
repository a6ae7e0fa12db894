import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountState, type AccountState } from '../../support/account-state';
import { GTUBE, filterMessage, sendThroughFilter } from '../../support/content-filter';
import { putInactiveScript } from '../../support/feature';
import type { ApiClient } from '../../support/http';
import { inProcessApi, operationKeys, type InProcessApi, type OpenApiDocument } from '../../support/in-process';
import { deliverMessage, loadUser, makeMessage, resetUser } from '../../support/stack';
import { MUTATING, OPERATIONS, SAMPLE_RULE, methodOf, operationFor, requestOf, sendOperation } from './operations';

// Route security, for every operation of the OpenAPI document: who may call it (401 without a
// session, 403 outside its group), CSRF on every mutating request, and another user's ids.
// Every refusal must leave both users exactly as they were, which the last test checks.

const ATTACKER = loadUser(178);
const VICTIM = loadUser(179);
const EVIL_ORIGIN = 'https://evil.example';

let api: InProcessApi;
let doc: OpenApiDocument;
let attacker: ApiClient;
let victim: ApiClient;
/** The victim's things the attacker will name. */
const theirs = { sessionHandle: '', alertId: '', heldId: '', historyId: '', script: 'roundcube', applyToken: '' };
let before: { attacker: AccountState; victim: AccountState };

const signedInOnly = Object.entries(OPERATIONS).filter(([, op]) => op.access !== 'public').map(([key]) => key);
const mutating = Object.keys(OPERATIONS).filter((key) => MUTATING.has(methodOf(key)));
const membersOnly = Object.entries(OPERATIONS).filter(([, op]) => !['public', 'signed-in'].includes(op.access)).map(([key]) => key);

async function ok(client: ApiClient, method: string, path: string, options: Parameters<ApiClient['request']>[2] = {}) {
  const res = await client.request(method, path, options);
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.body;
}

/** The victim has a forward (and so an alert), a history, another script, held mail, a previewed rule. */
async function giveTheVictimThings(): Promise<void> {
  const config = api.services.config;
  const forwarding = await ok(victim, 'GET', '/api/forwarding');
  await ok(victim, 'PUT', '/api/forwarding', { json: { addresses: ['elsewhere@example.org'], keepCopy: true }, headers: { 'if-match': forwarding.etag as string } });
  const vacation = await ok(victim, 'GET', '/api/vacation');
  await ok(victim, 'PUT', '/api/vacation', {
    json: { ...(vacation.vacation as object), enabled: true, start: null, end: null, subject: 'Εκτός γραφείου', message: 'Λείπω.' },
    headers: { 'if-match': vacation.etag as string },
  });
  const alerts = (await ok(victim, 'GET', '/api/security/alerts')).alerts as Array<{ id: string }>;
  const history = (await ok(victim, 'GET', '/api/script/history')) as unknown as Array<{ id: string }>;
  const sessions = (await ok(victim, 'GET', '/api/sessions')).sessions as Array<{ id: string }>;
  await putInactiveScript(config, VICTIM.uid, theirs.script, 'keep;\n');
  const held = await sendThroughFilter({ from: 'spammer@example.net', to: VICTIM.mail, raw: filterMessage({ from: 'spammer@example.net', to: VICTIM.mail, subject: 'routes security', body: GTUBE }) });
  expect(held.outcome).toBe('held');
  const items = (await ok(victim, 'GET', '/api/quarantine')).items as Array<{ id: string }>;
  await deliverMessage({ to: VICTIM.uid, raw: makeMessage({ to: VICTIM.mail, subject: 'Your invoice' }) });
  const preview = await ok(victim, 'POST', '/api/filters/apply/preview', { json: { rule: SAMPLE_RULE } });
  expect(preview.count).toBe(1);
  Object.assign(theirs, { sessionHandle: sessions[0]?.id, alertId: alerts[0]?.id, heldId: items[0]?.id, historyId: history[0]?.id, applyToken: preview.token });
  for (const [what, value] of Object.entries(theirs)) expect(value, what).toBeTruthy();
}

const bothStates = async () => ({
  attacker: await accountState(api.services.config, api.services, ATTACKER.uid),
  victim: await accountState(api.services.config, api.services, VICTIM.uid),
});

beforeAll(async () => {
  api = await inProcessApi();
  doc = await api.openApi();
  await Promise.all([ATTACKER, VICTIM].map((u) => resetUser(u.uid)));
  [attacker, victim] = await Promise.all([api.signIn(ATTACKER), api.signIn(VICTIM)]);
  await giveTheVictimThings();
  before = await bothStates();
});

afterAll(async () => {
  await api.close();
});

describe('the security table', () => {
  it('places every operation of the OpenAPI document, and no other', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(operationKeys(doc).sort());
  });

  it('documents 401 for every operation that needs a session', () => {
    const undocumented = signedInOnly.filter((key) => {
      const [method = '', path = ''] = key.split(' ');
      return !('401' in (doc.paths[path]?.[method.toLowerCase()]?.responses ?? {}));
    });
    expect(undocumented).toEqual([]);
  });
});

describe('without a session', () => {
  it.each(signedInOnly)('%s answers 401 unauthenticated', async (key) => {
    const res = await sendOperation(api.anonymous(), key);
    expect(res.status, res.text).toBe(401);
    expect(res.body).toMatchObject({ code: 'unauthenticated', requestId: expect.any(String) });
  });

  it('a forged or foreign-keyed session cookie is no session', async () => {
    const name = api.services.config.session.cookieName;
    for (const cookie of [`${name}=e30.e30.e30.e30.e30`, `${name}=${attacker.cookie.split('=')[1]!.slice(0, -4)}AAAA`]) {
      const client = api.anonymous();
      client.cookie = cookie;
      const res = await client.request('GET', '/api/me');
      expect(res.status, cookie).toBe(401);
    }
  });
});

describe('cross-site requests (CSRF), signed in', () => {
  it.each(mutating.filter((k) => OPERATIONS[k]!.access !== 'public'))('%s is refused without the token, with a wrong one, another session’s, or from another site', async (key) => {
    const tries: Array<[string, Record<string, string>, { csrf?: boolean }]> = [
      ['no token', {}, { csrf: false }],
      ['wrong token', { 'x-csrf-token': 'A'.repeat(attacker.csrfToken.length) }, {}],
      ['the victim’s token', { 'x-csrf-token': victim.csrfToken }, {}],
      ['another origin', { origin: EVIL_ORIGIN }, {}],
      ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, {}],
    ];
    for (const [what, headers, options] of tries) {
      const res = await sendOperation(attacker, key, headers, options);
      expect(res.status, `${what}: ${res.text}`).toBe(403);
      expect(res.body.code, what).toBe('csrf');
    }
    if (methodOf(key) !== 'DELETE') {
      // A form post from another site cannot send JSON: a body of another type is refused before anything reads it.
      const { method, path, headers } = requestOf(key);
      const res = await attacker.request(method, path, { body: 'a=1', headers: { ...headers, 'content-type': 'text/plain' } });
      expect(res.status, res.text).toBe(415);
      expect(res.body.code).toBe('unsupported_media_type');
    }
  });

  it.each(mutating.filter((k) => OPERATIONS[k]!.access === 'public'))('%s (no session needed) still refuses another site', async (key) => {
    const res = await sendOperation(api.anonymous(), key, { origin: EVIL_ORIGIN });
    expect(res.status, res.text).toBe(403);
    expect(res.body.code).toBe('csrf');
  });
});

describe('operations of a group', () => {
  it.each(membersOnly)('%s answers 403 forbidden to a user outside it', async (key) => {
    const res = await sendOperation(attacker, key);
    expect(res.status, res.text).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });
});

describe('another user’s ids', () => {
  /** The operations named with one of the victim's ids below. */
  const tried = new Set<string>();
  const notFound = async (method: string, path: string, code: string, options: Parameters<ApiClient['request']>[2] = {}) => {
    tried.add(operationFor(method, path));
    const res = await attacker.request(method, path, options);
    expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
    expect(res.body.code).toBe(code);
  };

  it('a session handle: session_not_found', async () => {
    await notFound('DELETE', `/api/sessions/${theirs.sessionHandle}`, 'session_not_found');
  });

  it('an alert: alert_not_found, for both answers', async () => {
    const etag = (await ok(attacker, 'GET', '/api/security/alerts')).etag as string;
    await notFound('POST', `/api/security/alerts/${theirs.alertId}/not-me`, 'alert_not_found', { json: {}, headers: { 'if-match': etag } });
    await notFound('POST', `/api/security/alerts/${theirs.alertId}/acknowledge`, 'alert_not_found', { json: {} });
  });

  it('held mail: not_found to look, release or delete; the bulk action reports it not_found', async () => {
    await notFound('GET', `/api/quarantine/${theirs.heldId}`, 'not_found');
    await notFound('POST', `/api/quarantine/${theirs.heldId}/release`, 'not_found', { json: {} });
    await notFound('DELETE', `/api/quarantine/${theirs.heldId}`, 'not_found');
    for (const action of ['release', 'delete']) {
      tried.add('POST /api/quarantine/bulk');
      const bulk = await ok(attacker, 'POST', '/api/quarantine/bulk', { json: { action, ids: [theirs.heldId] } });
      expect(bulk).toEqual({ done: [], requested: [], failed: [{ id: theirs.heldId, code: 'not_found' }] });
    }
  });

  it('a script name (each user has her own): not_found to activate, rename or delete', async () => {
    await notFound('POST', `/api/scripts/${theirs.script}/activate`, 'not_found', { json: {} });
    await notFound('POST', `/api/scripts/${theirs.script}/rename`, 'not_found', { json: { newName: 'stolen' } });
    await notFound('DELETE', `/api/scripts/${theirs.script}`, 'not_found');
  });

  it('a history version: not_found to read or restore', async () => {
    await notFound('GET', `/api/script/history/${theirs.historyId}`, 'not_found');
    const etag = (await ok(attacker, 'GET', '/api/script/raw')).etag as string;
    await notFound('POST', `/api/script/history/${theirs.historyId}/restore`, 'not_found', { json: {}, headers: { 'if-match': etag } });
  });

  it('an address of hers: not the attacker’s alias to remove', async () => {
    await notFound('DELETE', `/api/aliases/additional?address=${encodeURIComponent(VICTIM.alias)}`, 'not_found');
  });

  it('a rule preview token of hers: token invalid', async () => {
    tried.add('POST /api/filters/apply');
    const res = await attacker.request('POST', '/api/filters/apply', { json: { rule: SAMPLE_RULE, token: theirs.applyToken } });
    expect(res.status, res.text).toBe(400);
    expect(res.body.fields).toEqual({ token: 'invalid' });
  });

  it('is tried for every operation that takes an id in its path (those of a group refuse everyone else: above)', () => {
    const withIds = Object.entries(OPERATIONS).filter(([key, op]) => op.access === 'signed-in' && key.includes('{')).map(([key]) => key);
    expect(withIds.filter((key) => !tried.has(key))).toEqual([]);
  });
});

describe('after every refusal', () => {
  it('both users are exactly as they were: scripts, directory, mail, sessions, alerts, held mail', async () => {
    expect(await bothStates()).toEqual(before);
    const held = (await ok(victim, 'GET', '/api/quarantine')).items as Array<{ id: string; status: string }>;
    expect(held.find((h) => h.id === theirs.heldId)).toMatchObject({ status: 'held' });
  });
});
