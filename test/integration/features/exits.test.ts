import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attribute, Change, Client } from 'ldapts';
import { featureTestContext, putActiveScript } from '../../support/feature';
import { ApiClient } from '../../support/http';
import { decodedNotices } from '../../support/notices';
import { LDAP, deliverMessage, loadUser, mailboxMessages, makeMessage, readOutbox, userDn } from '../../support/stack';
import { freshUser, newRule, putFilters, subjectContains } from './filters-support';

// Users of this file only: others test on the same stack at the same time.
const USER = loadUser(56);
const FILTER_USER = loadUser(57);
const LDAP_USER = loadUser(58);

const ctx = featureTestContext(USER);

interface MailExit {
  id: string;
  source: 'forwarding' | 'filter' | 'sieve' | 'ldap';
  address: string;
  keepsCopy: boolean;
  active: boolean;
  place?: string;
}
interface Alert {
  id: string;
  what: string;
  details: Record<string, string | number | boolean>;
  resolved: string | null;
  exit: MailExit | null;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now()}-${(counter += 1)}`;

async function exits(api: ApiClient) {
  const res = await api.request('GET', '/api/exits');
  expect(res.status, res.text).toBe(200);
  return res.body as unknown as { etag: string; exits: MailExit[]; limit: number; counted: number };
}

async function alerts(api: ApiClient) {
  const res = await api.request('GET', '/api/security/alerts');
  expect(res.status, res.text).toBe(200);
  return res.body as unknown as { etag: string; alerts: Alert[] };
}

async function saveRaw(api: ApiClient, text: string) {
  const current = await api.request('GET', '/api/script/raw');
  return api.request('PUT', '/api/script/raw', { json: { text }, headers: { 'if-match': String(current.body.etag) } });
}

async function deliveredAway(uid: string, target: string, from = 'Sender <sender@example.org>'): Promise<boolean> {
  const subject = unique('leaves');
  await deliverMessage({ to: uid, raw: makeMessage({ from, to: `${uid}@cs.ucy.ac.cy`, subject }) });
  return (await readOutbox()).some((m) => m.recipients.includes(target) && m.raw.includes(subject));
}

// What another client (Roundcube) and the user wrote by hand: kept byte for byte throughout.
const THEIRS =
  'require ["fileinto"];\r\n' +
  '# rule:[Λογαριασμοί]\r\n' +
  'if header :contains "subject" "τιμολόγιο"\r\n{\r\n\tfileinto "Accounts";\r\n}\r\n' +
  '# hand-written, do not touch\r\n' +
  'if address :is "from" "boss@example.com" {\r\n  keep;\r\n  stop;\r\n}\r\n';

describe('a redirect added through the raw editor', () => {
  it('leaves the INBOX notice and an alert; "This wasn’t me" removes exactly it and ends the other session', async () => {
    await putActiveScript(ctx.server.services.config, USER.uid, 'emailng', THEIRS);
    const target = `${unique('thief')}@example.net`;
    const line = `  redirect "${target}";\r\n`;
    const withRedirect = THEIRS.replace('  keep;\r\n', `  keep;\r\n${line}`);
    // A second browser (the attacker's, say) signed in as the user.
    const other = new ApiClient(ctx.server.url);
    expect((await other.signIn(USER.uid, USER.password)).status).toBe(200);
    await exits(ctx.api); // the first look: where watching starts

    const saved = await saveRaw(other, withRedirect);
    expect(saved.status, saved.text).toBe(200);
    expect(await ctx.script()).toBe(withRedirect);
    expect(await deliveredAway(USER.uid, target, 'Boss <boss@example.com>')).toBe(true);

    const notices = decodedNotices(await mailboxMessages(USER.uid));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`Your mail is now forwarded to: ${target}.`);
    const view = await exits(ctx.api);
    expect(view.exits).toEqual([expect.objectContaining({ source: 'sieve', address: target, active: true, keepsCopy: false })]);
    const { etag, alerts: list } = await alerts(ctx.api);
    const alert = list.find((a) => a.details.address === target);
    expect(alert).toMatchObject({ what: 'redirect-added', resolved: null, details: { via: 'raw', source: 'sieve' }, exit: { address: target } });

    const answer = await ctx.api.request('POST', `/api/security/alerts/${alert!.id}/not-me`, { json: {}, headers: { 'if-match': etag } });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ removed: { address: target, source: 'sieve' }, sessionsEnded: 1 });
    // Byte for byte what was there before, less that one line.
    expect(await ctx.script()).toBe(THEIRS);
    expect((await other.request('GET', '/api/forwarding')).status).toBe(401);
    expect((await ctx.api.request('GET', '/api/forwarding')).status).toBe(200);
    expect(await deliveredAway(USER.uid, target, 'Boss <boss@example.com>')).toBe(false);
    expect((await alerts(ctx.api)).alerts.find((a) => a.id === alert!.id)).toMatchObject({ resolved: 'not-me', exit: null });
    // Removing is no new exit: no second notice.
    expect(decodedNotices(await mailboxMessages(USER.uid))).toHaveLength(1);
  });

  it('refuses "This wasn’t me" on a script changed since the user looked, and changes nothing', async () => {
    const target = `${unique('race')}@example.net`;
    await exits(ctx.api);
    expect((await saveRaw(ctx.api, `require ["copy"];\r\nredirect :copy "${target}";\r\n`)).status).toBe(200);
    const { etag, alerts: list } = await alerts(ctx.api);
    const alert = list.find((a) => a.details.address === target)!;
    const changed = `require ["copy"];\r\nredirect :copy "${target}";\r\nkeep;\r\n`;
    expect((await saveRaw(ctx.api, changed)).status).toBe(200);
    const stale = await ctx.api.request('POST', `/api/security/alerts/${alert.id}/not-me`, { json: {}, headers: { 'if-match': etag } });
    expect(stale.status).toBe(409);
    expect(await ctx.script()).toBe(changed);
    const missing = await ctx.api.request('POST', `/api/security/alerts/${alert.id}/not-me`, { json: {} });
    expect(missing.status).toBe(428);
    const unknown = await ctx.api.request('POST', '/api/security/alerts/no-such-alert/not-me', { json: {}, headers: { 'if-match': etag } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('alert_not_found');
  });

  it('holds an added redirect to the forwarding page’s address rules, and changes nothing', async () => {
    await putActiveScript(ctx.server.services.config, USER.uid, 'emailng', THEIRS);
    const cases: Array<[string, string]> = [
      [USER.mail.replace('@', '+loop@').toUpperCase(), 'own_address'],
      ['root@localhost', 'reserved_domain'],
      ['victim%evil.example.net@relay.example.net', 'source_route'],
      ['${1}@example.net', 'invalid'],
      ['a@[192.0.2.1]', 'ip_literal'],
    ];
    for (const [address, code] of cases) {
      const res = await saveRaw(ctx.api, `${THEIRS}redirect "${address}";\r\n`);
      expect(res.status, address).toBe(400);
      expect(res.body.fields).toEqual({ text: code });
      expect(res.body.errors).toEqual([expect.objectContaining({ line: THEIRS.split('\n').length })]);
    }
    expect(await ctx.script()).toBe(THEIRS);
  });

  it('alerts a new auto-reply From, whatever page wrote it', async () => {
    await exits(ctx.api);
    const from = `Πρύτανης <${USER.alias}>`;
    const res = await saveRaw(ctx.api, `require ["vacation"];\r\nvacation :from "${from}" "Λείπω.";\r\n`);
    expect(res.status, res.text).toBe(200);
    expect((await alerts(ctx.api)).alerts.find((a) => a.what === 'reply-from-changed' && a.details.from === from)).toMatchObject({ details: { via: 'raw' } });
  });
});

describe('the forwarding page and a taken-over script', () => {
  it('a forward set on the forwarding page is alerted with one notice, and "This wasn’t me" rewrites only that section', async () => {
    await putActiveScript(ctx.server.services.config, USER.uid, 'emailng', THEIRS);
    await exits(ctx.api);
    const target = `${unique('page')}@example.net`;
    const view = await ctx.api.request('GET', '/api/forwarding');
    const saved = await ctx.api.request('PUT', '/api/forwarding', { json: { addresses: [target], keepCopy: true }, headers: { 'if-match': String(view.body.etag) } });
    expect(saved.status, saved.text).toBe(200);
    expect(decodedNotices(await mailboxMessages(USER.uid))).toHaveLength(1);
    const { etag, alerts: list } = await alerts(ctx.api);
    const alert = list.find((a) => a.details.address === target)!;
    expect(alert).toMatchObject({ what: 'forward-added', details: { via: 'forwarding', source: 'forwarding' } });
    const answer = await ctx.api.request('POST', `/api/security/alerts/${alert.id}/not-me`, { json: {}, headers: { 'if-match': etag } });
    expect(answer.status, answer.text).toBe(200);
    expect(await ctx.script()).toBe(THEIRS);
  });

  it('a Roundcube script taken over with a forward in it is alerted', async () => {
    await exits(ctx.api);
    const target = `${unique('roundcube')}@example.net`;
    await putActiveScript(ctx.server.services.config, USER.uid, 'roundcube', `# rule:[Προς σπίτι]\r\nif true\r\n{\r\n\tredirect "${target}";\r\n}\r\n`);
    expect((await ctx.api.request('POST', '/api/script/take-over', { json: {} })).status).toBe(200);
    expect((await alerts(ctx.api)).alerts.find((a) => a.details.address === target)).toMatchObject({ what: 'redirect-added', details: { via: 'take-over', source: 'filter', place: 'Προς σπίτι' } });
    expect(decodedNotices(await mailboxMessages(USER.uid)).at(-1)).toContain(target);
  });
});

describe('a filter action that forwards', () => {
  it('is listed with the other exits, counts toward the limit, leaves the notice and alert, and mail leaves by it', async () => {
    const api = await freshUser(ctx.server, FILTER_USER.uid);
    await exits(api);
    const target = `${unique('rule')}@example.net`;
    const rule = newRule({ name: 'Προώθηση', conditions: [subjectContains('leaves')], actions: [{ type: 'redirect', address: target, copy: true }] });
    const saved = await putFilters(api, [rule]);
    expect(saved.status, saved.text).toBe(200);

    const view = await exits(api);
    expect(view.exits).toEqual([expect.objectContaining({ source: 'filter', place: 'Προώθηση', address: target, keepsCopy: true })]);
    expect(view).toMatchObject({ limit: 4, counted: 1 });
    const forwarding = await api.request('GET', '/api/forwarding');
    expect((forwarding.body.limits as { maxAddresses: number }).maxAddresses).toBe(3);
    expect(decodedNotices(await mailboxMessages(FILTER_USER.uid))[0]).toContain(target);
    expect((await alerts(api)).alerts.find((a) => a.details.address === target)).toMatchObject({ what: 'redirect-added', details: { via: 'filters', source: 'filter' } });
    expect(await deliveredAway(FILTER_USER.uid, target)).toBe(true);
    const overview = await api.request('GET', '/api/overview');
    expect(overview.body).toMatchObject({ exits: { items: [expect.objectContaining({ source: 'filter', address: target })], counted: 1, limit: 4 } });
    expect(overview.body.openAlerts).toBeGreaterThanOrEqual(1);

    // Four on the forwarding page with one in the filters: over the server's limit.
    const tooMany = await api.request('PUT', '/api/forwarding', {
      json: { addresses: ['f1@example.net', 'f2@example.net', 'f3@example.net', 'f4@example.net'], keepCopy: true },
      headers: { 'if-match': String(forwarding.body.etag) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fields).toMatchObject({ addresses: 'too_many' });
    // And through the raw editor.
    const raw = await api.request('GET', '/api/script/raw');
    const more = `${String(raw.body.text)}redirect "r1@example.net";\r\nredirect "r2@example.net";\r\nredirect "r3@example.net";\r\nredirect "r4@example.net";\r\n`;
    const refused = await api.request('PUT', '/api/script/raw', { json: { text: more }, headers: { 'if-match': String(raw.body.etag) } });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ text: 'too_many_redirects' });
  });
});

describe('forwarding in the directory (mailForwardingAddress)', () => {
  const admin = new Client({ url: LDAP.url });
  const setValues = (values: string[]) =>
    admin.modify(userDn(LDAP_USER.uid), [new Change({ operation: 'replace', modification: new Attribute({ type: 'mailForwardingAddress', values }) })]);
  beforeAll(async () => {
    await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  });
  afterAll(async () => {
    await setValues([]);
    await admin.unbind();
  });

  it('found changed on a read is alerted; it shares the limit; "This wasn’t me" removes it there', async () => {
    await setValues([]);
    const api = await freshUser(ctx.server, LDAP_USER.uid);
    await exits(api);
    const target = `${unique('ldap')}@example.net`;
    await setValues([target, LDAP_USER.mail]);

    const view = await exits(api);
    expect(view.exits).toEqual([expect.objectContaining({ source: 'ldap', address: target, keepsCopy: true })]);
    expect(decodedNotices(await mailboxMessages(LDAP_USER.uid))[0]).toContain(target);
    const forwarding = await api.request('GET', '/api/forwarding');
    expect((forwarding.body.limits as { maxAddresses: number }).maxAddresses).toBe(3);
    const { etag, alerts: list } = await alerts(api);
    const alert = list.find((a) => a.details.address === target)!;
    expect(alert).toMatchObject({ what: 'forward-added', details: { via: 'outside', source: 'ldap' } });

    const answer = await api.request('POST', `/api/security/alerts/${alert.id}/not-me`, { json: {}, headers: { 'if-match': etag } });
    expect(answer.status, answer.text).toBe(200);
    const { searchEntries } = await admin.search(userDn(LDAP_USER.uid), { scope: 'base', attributes: ['mailForwardingAddress'] });
    expect(searchEntries[0]?.mailForwardingAddress ?? []).toEqual([]);
    expect((await exits(api)).exits).toEqual([]);
  });
});
