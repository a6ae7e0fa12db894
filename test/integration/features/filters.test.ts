import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser, mailboxMessages, readOutbox, REPO_ROOT } from '../../support/stack';
import { activeScript, asInput, deliverSubject, folderMessages, freshUser, getFilters, newRule, putFilters, subjectContains, withSieve } from './filters-support';

// Users of this file only (load030 … load049 belong to the filters suites).
const DELIVERY = loadUser(30);
const ROUNDCUBE = loadUser(31);
const CONCURRENT = loadUser(32);
const BAD = loadUser(33);
const RAW = loadUser(34);
const SCRIPTS = loadUser(35);

let server: TestServer;

async function signedIn(uid: string, password = 'load-pass'): Promise<ApiClient> {
  const api = new ApiClient(server.url);
  expect((await api.signIn(uid, password)).status).toBe(200);
  return api;
}

const fresh = (uid: string): Promise<ApiClient> => freshUser(server, uid);
const deliver = deliverSubject;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('filters on real delivery', () => {
  it('files into a folder, into a Greek folder made through the API, marks read, forwards a copy, and stop ends the run', async () => {
    const api = await fresh(DELIVERY.uid);
    const made = await api.request('POST', '/api/folders', { json: { name: 'Εργασία' } });
    expect(made.status, made.text).toBe(201);
    expect(made.body.path).toBe('Εργασία');
    const folders = (await api.request('GET', '/api/folders')).body as unknown as Array<{ path: string }>;
    expect(folders.map((f) => f.path)).toContain('Εργασία');

    const forwardTo = `copy-${process.pid}-${Date.now()}@example.net`;
    const saved = await putFilters(api, [
      newRule({ name: 'Reports', conditions: [subjectContains('report')], actions: [{ type: 'fileinto', mailbox: 'Reports', copy: false, create: true }] }),
      newRule({ name: 'Δουλειά', conditions: [subjectContains('εργασία')], actions: [{ type: 'fileinto', mailbox: 'Εργασία', copy: false, create: false }] }),
      newRule({ name: 'Read it', conditions: [subjectContains('fyi')], actions: [{ type: 'addflag', flags: ['\\Seen'] }] }),
      newRule({ name: 'Forward', conditions: [subjectContains('forward me')], actions: [{ type: 'redirect', address: forwardTo, copy: true }] }),
      newRule({ name: 'Stopper', conditions: [subjectContains('stopper')], actions: [{ type: 'addflag', flags: ['\\Flagged'] }], stop: true }),
      newRule({ name: 'After stop', conditions: [subjectContains('stopper')], actions: [{ type: 'fileinto', mailbox: 'Never', copy: false, create: true }] }),
    ]);
    expect(saved.status, saved.text).toBe(200);

    await deliver(DELIVERY.uid, 'Monthly report');
    await deliver(DELIVERY.uid, 'Νέα εργασία για σένα');
    await deliver(DELIVERY.uid, 'FYI: the plan');
    await deliver(DELIVERY.uid, 'please forward me');
    await deliver(DELIVERY.uid, 'stopper here');

    expect((await folderMessages(server, DELIVERY.uid, 'Reports')).map((m) => m.subject)).toEqual(['Monthly report']);
    expect((await folderMessages(server, DELIVERY.uid, 'Εργασία')).map((m) => m.subject)).toEqual(['Νέα εργασία για σένα']);
    const inbox = await folderMessages(server, DELIVERY.uid, 'INBOX');
    expect(inbox.find((m) => m.subject === 'FYI: the plan')?.flags).toContain('\\Seen');
    // Forward a copy: the local one stays, and one went out.
    expect(inbox.some((m) => m.subject === 'please forward me')).toBe(true);
    const out = (await readOutbox()).filter((m) => m.recipients.includes(forwardTo));
    expect(out).toHaveLength(1);
    expect(out[0]!.raw).toContain('please forward me');
    // stop: flagged, and the later rule did not file it.
    expect(inbox.find((m) => m.subject === 'stopper here')?.flags).toContain('\\Flagged');
    expect(await folderMessages(server, DELIVERY.uid, 'Never').catch(() => [])).toEqual([]);
  });
});

describe('a Roundcube script', () => {
  it('opens as editable rules; editing one keeps every other rule and the custom block byte-identical', async () => {
    const api = await fresh(ROUNDCUBE.uid);
    const original = readFileSync(`${REPO_ROOT}/test/fixtures/sieve/roundcube-edit-mixed.sieve`, 'utf8');
    await withSieve(server, ROUNDCUBE.uid, async (c) => {
      await c.putScript('roundcube', original);
      await c.setActive('roundcube');
    });
    const foreign = await getFilters(api);
    expect(foreign.foreignScript).toEqual({ name: 'roundcube' });
    expect((await api.request('POST', '/api/script/take-over', { json: {} })).status).toBe(200);

    const view = await getFilters(api);
    expect(view.items.map((i) => (i.kind === 'rule' ? `rule:${i.rule.name}` : 'custom'))).toEqual(['rule:Newsletters', 'custom', 'rule:Boss', 'rule:Old rule', 'rule:Seminar announcements']);
    const boss = view.items[2]!;
    if (boss.kind !== 'rule') throw new Error('expected a rule');
    expect(boss.rule.conditions).toEqual([{ type: 'from', operator: 'is', negate: false, value: 'boss@uni.example' }]);
    const disabled = view.items[3]!;
    expect(disabled.kind === 'rule' && disabled.rule.enabled).toBe(false);

    // Saving unchanged is a no-op, byte for byte.
    expect((await putFilters(api, asInput(view), view.etag)).status).toBe(200);
    expect(await activeScript(server, ROUNDCUBE.uid)).toBe(original);

    const items = asInput(await getFilters(api));
    const edited = items[2] as { conditions: Array<Record<string, unknown>> };
    edited.conditions = [{ type: 'from', operator: 'is', negate: false, value: 'dean@uni.example' }];
    const res = await putFilters(api, items);
    expect(res.status, res.text).toBe(200);
    const after = await activeScript(server, ROUNDCUBE.uid);
    const blocks = (text: string) => text.split(/(?=# rule:\[|# a hand-written)/);
    const [a, b] = [blocks(original), blocks(after)];
    expect(b).toHaveLength(a.length);
    for (let i = 0; i < a.length; i++) {
      if (a[i]!.startsWith('# rule:[Boss]')) expect(b[i]).toContain('"dean@uni.example"');
      else expect(b[i]).toBe(a[i]);
    }

    // Moving the custom block to the end keeps it byte-identical; deleting needs deleteCustom.
    const v2 = await getFilters(api);
    const custom = v2.items.find((i) => i.kind === 'custom')!;
    const moved = [...asInput(v2).filter((i) => i.kind !== 'custom'), { kind: 'custom' as const, id: (custom as { id: string }).id }];
    expect((await putFilters(api, moved, v2.etag)).status).toBe(200);
    expect((await activeScript(server, ROUNDCUBE.uid)).endsWith((custom as { text: string }).text)).toBe(true);
    const v3 = await getFilters(api);
    const dropped = asInput(v3).filter((i) => i.kind !== 'custom');
    const refused = await putFilters(api, dropped, v3.etag);
    expect(refused.status).toBe(400);
    expect((refused.body.fields as Record<string, string>).items).toBe('custom_missing');
    const deleted = await putFilters(api, dropped, v3.etag, { deleteCustom: [(v3.items.find((i) => i.kind === 'custom') as { id: string }).id] });
    expect(deleted.status).toBe(200);
    expect(await activeScript(server, ROUNDCUBE.uid)).not.toContain('X-Tracker');
  });
});

describe('two sessions at once', () => {
  it('the second save gets 409 with the current filters, and the first change survives', async () => {
    const first = await fresh(CONCURRENT.uid);
    const second = await signedIn(CONCURRENT.uid);
    const seen = await getFilters(first);
    const seenToo = await getFilters(second);
    const a = await putFilters(first, [newRule({ name: 'First', conditions: [subjectContains('one')], actions: [{ type: 'keep' }] })], seen.etag);
    expect(a.status).toBe(200);
    const b = await putFilters(second, [newRule({ name: 'Second', conditions: [subjectContains('two')], actions: [{ type: 'keep' }] })], seenToo.etag);
    expect(b.status).toBe(409);
    expect(b.body.code).toBe('conflict');
    const current = b.body.current as { items: Array<{ rule: { name: string } }> };
    expect(current.items.map((i) => i.rule.name)).toEqual(['First']);
    expect(await activeScript(server, CONCURRENT.uid)).toContain('# rule:[First]');
    // A vacation save in between does not conflict with filters (separate ETags).
    const etag = (await getFilters(first)).etag;
    const vacation = (await first.request('GET', '/api/vacation')).body as { etag: string; vacation: Record<string, unknown> };
    const v = await first.request('PUT', '/api/vacation', { json: { ...vacation.vacation, enabled: true, message: 'Away.' }, headers: { 'if-match': vacation.etag } });
    expect(v.status, v.text).toBe(200);
    expect((await putFilters(first, asInput(await getFilters(first)), etag)).status).toBe(200);
    // Without If-Match: 428.
    expect((await first.request('PUT', '/api/filters', { json: { items: [] } })).status).toBe(428);
  });
});

describe('bad input', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    // An empty name is allowed since issue 18 (filters-transfer.test.ts); a line break is not.
    ['a line break in the name', { name: 'a\nb' }, 'items.0.name', 'line_break'],
    ['empty condition value', { conditions: [subjectContains('')] }, 'items.0.conditions.0.value', 'required'],
    ['blank condition value', { conditions: [subjectContains('   ')] }, 'items.0.conditions.0.value', 'required'],
    ['header with a space', { conditions: [{ type: 'header', header: 'X Foo', operator: 'contains', negate: false, value: 'a' }] }, 'items.0.conditions.0.header', 'invalid_header_name'],
    ['header with a colon', { conditions: [{ type: 'header', header: 'X-Foo:', operator: 'contains', negate: false, value: 'a' }] }, 'items.0.conditions.0.header', 'invalid_header_name'],
    ['folder with a quote', { actions: [{ type: 'fileinto', mailbox: 'a"b', copy: false, create: false }] }, 'items.0.actions.0.mailbox', 'forbidden_character'],
    ['folder with a backslash', { actions: [{ type: 'fileinto', mailbox: 'a\\b', copy: false, create: false }] }, 'items.0.actions.0.mailbox', 'forbidden_character'],
    ['folder with *', { actions: [{ type: 'fileinto', mailbox: 'a*', copy: false, create: false }] }, 'items.0.actions.0.mailbox', 'forbidden_character'],
    ['folder with %', { actions: [{ type: 'fileinto', mailbox: '%a', copy: false, create: false }] }, 'items.0.actions.0.mailbox', 'forbidden_character'],
    ['folder with a leading ~', { actions: [{ type: 'fileinto', mailbox: '~mail', copy: false, create: false }] }, 'items.0.actions.0.mailbox', 'leading_tilde'],
    ['folder with an empty level', { actions: [{ type: 'fileinto', mailbox: 'a//b', copy: false, create: false }] }, 'items.0.actions.0.mailbox', 'empty_level'],
    // The folder page's rules apply to a rule's target (folders/names.ts).
    ...(
      [
        ['a leading BOM', '\ufeffINBOX', 'invisible_character'],
        ['a zero-width space', 'Work\u200b', 'invisible_character'],
        ['a bidi override', '\u202eWork', 'invisible_character'],
        ['a decomposed (NFD) name', 'Καλημέρα'.normalize('NFD'), 'not_normalized'],
        ['a trailing space', 'Trash ', 'surrounding_space'],
        ['..', '..', 'dot_level'],
        ['.', '.', 'dot_level'],
        ['a path step', 'Work/../../etc', 'dot_level'],
        ['Dovecot’s index file', 'dovecot.index', 'reserved_name'],
        ['Dovecot’s uid list, below a folder', 'Work/dovecot-uidlist', 'reserved_name'],
      ] as const
    ).map(([what, mailbox, code]): [string, Record<string, unknown>, string, string] => [`folder with ${what}`, { actions: [{ type: 'fileinto', mailbox, copy: false, create: true }] }, 'items.0.actions.0.mailbox', code]),
    ['invalid regex', { conditions: [{ type: 'subject', operator: 'regex', negate: false, value: 'a(b' }] }, 'items.0.conditions.0.value', 'invalid_regex'],
    ['forward to an invalid address', { actions: [{ type: 'redirect', address: 'not an address', copy: true }] }, 'items.0.actions.0.address', 'invalid_address'],
    ['forward to the user’s own address', { actions: [{ type: 'redirect', address: `${BAD.uid}@cs.ucy.ac.cy`, copy: true }] }, 'items.0.actions.0.address', 'own_address'],
    ['forward to the user’s alias', { actions: [{ type: 'redirect', address: BAD.alias.toUpperCase(), copy: true }] }, 'items.0.actions.0.address', 'own_address'],
    // The forwarding page's check (shared/forward-target.ts), with its codes.
    ...(
      [
        ['the user’s own address with a +detail', `${BAD.uid}+loop@cs.ucy.ac.cy`, 'own_address'],
        ['the percent hack', 'victim%evil.example.net@relay.example.net', 'source_route'],
        ['a bang path', 'host!user@relay.example.net', 'source_route'],
        ['@localhost', 'root@localhost', 'reserved_domain'],
        ['a single-label domain', 'root@mailhub', 'single_label_domain'],
        ['an IP literal', 'a@[127.0.0.1]', 'ip_literal'],
        ['a label ending with a hyphen', 'a@bad-.example.net', 'label_hyphen'],
        ['a local part over 64 octets', `${'a'.repeat(65)}@example.net`, 'local_part_too_long'],
        ['a label over 63 octets', `a@${'b'.repeat(64)}.net`, 'label_too_long'],
      ] as const
    ).map(([what, address, code]): [string, Record<string, unknown>, string, string] => [`forward to ${what}`, { actions: [{ type: 'redirect', address, copy: true }] }, 'items.0.actions.0.address', code]),
    ['an invalid flag', { actions: [{ type: 'addflag', flags: ['two words'] }] }, 'items.0.actions.0.flags.0', 'invalid_flag'],
    ['no actions', { actions: [] }, 'items.0.actions', 'required'],
  ];

  it.each(cases)('%s: a clear field code, the script untouched', async (_label, over, field, code) => {
    const api = await signedIn(BAD.uid);
    const before = await activeScript(server, BAD.uid);
    const res = await putFilters(api, [newRule({ conditions: [subjectContains('x')], actions: [{ type: 'keep' }], ...over })]);
    expect(res.status, res.text).toBe(400);
    expect((res.body.fields as Record<string, string>)[field], JSON.stringify(res.body.fields)).toBe(code);
    expect(await activeScript(server, BAD.uid)).toBe(before);
  });

  it('too many redirects with the forwarding section', async () => {
    const api = await fresh(BAD.uid);
    const fwd = (await api.request('GET', '/api/forwarding')).body as { etag: string };
    expect((await api.request('PUT', '/api/forwarding', { json: { addresses: ['a@example.net', 'b@example.net', 'c@example.net'], keepCopy: true }, headers: { 'if-match': fwd.etag } })).status).toBe(200);
    const before = await activeScript(server, BAD.uid);
    const redirect = (n: number) => newRule({ conditions: [subjectContains(`r${n}`)], actions: [{ type: 'redirect', address: `r${n}@example.net`, copy: true }] });
    const res = await putFilters(api, [redirect(1), redirect(2)]);
    expect(res.status).toBe(400);
    expect((res.body.fields as Record<string, string>).items).toBe('too_many_redirects');
    expect(await activeScript(server, BAD.uid)).toBe(before);
    expect((await putFilters(api, [redirect(1)])).status).toBe(200);
  });
});

describe('raw script', () => {
  it('saves text exactly; a script that does not compile is 422 with line numbers and the old one stays; 1 MB is a plain error', async () => {
    const api = await fresh(RAW.uid);
    const raw = (await api.request('GET', '/api/script/raw')).body as { etag: string; text: string; name: string };
    expect(raw.text).toBe('');
    const good = 'require "fileinto";\r\n# mine\r\nif header :contains "subject" "x" { fileinto "X"; }\r\n';
    const saved = await api.request('PUT', '/api/script/raw', { json: { text: good }, headers: { 'if-match': raw.etag } });
    expect(saved.status, saved.text).toBe(200);
    expect(await activeScript(server, RAW.uid)).toBe(good);

    const bad = 'require "fileinto";\r\n\r\nfrobnicate "x";\r\n';
    const check = await api.request('POST', '/api/script/check', { json: { text: bad } });
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    expect((check.body.errors as Array<{ line: number }>)[0]!.line).toBe(3);
    expect((await api.request('POST', '/api/script/check', { json: { text: good } })).body).toEqual({ ok: true, errors: [], warnings: [] });

    const rejected = await api.request('PUT', '/api/script/raw', { json: { text: bad }, headers: { 'if-match': saved.body.etag as string } });
    expect(rejected.status).toBe(422);
    expect(rejected.body.code).toBe('script_rejected');
    expect((rejected.body.errors as Array<{ line: number; message: string }>)[0]).toMatchObject({ line: 3 });
    expect(await activeScript(server, RAW.uid)).toBe(good);

    const huge = '# ' + 'x'.repeat(1024 * 1024) + '\r\n';
    const tooBig = await api.request('PUT', '/api/script/raw', { json: { text: huge }, headers: { 'if-match': saved.body.etag as string } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe('payload_too_large');
    expect(String(tooBig.body.message)).toMatch(/mail server/);
    expect(await activeScript(server, RAW.uid)).toBe(good);
  });

  it('an empty, blank or otherwise refused script is a 4xx with a code, never a 500, and nothing stored changes', async () => {
    const api = await fresh(RAW.uid);
    const raw = (await api.request('GET', '/api/script/raw')).body as { etag: string };
    const good = 'keep;\r\n';
    const saved = await api.request('PUT', '/api/script/raw', { json: { text: good }, headers: { 'if-match': raw.etag } });
    expect(saved.status, saved.text).toBe(200);
    const etag = saved.body.etag as string;
    const put = (text: string) => api.request('PUT', '/api/script/raw', { json: { text }, headers: { 'if-match': etag } });
    for (const blank of ['', ' ', '\r\n', '\t \r\n\u00a0']) {
      const res = await put(blank);
      expect(res.status, JSON.stringify(blank)).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation', fields: { text: 'empty' } });
    }
    // The server's own refusals: a NUL octet, a lone surrogate (sent as U+FFFD), a command it does not know.
    for (const text of ['keep;\u0000\r\n', 'if header :is "subject" "\ud800" { discard; }\r\nfrob;\r\n', 'require "nonesuch";\r\n']) {
      const res = await put(text);
      expect(res.status, JSON.stringify(text)).toBe(422);
      expect(res.body.code).toBe('script_rejected');
      expect((res.body.errors as unknown[]).length).toBeGreaterThan(0);
    }
    expect(await activeScript(server, RAW.uid)).toBe(good);
  });

  it('refuses fileinto targets with invisible or control characters at their line; nothing is stored', async () => {
    const api = await fresh(RAW.uid);
    const raw = (await api.request('GET', '/api/script/raw')).body as { etag: string };
    const good = 'require "fileinto";\r\nif header :contains "subject" "a" { fileinto "Work"; }\r\n';
    const saved = await api.request('PUT', '/api/script/raw', { json: { text: good }, headers: { 'if-match': raw.etag } });
    expect(saved.status, saved.text).toBe(200);
    for (const target of ['\ufeffINBOX', 'Work\u200b', '\u202eWork', 'Wo\u0007rk']) {
      const text = `require ["fileinto", "imap4flags"];\r\n# a comment\r\nif header :contains "subject" "b" {\r\n  fileinto :flags "\\\\Seen" "${target}";\r\n}\r\n`;
      const res = await api.request('PUT', '/api/script/raw', { json: { text }, headers: { 'if-match': saved.body.etag as string } });
      expect(res.status, JSON.stringify(target)).toBe(422);
      expect(res.body.code).toBe('script_rejected');
      expect((res.body.errors as Array<{ line: number }>)[0]).toMatchObject({ line: 4 });
      const check = await api.request('POST', '/api/script/check', { json: { text } });
      expect(check.body.ok).toBe(false);
    }
    expect(await activeScript(server, RAW.uid)).toBe(good);
  });

  it('a raw save that breaks an app section is allowed and says so', async () => {
    const api = await signedIn(RAW.uid);
    const vacation = (await api.request('GET', '/api/vacation')).body as { etag: string; vacation: Record<string, unknown> };
    expect((await api.request('PUT', '/api/vacation', { json: { ...vacation.vacation, enabled: true, message: 'Away.' }, headers: { 'if-match': vacation.etag } })).status).toBe(200);
    const raw = (await api.request('GET', '/api/script/raw')).body as { etag: string; text: string };
    const edited = raw.text.replace('Away.', 'Away for good.');
    const res = await api.request('PUT', '/api/script/raw', { json: { text: edited }, headers: { 'if-match': raw.etag } });
    expect(res.status, res.text).toBe(200);
    expect((res.body.sections as { handEdited: string[] }).handEdited).toContain('vacation');
    const gone = edited.replace(/# emailng:begin vacation[\s\S]*# emailng:end vacation\r\n/, '');
    const res2 = await api.request('PUT', '/api/script/raw', { json: { text: gone }, headers: { 'if-match': res.body.etag as string } });
    expect(res2.status, res2.text).toBe(200);
    expect((res2.body.sections as { removed: string[] }).removed).toEqual(['vacation']);
  });
});

describe('scripts', () => {
  it('lists, activates, renames and deletes, refusing the active script and the history', async () => {
    const api = await fresh(SCRIPTS.uid);
    await withSieve(server, SCRIPTS.uid, async (c) => {
      await c.putScript('other', 'keep;\r\n');
    });
    expect((await putFilters(api, [newRule({ conditions: [subjectContains('a')], actions: [{ type: 'keep' }] })])).status).toBe(200);
    expect((await putFilters(api, [newRule({ conditions: [subjectContains('b')], actions: [{ type: 'keep' }] })])).status).toBe(200);
    const list = (await api.request('GET', '/api/scripts')).body as unknown as Array<{ name: string; active: boolean; history: boolean }>;
    expect(list.map((s) => s.name).sort()).toEqual(['emailng', 'emailng.history', 'other']);
    expect((await api.request('POST', '/api/scripts/emailng.history/activate', { json: {} })).status).toBe(400);
    expect((await api.request('DELETE', '/api/scripts/emailng.history')).status).toBe(400);
    expect((await api.request('DELETE', '/api/scripts/emailng')).status).toBe(409);
    expect((await api.request('POST', '/api/scripts/nope/activate', { json: {} })).status).toBe(404);
    expect((await api.request('POST', '/api/scripts/other/rename', { json: { newName: 'emailng' } })).status).toBe(400);
    expect((await api.request('POST', '/api/scripts/other/rename', { json: { newName: 'bad/name' } })).status).toBe(400);
    await withSieve(server, SCRIPTS.uid, (c) => c.putScript('taken', 'keep;\r\n'));
    expect((await api.request('POST', '/api/scripts/other/rename', { json: { newName: 'taken' } })).status).toBe(409);
    const renamed = await api.request('POST', '/api/scripts/other/rename', { json: { newName: 'Άλλο' } });
    expect(renamed.status, renamed.text).toBe(200);
    const activated = await api.request('POST', `/api/scripts/${encodeURIComponent('Άλλο')}/activate`, { json: {} });
    expect(activated.status).toBe(200);
    expect((activated.body as unknown as Array<{ name: string; active: boolean }>).find((s) => s.active)?.name).toBe('Άλλο');
    expect((await api.request('DELETE', `/api/scripts/${encodeURIComponent('Άλλο')}`)).status).toBe(409);
    expect((await api.request('DELETE', '/api/scripts/taken')).status).toBe(200);
  });
});

describe('folders', () => {
  it('refuses names that would look like a folder the user has, over real IMAP; nothing is created', async () => {
    const api = await fresh(BAD.uid);
    const paths = async () => ((await api.request('GET', '/api/folders')).body as unknown as Array<{ path: string }>).map((f) => f.path).sort();
    for (const name of ['Καλημέρα', 'Σημειώσεις']) expect((await api.request('POST', '/api/folders', { json: { name } })).status, name).toBe(201);
    const before = await paths();
    expect(before).toEqual(expect.arrayContaining(['INBOX', 'Trash', 'Καλημέρα', 'Σημειώσεις']));
    const refused: Array<[string, number, string]> = [
      ['\ufeffInbox', 400, 'invisible_character'],
      ['Inbox\u200b', 400, 'invisible_character'],
      ['\u200fTrash', 400, 'invisible_character'],
      ['Καλημέρα'.normalize('NFD'), 409, 'exists'], // composed first: the folder she has
      ['Σημειώσεισ', 409, 'lookalike'], // a wrong final sigma
      ['ΣΗΜΕΙΏΣΕΙΣ', 409, 'exists'], // capitals: the same name in another case
      ['Trash ', 400, 'surrounding_space'],
      ['trash', 409, 'exists'],
      ['INBOX', 409, 'exists'],
      ['..', 400, 'dot_level'],
      ['dovecot.index', 400, 'reserved_name'],
    ];
    for (const [name, status, code] of refused) {
      const res = await api.request('POST', '/api/folders', { json: { name } });
      expect(res.status, JSON.stringify(name)).toBe(status);
      expect((res.body.fields as Record<string, string>).name, JSON.stringify(name)).toBe(code);
    }
    expect(await paths()).toEqual(before);
    // A new rule may not file into a look-alike either; an existing folder in its own spelling is fine.
    const rule = (mailbox: string) => newRule({ conditions: [subjectContains('x')], actions: [{ type: 'fileinto', mailbox, copy: false, create: true }] });
    const lookalike = await putFilters(api, [rule('Σημειώσεισ')]);
    expect(lookalike.status).toBe(400);
    expect((lookalike.body.fields as Record<string, string>)['items.0.actions.0.mailbox']).toBe('lookalike');
    expect((await putFilters(api, [rule('Σημειώσεις')])).status).toBe(200);
    expect((await putFilters(api, [rule('Inbox')])).status).toBe(200);
  });

  it('refuses bad names with field codes', async () => {
    const api = await signedIn(DELIVERY.uid);
    for (const [name, code] of [['a*b', 'forbidden_character'], ['~x', 'leading_tilde'], ['a/b', 'delimiter'], ['', 'required'], ['"q"', 'forbidden_character']] as const) {
      const res = await api.request('POST', '/api/folders', { json: { name } });
      expect(res.status, name).toBe(400);
      expect((res.body.fields as Record<string, string>).name, name).toBe(code);
    }
    expect((await api.request('POST', '/api/folders', { json: { name: 'Υπο', parent: 'Εργασία' } })).status).toBe(201);
    expect((await api.request('POST', '/api/folders', { json: { name: 'x', parent: 'Nope' } })).status).toBe(400);
    expect((await api.request('POST', '/api/folders', { json: { name: 'Εργασία' } })).status).toBe(409);
    const maildir = await mailboxMessages(DELIVERY.uid, 'INBOX');
    expect(maildir.length).toBeGreaterThan(0);
  });
});
