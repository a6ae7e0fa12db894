import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR, GTUBE, filterMessage, sendThroughFilter } from '../../support/content-filter';
import { putActiveScript } from '../../support/feature';
import { helpdeskDirectory, type HelpdeskDirectory } from '../../support/helpdesk';
import type { ApiClient } from '../../support/http';
import { inProcessApi, operationOf, type InProcessApi, type OpenApiDocument } from '../../support/in-process';
import { deliverMessage, loadUser, makeMessage, resetUser } from '../../support/stack';
import { OPERATIONS, SAMPLE_RULE } from './operations';

// Route happy paths: every operation answered with a 2xx it documents, its body in the shape its
// OpenAPI definition gives (the route's own response schema), on real back ends. What each
// answer means for the mail is the features' tests' business (test/integration/features).

const USER = loadUser(181);
/** Another user: the one the administrator, the helpdesk and the approver act on. */
const OTHER = loadUser(182);

let api: InProcessApi;
let doc: OpenApiDocument;
let helpdesk: HelpdeskDirectory;
let user: ApiClient;
let other: ApiClient;
/** Operations that answered a documented 2xx in the shape they document. */
const covered = new Set<string>();

type Answer = Awaited<ReturnType<ApiClient['request']>>;

/** Asserts a documented 2xx in the documented shape, and returns the answer. */
async function expectShape(key: string, answer: Promise<Answer> | Answer): Promise<Answer> {
  const res = await answer;
  expect(res.status, `${key}: ${res.text}`).toBeGreaterThanOrEqual(200);
  expect(res.status, `${key}: ${res.text}`).toBeLessThan(300);
  expect(Object.keys(operationOf(doc, key).responses), key).toContain(String(res.status));
  const schema = api.responseSchema(key, res.status);
  if (schema) {
    const parsed = schema.safeParse(JSON.parse(res.text));
    expect(parsed.success, `${key}: ${JSON.stringify(parsed.error)}`).toBe(true);
  } else {
    expect(res.text, `${key} documents no JSON body`).toBe('');
  }
  covered.add(key);
  return res;
}

const REASON = 'ticket 4713: Ο χρήστης ρώτησε γιατί';

beforeAll(async () => {
  await Promise.all([USER, OTHER].map((u) => resetUser(u.uid)));
  helpdesk = await helpdeskDirectory({ act: [USER.uid], look: [] });
  api = await inProcessApi((c) => {
    const withGroup = helpdesk.adjust(c);
    return { ...withGroup, administrators: [USER.uid], quarantine: { ...withGroup.quarantine!, approverGroup: helpdesk.group } };
  });
  doc = await api.openApi();
  [user, other] = await Promise.all([api.signIn(USER), api.signIn(OTHER)]);
});

afterAll(async () => {
  await api.close();
  await helpdesk.restore();
});

describe('signing in and sessions', () => {
  it('health, sign-in, me, the sessions, ending one and the others, signing out', async () => {
    await expectShape('GET /api/health', api.anonymous().request('GET', '/api/health'));
    const second = api.anonymous();
    await expectShape('POST /api/session', second.signIn(USER.uid, USER.password));
    await expectShape('GET /api/me', user.request('GET', '/api/me'));
    const sessions = (await expectShape('GET /api/sessions', user.request('GET', '/api/sessions'))).body.sessions as Array<{ id: string; current: boolean }>;
    const secondId = sessions.find((s) => !s.current)!.id;
    await expectShape('DELETE /api/sessions/{id}', user.request('DELETE', `/api/sessions/${secondId}`));
    await api.signIn(USER);
    expect((await expectShape('POST /api/sessions/revoke-others', user.request('POST', '/api/sessions/revoke-others', { json: {} }))).body).toEqual({ ended: 1 });
    const leaving = await api.signIn(USER);
    await expectShape('DELETE /api/session', leaving.request('DELETE', '/api/session'));
    expect((await leaving.request('GET', '/api/me')).status).toBe(401);
  });

  it('an administrator ends every session of another user', async () => {
    const res = await expectShape('POST /api/admin/revoke-sessions', user.request('POST', '/api/admin/revoke-sessions', { json: { uid: OTHER.uid, reason: REASON } }));
    expect(res.body.ended).toBeGreaterThanOrEqual(1);
    expect((await other.request('GET', '/api/me')).status).toBe(401);
    other = await api.signIn(OTHER);
  });
});

describe('the settings pages', () => {
  it('vacation, spam, forwarding, filters: read, then saved with their etag', async () => {
    const vacation = await expectShape('GET /api/vacation', user.request('GET', '/api/vacation'));
    await expectShape(
      'PUT /api/vacation',
      user.request('PUT', '/api/vacation', {
        json: { ...(vacation.body.vacation as object), enabled: true, subject: 'Εκτός γραφείου ως τις 3/1', message: 'Θα απαντήσω όταν επιστρέψω.\nΕυχαριστώ!' },
        headers: { 'if-match': vacation.body.etag as string },
      }),
    );
    const spam = await expectShape('GET /api/spam', user.request('GET', '/api/spam'));
    await expectShape('PUT /api/spam', user.request('PUT', '/api/spam', { json: spam.body.spam, headers: { 'if-match': spam.body.etag as string } }));
    const forwarding = await expectShape('GET /api/forwarding', user.request('GET', '/api/forwarding'));
    await expectShape('PUT /api/forwarding', user.request('PUT', '/api/forwarding', { json: { addresses: ['elsewhere@example.org'], keepCopy: true }, headers: { 'if-match': forwarding.body.etag as string } }));
    const filters = await expectShape('GET /api/filters', user.request('GET', '/api/filters'));
    await expectShape('PUT /api/filters', user.request('PUT', '/api/filters', { json: { items: [{ kind: 'rule', ...SAMPLE_RULE }] }, headers: { 'if-match': filters.body.etag as string } }));
  });

  it('the overview, exits, lists, quota, folders, the Security page', async () => {
    for (const path of ['/api/overview', '/api/exits', '/api/lists', '/api/quota', '/api/folders', '/api/security']) await expectShape(`GET ${path}`, user.request('GET', path));
    await expectShape('POST /api/folders', user.request('POST', '/api/folders', { json: { name: 'Εργασία' } }));
  });

  it('emptying SPAM as the preview showed it', async () => {
    const preview = await expectShape('GET /api/quota/empty-preview', user.request('GET', '/api/quota/empty-preview?folder=SPAM'));
    const { uidValidity, uidNext, messages } = preview.body as { uidValidity: string; uidNext: number; messages: number };
    await expectShape('POST /api/quota/empty', user.request('POST', '/api/quota/empty', { json: { folder: 'SPAM', expectedMessages: messages, uidValidity, uidNext } }));
  });

  it('an additional alias: available, set, removed', async () => {
    const address = `routes.happy.${USER.uid}`;
    await expectShape('GET /api/aliases', user.request('GET', '/api/aliases'));
    await expectShape('GET /api/aliases/availability', user.request('GET', `/api/aliases/availability?address=${address}`));
    await expectShape('PUT /api/aliases/additional', user.request('PUT', '/api/aliases/additional', { json: { address: `${address}@cs.ucy.ac.cy` } }));
    await expectShape('DELETE /api/aliases/additional', user.request('DELETE', '/api/aliases/additional'));
  });

  it('alerts: seen, one acknowledged, one answered “This wasn’t me”', async () => {
    const forwarding = await user.request('GET', '/api/forwarding');
    await user.request('PUT', '/api/forwarding', { json: { addresses: ['elsewhere@example.org', 'second@example.org'], keepCopy: true }, headers: { 'if-match': forwarding.body.etag as string } });
    const alerts = await expectShape('GET /api/security/alerts', user.request('GET', '/api/security/alerts'));
    const [newest, older] = alerts.body.alerts as Array<{ id: string }>;
    expect(older).toBeDefined();
    await expectShape('POST /api/security/alerts/{id}/acknowledge', user.request('POST', `/api/security/alerts/${older!.id}/acknowledge`, { json: {} }));
    const etag = (await user.request('GET', '/api/security/alerts')).body.etag as string;
    await expectShape('POST /api/security/alerts/{id}/not-me', user.request('POST', `/api/security/alerts/${newest!.id}/not-me`, { json: {}, headers: { 'if-match': etag } }));
  });
});

describe('the script and filters, advanced', () => {
  it('raw text: read, checked, saved; the scripts: taken over, renamed, activated, deleted; the history: listed, read, restored', async () => {
    const raw = await expectShape('GET /api/script/raw', user.request('GET', '/api/script/raw'));
    const text = `${raw.body.text as string}# Σημείωση: χειρόγραφο σχόλιο\n`;
    await expectShape('POST /api/script/check', user.request('POST', '/api/script/check', { json: { text } }));
    await expectShape('PUT /api/script/raw', user.request('PUT', '/api/script/raw', { json: { text }, headers: { 'if-match': raw.body.etag as string } }));
    await putActiveScript(api.services.config, USER.uid, 'roundcube', 'require ["fileinto"];\nif header :contains "subject" "Αναφορά" { fileinto "INBOX"; }\n');
    await expectShape('POST /api/script/take-over', user.request('POST', '/api/script/take-over', { json: {} }));
    await expectShape('GET /api/scripts', user.request('GET', '/api/scripts'));
    await expectShape('POST /api/scripts/{name}/rename', user.request('POST', '/api/scripts/roundcube/rename', { json: { newName: 'roundcube-παλιό' } }));
    const name = encodeURIComponent('roundcube-παλιό');
    await expectShape('POST /api/scripts/{name}/activate', user.request('POST', `/api/scripts/${name}/activate`, { json: {} }));
    await user.request('POST', `/api/scripts/${api.services.config.sieve.scriptName}/activate`, { json: {} });
    await expectShape('DELETE /api/scripts/{name}', user.request('DELETE', `/api/scripts/${name}`));
    const history = (await expectShape('GET /api/script/history', user.request('GET', '/api/script/history'))).body as unknown as Array<{ id: string }>;
    await expectShape('GET /api/script/history/{id}', user.request('GET', `/api/script/history/${history[0]!.id}`));
    const etag = (await user.request('GET', '/api/script/raw')).body.etag as string;
    await expectShape('POST /api/script/history/{id}/restore', user.request('POST', `/api/script/history/${history[0]!.id}/restore`, { json: {}, headers: { 'if-match': etag } }));
  });

  it('the filters exported as a .sieve file, and imported back after a preview', async () => {
    const exported = await user.request('GET', '/api/filters/export');
    expect(exported.status, exported.text).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^application\/sieve/);
    expect(exported.text).toContain('Τιμολόγια');
    covered.add('GET /api/filters/export');
    const file = Buffer.from(exported.text, 'utf8').toString('base64');
    const preview = await expectShape('POST /api/filters/import/preview', user.request('POST', '/api/filters/import/preview', { json: { file } }));
    await expectShape('POST /api/filters/import', user.request('POST', '/api/filters/import', { json: { file }, headers: { 'if-match': preview.body.etag as string } }));
  });

  it('a rule tried on the mail there, previewed and applied (progress as NDJSON)', async () => {
    await deliverMessage({ to: USER.uid, raw: makeMessage({ to: USER.mail, subject: 'Your invoice, Σεπτέμβριος' }) });
    await expectShape('POST /api/filters/test', user.request('POST', '/api/filters/test', { json: { rule: SAMPLE_RULE } }));
    const preview = await expectShape('POST /api/filters/apply/preview', user.request('POST', '/api/filters/apply/preview', { json: { rule: SAMPLE_RULE } }));
    const applied = await user.request('POST', '/api/filters/apply', { json: { rule: SAMPLE_RULE, token: preview.body.token } });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = applied.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ type: 'done', done: 1, total: 1 });
    covered.add('POST /api/filters/apply');
  });
});

describe('held mail', () => {
  it('listed, previewed, released, deleted, in bulk; the digest choice read and saved', async () => {
    const send = (to: string, subject: string, body: string, attachments?: Parameters<typeof filterMessage>[0]['attachments']) =>
      sendThroughFilter({ from: 'offers@example.net', to, raw: filterMessage({ from: 'offers@example.net', to, subject, body, ...(attachments ? { attachments } : {}) }) });
    const sent = await Promise.all(['one', 'two', 'three'].map((n) => send(USER.mail, `routes happy ${n}`, GTUBE)));
    expect(sent.map((s) => s.outcome)).toEqual(['held', 'held', 'held']);
    const list = await expectShape('GET /api/quarantine', user.request('GET', '/api/quarantine?search=routes%20happy'));
    const ids = (list.body.items as Array<{ id: string }>).map((i) => i.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    await expectShape('GET /api/quarantine/{id}', user.request('GET', `/api/quarantine/${ids[0]}`));
    await expectShape('POST /api/quarantine/{id}/release', user.request('POST', `/api/quarantine/${ids[0]}/release`, { json: {} }));
    await expectShape('DELETE /api/quarantine/{id}', user.request('DELETE', `/api/quarantine/${ids[1]}`));
    await expectShape('POST /api/quarantine/bulk', user.request('POST', '/api/quarantine/bulk', { json: { action: 'delete', ids: ids.slice(2) } }));
    const digest = await expectShape('GET /api/quarantine/digest', user.request('GET', '/api/quarantine/digest'));
    await expectShape('PUT /api/quarantine/digest', user.request('PUT', '/api/quarantine/digest', { json: digest.body }));
  });

  it('a virus release the helpdesk decides: requested (202), listed, refused', async () => {
    const virus = await sendThroughFilter({
      from: 'offers@example.net',
      to: OTHER.mail,
      raw: filterMessage({ from: 'offers@example.net', to: OTHER.mail, subject: 'routes happy virus', body: 'See the file.', attachments: [{ name: 'eicar.com', type: 'application/octet-stream', content: Buffer.from(EICAR) }] }),
    });
    expect(virus.outcome).toBe('held');
    const held = (await other.request('GET', '/api/quarantine?search=routes%20happy%20virus')).body.items as Array<{ id: string }>;
    const requested = await expectShape('POST /api/quarantine/{id}/release', other.request('POST', `/api/quarantine/${held[0]!.id}/release`, { json: {} }));
    expect(requested.status).toBe(202);
    // Oldest first, a page at a time: on a stack that has run the suite before, earlier runs'
    // requests come first, so this one is on the last page.
    const first = await expectShape('GET /api/quarantine-requests', user.request('GET', '/api/quarantine-requests?pageSize=100'));
    const lastPage = Math.max(1, Math.ceil((first.body.total as number) / 100));
    const pending = lastPage === 1 ? first : await user.request('GET', `/api/quarantine-requests?pageSize=100&page=${lastPage}`);
    const request = (pending.body.items as Array<{ id: string; recipient: string; subject: string }>).findLast((i) => i.recipient === OTHER.mail && i.subject === 'routes happy virus');
    await expectShape('POST /api/quarantine-requests/{id}/decision', user.request('POST', `/api/quarantine-requests/${request!.id}/decision`, { json: { decision: 'refuse', reason: REASON } }));
  });
});

describe('the helpdesk', () => {
  it('who am I, a search, a user’s delivery and mail, turning her vacation off', async () => {
    await expectShape('GET /api/helpdesk/me', user.request('GET', '/api/helpdesk/me'));
    await expectShape('GET /api/helpdesk/users', user.request('GET', `/api/helpdesk/users?q=${OTHER.uid}`));
    const vacation = await other.request('GET', '/api/vacation');
    await other.request('PUT', '/api/vacation', { json: { ...(vacation.body.vacation as object), enabled: true, subject: 'Άδεια', message: 'Λείπω.' }, headers: { 'if-match': vacation.body.etag as string } });
    const reason = encodeURIComponent(REASON);
    const screen = await expectShape('GET /api/helpdesk/users/{uid}/delivery', user.request('GET', `/api/helpdesk/users/${OTHER.uid}/delivery?reason=${reason}`));
    const until = new Date();
    const since = new Date(until.getTime() - 24 * 3600 * 1000);
    await expectShape('GET /api/helpdesk/users/{uid}/messages', user.request('GET', `/api/helpdesk/users/${OTHER.uid}/messages?reason=${reason}&since=${since.toISOString()}&until=${until.toISOString()}`));
    const etag = (screen.body.screen as { etags: { vacation: string } }).etags.vacation;
    await expectShape(
      'POST /api/helpdesk/users/{uid}/actions/{action}',
      user.request('POST', `/api/helpdesk/users/${OTHER.uid}/actions/vacation-off`, { json: { reason: REASON, confirm: OTHER.uid }, headers: { 'if-match': etag } }),
    );
  });
});

describe('coverage', () => {
  it('every operation answered a documented 2xx in its documented shape', () => {
    expect(Object.keys(OPERATIONS).filter((key) => !covered.has(key))).toEqual([]);
  });
});
