// The helpdesk's side (issue 16) on the real stack: who may use it (every route from the
// OpenAPI document), finding a user by any name, address or login whatever the accents and
// case, explaining mail sent in through the real content filter, and acting on a user's
// behalf with a reason, each look and action on the user's own record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GTUBE, filterMessage, sendThroughFilter } from '../../support/content-filter';
import { helpdeskDirectory, type HelpdeskDirectory } from '../../support/helpdesk';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser, mailboxMessages, resetUser, startPiece } from '../../support/stack';
import { newRule, putFilters, subjectContains } from './filters-support';

// This file's own users.
const MEMBER = loadUser(64);
const READ_ONLY = loadUser(65);
const OUTSIDER = loadUser(66);
const TARGET = loadUser(69);
const OUTSIDE_BASE = `hd-outside-${process.pid}`;
// The target's name while this file runs: Greek, with tonos and a final sigma.
const GIVEN = 'Σωκράτης';
const SURNAME = 'Παπαδόπουλος';

let server: TestServer;
let directory: HelpdeskDirectory;
let member: ApiClient;
let readOnly: ApiClient;
let outsider: ApiClient;
let target: ApiClient;
const token = `hd${process.pid}x${Date.now()}`;

async function signedIn(user: { uid: string; password: string }): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  expect((await client.signIn(user.uid, user.password)).status).toBe(200);
  return client;
}

const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
const lookedAt = () => server.services.activity.list(TARGET.uid, 'helpdesk');
const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const soon = () => new Date(Date.now() + 60_000).toISOString();

beforeAll(async () => {
  for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
  directory = await helpdeskDirectory({ act: [MEMBER.uid], look: [READ_ONLY.uid] });
  await directory.rename(TARGET.uid, GIVEN, SURNAME);
  await directory.addOutsider(OUTSIDE_BASE);
  server = await startTestServer(directory.adjust);
  await resetUser(TARGET.uid);
  [member, readOnly, outsider, target] = await Promise.all([signedIn(MEMBER), signedIn(READ_ONLY), signedIn(OUTSIDER), signedIn(TARGET)]);
});

afterAll(async () => {
  await directory?.restore();
  await server?.close();
});

describe('who may use the helpdesk', () => {
  /** A well-formed request for each helpdesk route, so only the caller decides the answer. */
  const samples: Record<string, { method: string; path: string; json?: unknown }> = {
    'get /api/helpdesk/me': { method: 'GET', path: '/api/helpdesk/me' },
    'get /api/helpdesk/users': { method: 'GET', path: `/api/helpdesk/users${q({ q: 'load' })}` },
    'get /api/helpdesk/users/{uid}/delivery': { method: 'GET', path: `/api/helpdesk/users/${TARGET.uid}/delivery${q({ reason: 'ticket 1' })}` },
    'get /api/helpdesk/users/{uid}/messages': { method: 'GET', path: `/api/helpdesk/users/${TARGET.uid}/messages${q({ reason: 'ticket 1', since: '2026-01-01T00:00:00Z', until: '2026-01-02T00:00:00Z' })}` },
    'post /api/helpdesk/users/{uid}/actions/{action}': { method: 'POST', path: `/api/helpdesk/users/${TARGET.uid}/actions/vacation-off`, json: { reason: 'ticket 1', confirm: TARGET.uid } },
  };

  it('answers 403 to a signed-in non-member on every helpdesk route the OpenAPI document lists, and 401 to nobody', async () => {
    const doc = (await new ApiClient(server.url).request('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/helpdesk'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(routes.sort()).toEqual(Object.keys(samples).sort());
    const anonymous = new ApiClient(server.url);
    for (const route of routes) {
      const sample = samples[route] as (typeof samples)[string];
      const refused = await outsider.request(sample.method, sample.path, sample.json === undefined ? {} : { json: sample.json, headers: { 'if-match': '"x"' } });
      expect(refused.status, route).toBe(403);
      expect(refused.body.code, route).toBe('forbidden');
      expect((await anonymous.request(sample.method, sample.path, sample.json === undefined ? {} : { json: sample.json })).status, route).toBe(401);
    }
    expect(await lookedAt()).toEqual([]);
  });

  it('tells the SPA who is a member (either group), so only they are offered the Helpdesk page', async () => {
    const says = async (client: ApiClient) => ((await client.request('GET', '/api/me')).body.me as { helpdesk: boolean }).helpdesk;
    expect(await Promise.all([member, readOnly, outsider, target].map(says))).toEqual([true, true, false, false]);
  });

  it('refuses a non-member before reading the input, so a bad request tells them nothing more', async () => {
    const answer = await outsider.request('GET', `/api/helpdesk/users${q({ q: '*)(uid=*' })}`);
    expect(answer.status).toBe(403);
  });

  it('lets a read-only member look but answers 403 to every action', async () => {
    const doc = (await readOnly.request('GET', '/api/openapi.json')).body as { paths: Record<string, { post: { parameters: Array<{ name: string; schema: { enum?: string[] } }> } }> };
    const actions = doc.paths['/api/helpdesk/users/{uid}/actions/{action}']?.post.parameters.find((p) => p.name === 'action')?.schema.enum ?? [];
    expect(actions.sort()).toEqual(['empty-spam', 'remove-forward', 'vacation-off']);
    expect((await readOnly.request('GET', '/api/helpdesk/me')).body).toEqual({ may: 'look', actions: [] });
    for (const action of actions) {
      const body = { reason: 'ticket 2', confirm: TARGET.uid, address: 'x@example.org', spam: { uidValidity: '1', uidNext: 1, expectedMessages: 0 } };
      const refused = await readOnly.request('POST', `/api/helpdesk/users/${TARGET.uid}/actions/${action}`, { json: body, headers: { 'if-match': '"x"' } });
      expect(refused.status, action).toBe(403);
    }
    expect((await readOnly.request('GET', `/api/helpdesk/users/${TARGET.uid}/delivery${q({ reason: 'ticket 2: read-only look' })}`)).status).toBe(200);
    expect((await lookedAt()).filter((e) => e.kind === 'action')).toEqual([]);
  });

  it('never on one’s own account, and never on anyone outside the people base', async () => {
    const own = await member.request('GET', `/api/helpdesk/users/${MEMBER.uid}/delivery${q({ reason: 'curious' })}`);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('helpdesk_own_account');
    const ownAction = await member.request('POST', `/api/helpdesk/users/${MEMBER.uid.toUpperCase()}/actions/vacation-off`, { json: { reason: 'x', confirm: MEMBER.uid.toUpperCase() }, headers: { 'if-match': '"x"' } });
    expect(ownAction.status).toBe(403);
    const found = await member.request('GET', `/api/helpdesk/users${q({ q: MEMBER.uid })}`);
    expect((found.body.users as Array<{ uid: string }>).map((u) => u.uid)).not.toContain(MEMBER.uid);

    const outside = await member.request('GET', `/api/helpdesk/users/${OUTSIDE_BASE}/delivery${q({ reason: 'ticket 3' })}`);
    expect(outside.status).toBe(404);
    expect((await member.request('GET', `/api/helpdesk/users${q({ q: OUTSIDE_BASE })}`)).body.users).toEqual([]);
    for (const uid of ['..%2F..', 'a*', 'x%00y', 'uid=admin,dc=cs']) {
      expect((await member.request('GET', `/api/helpdesk/users/${uid}/delivery${q({ reason: 'ticket 3' })}`)).status, uid).toBe(404);
    }
  });

  it('refuses every look and action without a reason, or with one that is only whitespace or control characters, and records nothing', async () => {
    const before = (await lookedAt()).length;
    for (const reason of [undefined, '', '   ', '\t\n', 'ticket\u0000', 'a\u200Eb', 'x'.repeat(201)]) {
      const withReason = (params: Record<string, string>) => q(reason === undefined ? params : { ...params, reason });
      const looks = [
        `/api/helpdesk/users/${TARGET.uid}/delivery${withReason({})}`,
        `/api/helpdesk/users/${TARGET.uid}/messages${withReason({ since: hourAgo(), until: soon() })}`,
      ];
      for (const path of looks) {
        const refused = await member.request('GET', path);
        expect(refused.status, `${path} ${JSON.stringify(reason)}`).toBe(400);
        expect(Object.keys(refused.body.fields as object)).toContain('reason');
      }
      const action = await member.request('POST', `/api/helpdesk/users/${TARGET.uid}/actions/vacation-off`, {
        json: reason === undefined ? { confirm: TARGET.uid } : { reason, confirm: TARGET.uid },
        headers: { 'if-match': '"x"' },
      });
      expect(action.status, JSON.stringify(reason)).toBe(400);
    }
    expect((await lookedAt()).length).toBe(before);
  });
});

describe('finding a user', () => {
  const search = async (text: string) => member.request('GET', `/api/helpdesk/users${q({ q: text })}`);
  const uidsFor = async (text: string) => {
    const answer = await search(text);
    expect(answer.status, `${JSON.stringify(text)}: ${answer.text}`).toBe(200);
    return (answer.body.users as Array<{ uid: string }>).map((u) => u.uid);
  };

  it('by a Greek name typed without accents, in any case and Unicode form, final sigma or not', async () => {
    for (const typed of ['σωκρατης', 'ΣΩΚΡΑΤΗΣ', 'Σωκρατησ', 'παπαδοπουλος', 'ΠΑΠΑΔΌΠΟΥΛΟΣ', 'Παπαδόπουλος'.normalize('NFD'), 'σωκράτης παπαδ', 'Παπαδοπουλο']) {
      expect(await uidsFor(typed), typed).toContain(TARGET.uid);
    }
    expect(await uidsFor('Σωκρατες')).not.toContain(TARGET.uid);
  });

  it('by login, address or alias, and says which address matched', async () => {
    expect((await uidsFor(TARGET.uid))[0]).toBe(TARGET.uid);
    expect((await uidsFor(TARGET.mail.toUpperCase()))[0]).toBe(TARGET.uid);
    const byAlias = await search(TARGET.alias);
    expect((byAlias.body.users as Array<{ uid: string; matchedAddress: string | null }>)[0]).toMatchObject({ uid: TARGET.uid, matchedAddress: TARGET.alias });
  });

  it('takes LDAP filter characters literally and refuses what cannot be a query', async () => {
    for (const text of ['*)(uid=*', '**', '*', '\\2a', 'load*', ')(objectClass=*']) {
      const answer = await search(text);
      if (answer.status === 400) expect(answer.body.fields).toEqual({ q: 'too_short' });
      else expect(answer.body.users, text).toEqual([]);
    }
    const problems: Array<[string, string]> = [
      ['x'.repeat(1000), 'too_long'],
      ['ab\u0000c', 'invalid_characters'],
      ['ab\u202Ec', 'invalid_characters'],
      [' a ', 'too_short'],
      ['', 'too_short'],
    ];
    for (const [text, code] of problems) {
      const answer = await search(text);
      expect(answer.status, JSON.stringify(text)).toBe(400);
      expect(answer.body.fields, JSON.stringify(text)).toEqual({ q: code });
    }
  });

  it('is bounded: a query every load user matches answers at most 20', async () => {
    const answer = await search('load');
    expect((answer.body.users as unknown[]).length).toBe(20);
  });
});

describe('explaining a message', () => {
  const messageIdOf = (raw: string) => /^Message-ID: (<[^>]+>)/m.exec(raw)?.[1] as string;
  const explain = (params: Record<string, string>) => member.request('GET', `/api/helpdesk/users/${TARGET.uid}/messages${q({ reason: 'ticket 4711', ...params })}`);

  interface Explained {
    subject: string;
    verdict: string;
    content: string;
    score: number | null;
    tests: Array<{ name: string }> | null;
    delivery: { found: boolean; folder?: string; rules?: Array<{ name: string; actions: Array<{ type: string; target: string | null }> }>; spamFiled?: boolean } | null;
  }

  it('a GTUBE the content filter quarantined: held as spam, with its score and tests, found by Message-ID with or without brackets', async () => {
    const subject = `gtube ${token}`;
    const raw = filterMessage({ from: 'Spammer <spam@example.org>', to: TARGET.mail, subject, body: `Buy now.\n${GTUBE}\n` });
    expect((await sendThroughFilter({ from: 'spam@example.org', to: TARGET.mail, raw })).outcome).toBe('held');
    const id = messageIdOf(raw);
    for (const messageId of [id, id.slice(1, -1), `  ${id} `]) {
      const answer = await explain({ since: hourAgo(), until: soon(), messageId });
      expect(answer.status, answer.text).toBe(200);
      const [message] = answer.body.messages as Explained[];
      expect(message).toMatchObject({ subject, verdict: 'held', content: 'spam', delivery: null });
      expect(message?.score).toBeGreaterThanOrEqual(20);
      expect(message?.tests?.map((t) => t.name)).toContain('GTUBE');
      expect(answer.text).not.toContain('Buy now');
      expect(answer.body.cannotShow).toEqual(expect.arrayContaining(['before-filter', 'script-now']));
    }
  });

  it('a clean message a filter of the user moved: passed, and which rule filed it where', async () => {
    const filters = await putFilters(target, [newRule({ name: 'Lab reports', conditions: [subjectContains('lab-report')], actions: [{ type: 'fileinto', mailbox: 'Lab', copy: false, create: true }] })]);
    expect(filters.status, filters.text).toBe(200);
    const subject = `lab-report ${token}`;
    const raw = filterMessage({ from: 'Lab <lab@example.org>', to: TARGET.mail, subject, body: 'Results attached.' });
    expect((await sendThroughFilter({ from: 'lab@example.org', to: TARGET.mail, raw })).outcome).toBe('passed');
    expect((await mailboxMessages(TARGET.uid, 'Lab')).some((m) => m.includes(subject))).toBe(true);
    const answer = await explain({ since: hourAgo(), until: soon(), sender: 'lab@example.org' });
    expect(answer.status, answer.text).toBe(200);
    const message = (answer.body.messages as Explained[]).find((m) => m.subject === subject);
    expect(message).toMatchObject({ verdict: 'passed', content: 'clean' });
    expect(message?.delivery).toMatchObject({ found: true, folder: 'Lab', spamFiled: false, rules: [{ name: 'Lab reports', actions: [{ type: 'fileinto', target: 'Lab' }] }] });
    expect(answer.text).not.toContain('Results attached');
  });

  it('bounds the window with a clear code, and refuses Message-IDs that cannot be one', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{}, { since: 'window_unbounded' }],
      [{ since: iso(now - 3600_000) }, { until: 'window_unbounded' }],
      [{ since: iso(now), until: iso(now - 3600_000) }, { until: 'window_reversed' }],
      [{ since: iso(now - 365 * 86_400_000), until: iso(now) }, { until: 'window_too_long' }],
      [{ since: 'yesterday', until: iso(now) }, { since: 'invalid' }],
      [{ since: iso(now - 3600_000), until: iso(now), messageId: '<a b@c>' }, { messageId: 'invalid' }],
      [{ since: iso(now - 3600_000), until: iso(now), messageId: '<>' }, { messageId: 'invalid' }],
      [{ since: iso(now - 3600_000), until: iso(now), messageId: `<${'x'.repeat(300)}@example.org>` }, { messageId: 'too_long' }],
      [{ since: iso(now - 3600_000), until: iso(now), sender: 'a\u0000b' }, { sender: 'invalid_characters' }],
    ];
    for (const [params, fields] of cases) {
      const answer = await explain(params);
      expect(answer.status, JSON.stringify(params)).toBe(400);
      expect(answer.body.fields, JSON.stringify(params)).toEqual(fields);
    }
  });
});

describe('acting on a user’s behalf', () => {
  const act = (action: string, body: Record<string, unknown>, etag?: string) =>
    member.request('POST', `/api/helpdesk/users/${TARGET.uid}/actions/${action}`, { json: { reason: 'ticket 4712: user on leave', confirm: TARGET.uid, ...body }, ...(etag ? { headers: { 'if-match': etag } } : {}) });
  const screen = async () => {
    const answer = await member.request('GET', `/api/helpdesk/users/${TARGET.uid}/delivery${q({ reason: 'ticket 4712' })}`);
    expect(answer.status, answer.text).toBe(200);
    return (answer.body as { screen: { etags: { vacation: string; forwarding: string }; spamFolder: { uidValidity: string; uidNext: number; messages: number } } }).screen;
  };
  const notices = async () => (await mailboxMessages(TARGET.uid, 'INBOX')).filter((m) => m.includes('.helpdesk@'));

  it('turns vacation off with the screen’s ETag: 428 without it, 409 after the user changed it, a confirmation naming the user', async () => {
    const vacation = await target.request('GET', '/api/vacation');
    const on = await target.request('PUT', '/api/vacation', {
      json: { ...(vacation.body.vacation as object), enabled: true, message: 'Away until Monday.', subject: 'Away' },
      headers: { 'if-match': vacation.body.etag as string },
    });
    expect(on.status, on.text).toBe(200);
    const { etags } = await screen();
    expect((await act('vacation-off', {})).status).toBe(428);
    const wrongUser = await act('vacation-off', { confirm: READ_ONLY.uid }, etags.vacation);
    expect(wrongUser.status).toBe(400);
    expect(wrongUser.body.fields).toEqual({ confirm: 'mismatch' });
    const stale = await act('vacation-off', {}, '"stale"');
    expect(stale.status).toBe(409);
    expect(((await target.request('GET', '/api/vacation')).body.vacation as { enabled: boolean }).enabled).toBe(true);

    expect((await act('vacation-off', {}, etags.vacation)).status).toBe(204);
    expect(((await target.request('GET', '/api/vacation')).body.vacation as { enabled: boolean }).enabled).toBe(false);
    const [notice] = await notices();
    expect(notice).toBeDefined();
    const body = Buffer.from((notice as string).split(/\r?\n\r?\n/)[1] ?? '', 'base64').toString('utf8');
    expect(body).toContain('turned off your automatic reply');
    expect(body).toContain('ticket 4712: user on leave');
    expect(body).toContain('Load User 064');
    const [latest] = await lookedAt();
    expect(latest).toMatchObject({ kind: 'action', what: 'vacation-off', actor: MEMBER.uid, reason: 'ticket 4712: user on leave' });
  });

  it('removes one forward and empties SPAM exactly as shown', async () => {
    const forwarding = await target.request('GET', '/api/forwarding');
    const set = await target.request('PUT', '/api/forwarding', { json: { addresses: ['away@example.org', 'keep@example.org'], keepCopy: true }, headers: { 'if-match': forwarding.body.etag as string } });
    expect(set.status, set.text).toBe(200);
    let view = await screen();
    expect((await act('remove-forward', { address: 'nobody@example.org' }, view.etags.forwarding)).body.fields).toEqual({ address: 'not_found' });
    expect((await act('remove-forward', { address: 'away@example.org' }, view.etags.forwarding)).status).toBe(204);
    expect(((await target.request('GET', '/api/forwarding')).body.forwarding as { addresses: string[] }).addresses).toEqual(['keep@example.org']);

    const spamSubject = `score-spam ${token}`;
    const spam = filterMessage({ from: 'x@example.org', to: TARGET.mail, subject: spamSubject, body: 'EMAILNG-TEST-SCORE-8' });
    expect((await sendThroughFilter({ from: 'x@example.org', to: TARGET.mail, raw: spam })).outcome).toBe('passed');
    view = await screen();
    expect(view.spamFolder.messages).toBeGreaterThan(0);
    const { uidValidity, uidNext, messages } = view.spamFolder;
    expect((await act('empty-spam', { spam: { uidValidity, uidNext, expectedMessages: messages } })).status).toBe(204);
    expect(await mailboxMessages(TARGET.uid, 'SPAM')).toEqual([]);
    const actions = (await lookedAt()).filter((e) => e.kind === 'action').map((e) => e.what);
    expect(actions.slice(0, 2)).toEqual(['empty-spam', 'remove-forward']);
    expect((await notices()).length).toBeGreaterThanOrEqual(3);
  });

  it('records every look with who and why, newest first', async () => {
    const views = (await lookedAt()).filter((e) => e.kind === 'view');
    expect(views.some((e) => e.what === 'explain' && e.reason === 'ticket 4711' && e.actor === MEMBER.uid && e.actorName === 'Load User 064')).toBe(true);
    expect(views.some((e) => e.what === 'delivery' && e.actor === READ_ONLY.uid)).toBe(true);
  });
});
