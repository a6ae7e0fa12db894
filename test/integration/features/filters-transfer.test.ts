// Export and import of the filters as a .sieve file, and rules without a name (issue 18): a
// file exported from one user, imported into another after a preview, makes delivery through
// LMTP follow its rules there; every bad file is refused with its own code and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser } from '../../support/stack';
import { activeScript, asInput, deliverSubject, foldersHolding, freshUser, getFilters, newRule, putFilters, subjectContains } from './filters-support';

// Users of this file only.
const SOURCE = loadUser(185);
const TARGET = loadUser(188);
const HOSTILE = loadUser(19);

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const base64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');

async function exportOf(api: ApiClient): Promise<string> {
  const res = await api.request('GET', '/api/filters/export');
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/sieve; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="filters-\d{4}-\d{2}-\d{2}\.sieve"$/);
  return res.text;
}

const preview = (api: ApiClient, file: Uint8Array | string) => api.request('POST', '/api/filters/import/preview', { json: { file: base64(file) } });
const importFile = (api: ApiClient, file: Uint8Array | string, etag: string) => api.request('POST', '/api/filters/import', { json: { file: base64(file) }, headers: { 'if-match': etag } });

/** A hand-written block the rule editor cannot represent (an `elsif`): imported as custom Sieve. */
const CUSTOM_BLOCK = ['if header :contains "X-Tag" "custom" {', '\tfileinto :create "Custom";', '} elsif header :contains "X-Tag" "other" {', '\tfileinto :create "Other";', '}', ''].join('\r\n');

describe('export from one user, import into another, delivery follows', () => {
  let source: ApiClient;
  let target: ApiClient;
  let exported: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([freshUser(server, SOURCE.uid), freshUser(server, TARGET.uid)]);
    const saved = await putFilters(source, [
      newRule({ name: 'Reports', conditions: [subjectContains('quarterly')], actions: [{ type: 'fileinto', mailbox: 'Reports', copy: false, create: true }], stop: true }),
      // No name: accepted, and written as an empty rule comment.
      newRule({ name: '', conditions: [subjectContains('ανακοίνωση')], actions: [{ type: 'fileinto', mailbox: 'Ανακοινώσεις', copy: false, create: true }] }),
      newRule({ name: 'Off', enabled: false, conditions: [subjectContains('never')], actions: [{ type: 'discard' }] }),
    ]);
    expect(saved.status, saved.text).toBe(200);
    // A custom block after the rules, through the raw editor (which keeps the app's require).
    const raw = await source.request('GET', '/api/script/raw');
    const text = (raw.body as { text: string }).text;
    const put = await source.request('PUT', '/api/script/raw', { json: { text: text + CUSTOM_BLOCK }, headers: { 'if-match': raw.headers.get('etag') ?? '' } });
    expect(put.status, put.text).toBe(200);
    // The target has a vacation section and a rule of the same name that differs, and one the file lacks.
    const vacation = (await target.request('GET', '/api/vacation')).body as { etag: string; vacation: Record<string, unknown> };
    expect((await target.request('PUT', '/api/vacation', { json: { ...vacation.vacation, enabled: true, message: 'Away.' }, headers: { 'if-match': vacation.etag } })).status).toBe(200);
    const mine = await putFilters(target, [
      newRule({ name: 'Reports', conditions: [subjectContains('monthly')], actions: [{ type: 'fileinto', mailbox: 'Monthly', copy: false, create: true }] }),
      newRule({ name: 'Mine only', conditions: [subjectContains('mine')], actions: [{ type: 'addflag', flags: ['\\Flagged'] }] }),
    ]);
    expect(mine.status, mine.text).toBe(200);
    exported = await exportOf(source);
  });

  it('exports the filters as a script of their own, without the app’s sections', () => {
    expect(exported).toMatch(/^# Filters exported from EmailNG Settings on \d{4}-\d{2}-\d{2}\.\r\n/);
    expect(exported).toMatch(/^require \[[^\]]*"fileinto"[^\]]*\];\r$/m);
    expect(exported).toContain('# rule:[Reports]\r\n');
    expect(exported).toContain('# rule:[]\r\n');
    expect(exported).toContain(CUSTOM_BLOCK);
    expect(exported).not.toContain('emailng:begin');
    expect(exported).not.toContain('emailng:require');
  });

  it('previews what the import changes, and stores nothing', async () => {
    const before = await activeScript(server, TARGET.uid);
    const res = await preview(target, exported);
    expect(res.status, res.text).toBe(200);
    const p = res.body as { etag: string; added: Array<{ name: string }>; changed: Array<{ name: string }>; removed: Array<{ name: string }>; customAdded: Array<{ text: string }>; sectionsSkipped: string[] };
    expect(p.etag).toBe((await getFilters(target)).etag);
    expect(p.added.map((r) => r.name)).toEqual(['', 'Off']);
    expect(p.changed.map((r) => r.name)).toEqual(['Reports']);
    expect(p.removed.map((r) => r.name)).toEqual(['Mine only']);
    expect(p.customAdded.map((b) => b.text.trim())).toEqual([CUSTOM_BLOCK.trim()]);
    expect(p.sectionsSkipped).toEqual([]);
    expect(await activeScript(server, TARGET.uid)).toBe(before);
  });

  it('imports with the preview’s ETag: the sections stay, delivery follows the imported rules', async () => {
    const { etag } = (await preview(target, exported)).body as { etag: string };
    const res = await importFile(target, exported, etag);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe((await getFilters(target)).etag);
    const script = await activeScript(server, TARGET.uid);
    expect(script).toContain('# emailng:begin vacation');
    expect(script).not.toContain('Mine only');
    // Re-exported, it is the same file: nothing was lost or rewritten on the way.
    expect(await exportOf(target)).toBe(exported);

    await deliverSubject(TARGET.uid, 'The quarterly figures');
    await deliverSubject(TARGET.uid, 'ΑΝΑΚΟΙΝΩΣΗ για τις εξετάσεις');
    await deliverSubject(TARGET.uid, 'tagged', { headers: { 'X-Tag': 'custom' } });
    await deliverSubject(TARGET.uid, 'monthly news');
    expect(await foldersHolding(server, TARGET.uid, 'The quarterly figures', ['INBOX', 'Reports'])).toEqual(['Reports']);
    expect(await foldersHolding(server, TARGET.uid, 'ΑΝΑΚΟΙΝΩΣΗ για τις εξετάσεις', ['INBOX', 'Ανακοινώσεις'])).toEqual(['Ανακοινώσεις']);
    expect(await foldersHolding(server, TARGET.uid, 'tagged', ['INBOX', 'Custom'])).toEqual(['Custom']);
    // The target's own rule for "monthly" is gone with the import.
    expect(await foldersHolding(server, TARGET.uid, 'monthly news', ['INBOX', 'Monthly'])).toEqual(['INBOX']);
  });

  it('answers 409 when the filters changed after the preview, and 428 without If-Match', async () => {
    const { etag } = (await preview(target, exported)).body as { etag: string };
    const changed = await putFilters(target, [...asInput(await getFilters(target)), newRule({ name: 'Meanwhile', conditions: [subjectContains('x')], actions: [{ type: 'keep' }] })]);
    expect(changed.status, changed.text).toBe(200);
    const before = await activeScript(server, TARGET.uid);
    const res = await importFile(target, exported, etag);
    expect(res.status, res.text).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect((await target.request('POST', '/api/filters/import', { json: { file: base64(exported) } })).status).toBe(428);
    expect(await activeScript(server, TARGET.uid)).toBe(before);
  });
});

describe('rules without a name', () => {
  let api: ApiClient;
  beforeAll(async () => {
    api = await freshUser(server, HOSTILE.uid);
  });

  it('saves an empty or blank name, and names Sieve and Roundcube read back as written', async () => {
    const names = ['', '   ', ']', 'a]b[c', '# rule:[x]', '*/ if true { discard; }', 'Σύσκεψη ΟΔΟΣ', 'Καλημέρα'.normalize('NFD'), '\u202eevil'];
    const res = await putFilters(
      api,
      names.map((name) => newRule({ name, conditions: [subjectContains('name-test')], actions: [{ type: 'keep' }] })),
    );
    expect(res.status, res.text).toBe(200);
    const view = await getFilters(api);
    expect(view.items.map((i) => (i.kind === 'rule' ? i.rule.name : null))).toEqual(names);
    const script = await activeScript(server, HOSTILE.uid);
    expect(script).toContain('# rule:[]\r\nif allof (header');
    expect(script).not.toMatch(/^if true/m);
  });

  it('still refuses a line break in a name (it would end the Sieve comment)', async () => {
    for (const name of ['a\nif true { discard; }', 'a\r\nb', 'a\rb']) {
      const res = await putFilters(api, [newRule({ name, conditions: [subjectContains('x')], actions: [{ type: 'keep' }] })]);
      expect(res.status, res.text).toBe(400);
      expect(res.body.fields).toMatchObject({ 'items.0.name': expect.stringMatching(/^line_break$|^invalid$/) });
    }
  });
});

describe('bad files are refused, each with its code, and nothing changes', () => {
  let api: ApiClient;
  let before: string;
  let etag: string;
  const good = '# rule:[Ok]\r\nif header :contains "subject" "ok" {\r\n\tkeep;\r\n}\r\n';

  beforeAll(async () => {
    api = await freshUser(server, HOSTILE.uid);
    expect((await putFilters(api, [newRule({ name: 'Keep me', conditions: [subjectContains('keep')], actions: [{ type: 'keep' }] })])).status).toBe(200);
    before = await activeScript(server, HOSTILE.uid);
    etag = (await getFilters(api)).etag;
  });

  const fileCases: Array<[string, Uint8Array | string, string]> = [
    ['an empty file', '', 'empty'],
    ['white space only', ' \r\n\t\r\n', 'empty'],
    ['a comment only', '# nothing here\r\n', 'no_filters'],
    ['1 MiB exactly', `# ${'x'.repeat(1024 * 1024 - 4)}\r\n`, 'too_large'],
    ['a NUL byte', `${good}\0`, 'binary'],
    ['other control bytes', Uint8Array.from([0x23, 0x20, 0x01, 0x02, 0x0a]), 'binary'],
    ['Latin-1 Greek (not UTF-8)', Uint8Array.from([...Buffer.from('# rule:[x]\nif header :contains "subject" "'), 0xe1, 0xe2, ...Buffer.from('" { keep; }\n')]), 'not_utf8'],
    ['an overlong UTF-8 slash', Uint8Array.from([...Buffer.from(good), 0x23, 0xc0, 0xaf, 0x0a]), 'not_utf8'],
    ['an encoded surrogate', Uint8Array.from([...Buffer.from(good), 0x23, 0xed, 0xa0, 0x80, 0x0a]), 'not_utf8'],
    ['a vacation from someone else', `require ["vacation"];\r\n# rule:[Away]\r\nif true {\r\n\tvacation :from "boss@example.org" "Away";\r\n}\r\n`, 'not_own_address'],
  ];

  it.each(fileCases)('%s', async (_what, file, code) => {
    for (const res of [await preview(api, file), await importFile(api, file, etag)]) {
      expect(res.status, res.text).toBe(400);
      expect(res.body.fields).toEqual({ file: code });
    }
    expect(await activeScript(server, HOSTILE.uid)).toBe(before);
  });

  it('takes a file that is one byte under 1 MiB to the parser (a comment: no filters)', async () => {
    const res = await preview(api, `# ${'x'.repeat(1024 * 1024 - 5)}\r\n`);
    expect(res.body.fields).toEqual({ file: 'no_filters' });
  });

  it('refuses what is not base64', async () => {
    const res = await api.request('POST', '/api/filters/import/preview', { json: { file: 'not base64!' } });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ file: 'invalid' });
  });

  const scriptCases: Array<[string, string, number | null]> = [
    ['a syntax error, with its line', `${good}if header :contains "subject" {\r\n\tkeep;\r\n}\r\n`, 5],
    ['what the server refuses (fileinto without require)', '# rule:[Move]\r\nif true {\r\n\tfileinto "Work";\r\n}\r\n', 3],
    ['a folder with a hidden character', 'require ["fileinto"];\r\nif true {\r\n\tfileinto "\u200bINBOX";\r\n}\r\n', 3],
  ];

  it.each(scriptCases)('%s', async (_what, file, line) => {
    for (const res of [await preview(api, file), await importFile(api, file, etag)]) {
      expect(res.status, res.text).toBe(422);
      expect(res.body.code).toBe('script_rejected');
      expect((res.body.errors as Array<{ line: number | null }>)[0]?.line).toBe(line);
    }
    expect(await activeScript(server, HOSTILE.uid)).toBe(before);
  });

  it('refuses a redirect the forwarding page would refuse (to the user’s own address)', async () => {
    const file = `require ["copy"];\r\n# rule:[Loop]\r\nif true {\r\n\tredirect :copy "${HOSTILE.mail}";\r\n}\r\n`;
    for (const res of [await preview(api, file), await importFile(api, file, etag)]) {
      expect(res.status, res.text).toBe(400);
      expect(res.body.fields).toEqual({ text: 'own_address' });
    }
    expect(await activeScript(server, HOSTILE.uid)).toBe(before);
  });

  it('leaves the app’s sections of a whole script out, and says so', async () => {
    const whole = (await api.request('GET', '/api/script/raw')).body as { text: string };
    const vacation = (await api.request('GET', '/api/vacation')).body as { etag: string; vacation: Record<string, unknown> };
    expect((await api.request('PUT', '/api/vacation', { json: { ...vacation.vacation, enabled: true, message: 'Away.' }, headers: { 'if-match': vacation.etag } })).status).toBe(200);
    const withSection = (await api.request('GET', '/api/script/raw')).body as { text: string };
    expect(withSection.text).not.toBe(whole.text);
    const res = await preview(api, withSection.text);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ sectionsSkipped: expect.arrayContaining(['vacation']), added: [], changed: [], removed: [], unchanged: 1 });
  });
});
