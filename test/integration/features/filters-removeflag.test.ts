// removeflag (RFC 5232) through the API on the real server: a rule that removes flags is saved
// (Pigeonhole's CHECKSCRIPT and PUTSCRIPT take it), reads back as a rule, and at delivery takes
// off the flags an earlier rule set, on the copy kept in INBOX and on one filed elsewhere. A
// script Roundcube wrote with "Remove flags" rules opens as rules and saves back byte for byte.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { REPO_ROOT, loadUser } from '../../support/stack';
import { activeScript, asInput, deliverSubject, freshUser, getFilters, newRule, putFilters, subjectContains, withSieve, flagsOf } from './filters-support';

// Users of this file only.
const DELIVERY = loadUser(53);
const ROUNDCUBE = loadUser(54);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const fresh = (uid: string): Promise<ApiClient> => freshUser(server, uid);
const deliver = deliverSubject;

describe('a removeflag rule saved through the API', () => {
  let api: ApiClient;

  beforeAll(async () => {
    api = await fresh(DELIVERY.uid);
    const res = await putFilters(api, [
      newRule({ name: 'Mark everything', conditions: [subjectContains('flags')], actions: [{ type: 'addflag', flags: ['\\Seen', '\\Flagged', '$Work'] }] }),
      newRule({ name: 'Not urgent', conditions: [subjectContains('not urgent')], actions: [{ type: 'removeflag', flags: ['\\Flagged', '$Work'] }] }),
      newRule({
        name: 'Archive unread',
        conditions: [subjectContains('archive')],
        actions: [
          { type: 'removeflag', flags: ['\\seen'] },
          { type: 'fileinto', mailbox: 'Archive', copy: false, create: true },
        ],
      }),
    ]);
    expect(res.status, res.text).toBe(200);
  });

  it('is stored as removeflag under imap4flags, passes CHECKSCRIPT without warnings, and reads back as a rule', async () => {
    const script = await activeScript(server, DELIVERY.uid);
    expect(script).toContain('\tremoveflag ["\\\\Flagged", "$Work"];\r\n');
    expect(script).toContain('\tremoveflag "\\\\seen";\r\n\tfileinto :create "Archive";\r\n');
    expect(script).toMatch(/^require .*"imap4flags"/m);
    // The API's PUTSCRIPT took it (200 above); CHECKSCRIPT says the same, with no warning.
    expect((await withSieve(server, DELIVERY.uid, (c) => c.checkScript(script))).warnings).toBeUndefined();

    const view = await getFilters(api);
    expect(view.items.map((i) => (i.kind === 'rule' ? i.rule.actions : i.kind))).toEqual([
      [{ type: 'addflag', flags: ['\\Seen', '\\Flagged', '$Work'] }],
      [{ type: 'removeflag', flags: ['\\Flagged', '$Work'] }],
      [
        { type: 'removeflag', flags: ['\\seen'] },
        { type: 'fileinto', mailbox: 'Archive', copy: false, create: true },
      ],
    ]);
    // Saving the rules unchanged writes the same bytes.
    expect((await putFilters(api, asInput(view), view.etag)).status).toBe(200);
    expect(await activeScript(server, DELIVERY.uid)).toBe(script);
  });

  it('takes off the flags an earlier rule set, and only those, on delivered mail', async () => {
    await deliver(DELIVERY.uid, 'flags for all');
    await deliver(DELIVERY.uid, 'flags, not urgent');
    await deliver(DELIVERY.uid, 'flags to archive');
    expect(await flagsOf(server, DELIVERY.uid, 'INBOX', 'flags for all')).toEqual(['$Work', '\\Flagged', '\\Seen']);
    expect(await flagsOf(server, DELIVERY.uid, 'INBOX', 'flags, not urgent')).toEqual(['\\Seen']);
    // Removed before the fileinto, so the filed copy is stored without it.
    expect(await flagsOf(server, DELIVERY.uid, 'INBOX', 'flags to archive')).toBeUndefined();
    expect(await flagsOf(server, DELIVERY.uid, 'Archive', 'flags to archive')).toEqual(['$Work', '\\Flagged']);
  });

  it('refuses a flag removeflag cannot name, at its field, writing nothing', async () => {
    const before = await activeScript(server, DELIVERY.uid);
    const view = await getFilters(api);
    const res = await putFilters(api, [...asInput(view), newRule({ name: 'Bad', conditions: [subjectContains('x')], actions: [{ type: 'removeflag', flags: ['\\Seen', 'Εργασία'] }] })], view.etag);
    expect(res.status, res.text).toBe(400);
    expect(res.body.fields).toEqual({ 'items.3.actions.0.flags.1': 'invalid_flag' });
    expect(await activeScript(server, DELIVERY.uid)).toBe(before);
  });
});

describe('a Roundcube script with “Remove flags” rules', () => {
  it('opens as editable rules and saves back byte-identical, also when another rule is edited', async () => {
    const api = await fresh(ROUNDCUBE.uid);
    const original = readFileSync(`${REPO_ROOT}/test/fixtures/sieve/roundcube-removeflag.sieve`, 'utf8');
    await withSieve(server, ROUNDCUBE.uid, async (c) => {
      await c.putScript('roundcube', original);
      await c.setActive('roundcube');
    });
    expect((await api.request('POST', '/api/script/take-over', { json: {} })).status).toBe(200);

    const view = await getFilters(api);
    expect(view.items.map((i) => (i.kind === 'rule' ? `${i.rule.name}: ${i.rule.actions.map((a) => a.type).join(', ')}` : 'custom'))).toEqual([
      'Boss: addflag',
      'Boss on holiday: removeflag',
      'Unread reports: removeflag, fileinto',
      'old labels: removeflag',
    ]);
    expect((await putFilters(api, asInput(view), view.etag)).status).toBe(200);
    expect(await activeScript(server, ROUNDCUBE.uid)).toBe(original);

    const items = asInput(await getFilters(api));
    (items[0] as { actions: unknown[] }).actions = [{ type: 'removeflag', flags: ['\\Seen'] }];
    const res = await putFilters(api, items);
    expect(res.status, res.text).toBe(200);
    // The edited rule is written afresh: its From test as the address test it was shown as (upgraded).
    expect(await activeScript(server, ROUNDCUBE.uid)).toBe(
      original.replace('\taddflag "\\\\Flagged";', '\tremoveflag "\\\\Seen";').replace('if header :is "from" "boss@uni.example"\r\n{', 'if address :all :is "from" "boss@uni.example"\r\n{'),
    );
  });
});
