import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, STACK_DIR, deliverMessage, loadUser, mailboxMessages, makeMessage, resetUser, userDn } from '../../support/stack';

const run = promisify(execFile);
const DOVEADM_CONF = path.join(STACK_DIR, 'backend/dovecot.conf');

// Users: load030 (figures), load031 (emptying SPAM and Trash), load032 (warning levels, with
// a temporarily small mailQuota). Each is reset before and after.
const FIGURES = loadUser(30);
const EMPTY = loadUser(31);
const LEVELS = loadUser(32);

let server: TestServer;

interface QuotaBody {
  storage: { usedBytes: number; limitBytes: number; percent: number | null } | null;
  messages: { used: number; limit: number; percent: number | null } | null;
  percent: number | null;
  warningLevel: number;
  full: boolean;
  folders: Array<{ path: string; name: string; specialUse: string | null; messages: number; bytes: number }>;
  folderSizes: string;
}

async function doveadmQuota(uid: string): Promise<{ storageKiB: number; storageLimitKiB: number; messages: number }> {
  const { stdout } = await run('doveadm', ['-c', DOVEADM_CONF, 'quota', 'get', '-u', uid]);
  const row = (type: string) => {
    const line = stdout.split('\n').find((l) => new RegExp(`\\s${type}\\s`).test(l)) ?? '';
    const [value = '', limit = ''] = line.split(type)[1]?.trim().split(/\s+/) ?? [];
    return { value: Number(value), limit: Number(limit) };
  };
  return { storageKiB: row('STORAGE').value, storageLimitKiB: row('STORAGE').limit, messages: row('MESSAGE').value };
}

async function doveadmVsize(uid: string, mailbox: string): Promise<{ messages: number; vsize: number }> {
  const { stdout } = await run('doveadm', ['-c', DOVEADM_CONF, 'mailbox', 'status', '-u', uid, 'messages vsize', mailbox]);
  return { messages: Number(/messages=(\d+)/.exec(stdout)?.[1]), vsize: Number(/vsize=(\d+)/.exec(stdout)?.[1]) };
}

async function signedIn(uid: string, password: string): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  expect((await client.signIn(uid, password)).status).toBe(200);
  return client;
}

async function quota(client: ApiClient): Promise<QuotaBody> {
  const res = await client.request('GET', '/api/quota');
  expect(res.status, res.text).toBe(200);
  return res.body as unknown as QuotaBody;
}

/** A message whose body is `kib` KiB of text. */
function sized(to: string, subject: string, kib: number, headers: Record<string, string> = {}): string {
  const line = `${'x'.repeat(76)}\n`;
  return makeMessage({ to, subject, headers, body: line.repeat(Math.ceil((kib * 1024) / 78)) });
}

beforeAll(async () => {
  // These tests empty one user's folders far more often than the per-user scan limit allows
  // in five minutes (test/integration/api/scan-limit.test.ts tests that limit).
  server = await startTestServer((config) => ({ ...config, scanLimit: { ...config.scanLimit, maxPerWindow: 1000 } }));
  await Promise.all([FIGURES, EMPTY, LEVELS].map((u) => resetUser(u.uid)));
});
afterAll(async () => {
  await server.close();
  await Promise.all([FIGURES, EMPTY, LEVELS].map((u) => resetUser(u.uid)));
});

describe('GET /api/quota', () => {
  it('equals what Dovecot reports, and grows by the count and size of delivered messages', async () => {
    const client = await signedIn(FIGURES.uid, FIGURES.password);
    const before = await quota(client);
    expect(before.storage).toEqual({ usedBytes: 0, limitBytes: 104857600, percent: 0 });
    expect(before.messages).toEqual({ used: 0, limit: 100000, percent: 0 });
    expect(before).toMatchObject({ percent: 0, warningLevel: 0, full: false, folderSizes: 'status-size' });
    expect(before.folders.map((f) => f.path).sort()).toEqual(['Drafts', 'INBOX', 'Junk', 'SPAM', 'Sent', 'Trash']);
    expect(before.folders.find((f) => f.path === 'Trash')?.specialUse).toBe('\\Trash');

    const sizes = [3, 17, 40];
    for (const [i, kib] of sizes.entries()) {
      await deliverMessage({ to: FIGURES.uid, raw: sized(FIGURES.mail, `figures ${i}`, kib) });
    }
    const after = await quota(client);
    const dovecot = await doveadmQuota(FIGURES.uid);
    const inbox = await doveadmVsize(FIGURES.uid, 'INBOX');
    expect(after.messages?.used).toBe(3);
    expect(dovecot.messages).toBe(3);
    expect(after.storage?.usedBytes).toBe(dovecot.storageKiB * 1024);
    expect(after.storage?.limitBytes).toBe(dovecot.storageLimitKiB * 1024);
    const folder = after.folders[0];
    // INBOX is the largest now, and its size is Dovecot's virtual size to the byte.
    expect(folder).toMatchObject({ path: 'INBOX', messages: 3, bytes: inbox.vsize });
    // …which is the delivered messages (CRLF) plus the few headers delivery adds.
    const raw = sizes.reduce((sum, kib, i) => sum + Buffer.byteLength(sized(FIGURES.mail, `figures ${i}`, kib).replace(/\n/g, '\r\n')), 0);
    expect(inbox.vsize).toBeGreaterThanOrEqual(raw);
    expect(inbox.vsize).toBeLessThan(raw + 3 * 1024);
    // Dovecot counts bytes and shows KiB rounded up.
    expect(after.storage?.usedBytes).toBe(Math.ceil(inbox.vsize / 1024) * 1024);
    expect(after.storage?.percent).toBe(Math.floor((dovecot.storageKiB * 1000) / dovecot.storageLimitKiB) / 10);
  });

  it('warns at 80, 90 and 95 percent and says when the mailbox is full', async () => {
    const admin = new Client({ url: LDAP.url });
    await admin.bind(LDAP.admin.dn, LDAP.admin.password);
    const setQuota = (bytes: number) =>
      admin.modify(userDn(LEVELS.uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'mailQuota', values: [String(bytes)] }) }));
    try {
      await setQuota(200 * 1024); // 200 KiB
      await server.services.imap.release(LEVELS.uid); // the quota rule is read at login
      const client = await signedIn(LEVELS.uid, LEVELS.password);
      const steps: Array<[number, number]> = [
        [165, 80], // ~83 %
        [16, 90], // ~91 %
        [10, 95], // ~96 %
        [10, 95], // ~101 %: over the limit, within Dovecot's 10 % grace for the last message
      ];
      const seen: Array<[number, boolean]> = [];
      for (const [i, [kib]] of steps.entries()) {
        await deliverMessage({ to: LEVELS.uid, raw: sized(LEVELS.mail, `level ${i}`, kib) });
        const q = await quota(client);
        const dovecot = await doveadmQuota(LEVELS.uid);
        expect(q.storage?.usedBytes).toBe(dovecot.storageKiB * 1024);
        expect(q.storage?.limitBytes).toBe(200 * 1024);
        seen.push([q.warningLevel, q.full]);
      }
      expect(seen).toEqual([
        [80, false],
        [90, false],
        [95, false],
        [95, true],
      ]);
    } finally {
      await setQuota(LEVELS.quotaBytes ?? 104857600);
      await server.services.imap.release(LEVELS.uid);
      await admin.unbind();
    }
  });
});

describe('emptying SPAM and Trash', () => {
  const spam = (subject: string) => makeMessage({ to: EMPTY.mail, subject, headers: { 'X-Spam-Flag': 'YES', 'X-Spam-Score': '9.5' } });

  it('empties exactly the SPAM messages the preview showed; a later arrival is kept and reported; INBOX untouched', async () => {
    const tag = randomBytes(3).toString('hex');
    for (let i = 0; i < 3; i++) await deliverMessage({ to: EMPTY.uid, raw: spam(`spam ${tag} ${i}`) });
    for (let i = 0; i < 2; i++) await deliverMessage({ to: EMPTY.uid, raw: makeMessage({ to: EMPTY.mail, subject: `ham ${tag} ${i}` }) });
    expect(await mailboxMessages(EMPTY.uid, 'SPAM')).toHaveLength(3); // the site default script filed them
    const inboxBefore = await mailboxMessages(EMPTY.uid);
    expect(inboxBefore).toHaveLength(2);

    const client = await signedIn(EMPTY.uid, EMPTY.password);
    const preview = await client.request('GET', '/api/quota/empty-preview?folder=SPAM');
    expect(preview.status).toBe(200);
    const spamVsize = await doveadmVsize(EMPTY.uid, 'SPAM');
    expect(preview.body).toMatchObject({ folder: 'SPAM', path: 'SPAM', messages: 3, bytes: spamVsize.vsize });
    const shown = preview.body as { uidValidity: string; uidNext: number; messages: number };

    // Arrives while the user reads the confirmation.
    await deliverMessage({ to: EMPTY.uid, raw: spam(`late spam ${tag}`) });

    // Confirmations that do not match the folder delete nothing.
    const confirm = (extra: Record<string, unknown>) =>
      client.request('POST', '/api/quota/empty', {
        json: { folder: 'SPAM', expectedMessages: shown.messages, uidValidity: shown.uidValidity, uidNext: shown.uidNext, ...extra },
      });
    for (const bad of [{ uidValidity: '1' }, { uidNext: shown.uidNext + 5 }, { expectedMessages: 2 }]) {
      const res = await confirm(bad);
      expect(res.status, JSON.stringify(bad)).toBe(409);
      expect(res.body).toMatchObject({ code: 'conflict', fields: { folder: 'changed' } });
    }
    expect(await mailboxMessages(EMPTY.uid, 'SPAM')).toHaveLength(4);

    const emptied = await confirm({});
    expect(emptied.status).toBe(200);
    expect(emptied.body).toEqual({ folder: 'SPAM', deleted: 3, expected: 3, alreadyGone: 0, arrivedSince: 1, remaining: 1 });
    const left = await mailboxMessages(EMPTY.uid, 'SPAM');
    expect(left).toHaveLength(1);
    expect(left[0]).toContain(`Subject: late spam ${tag}`);
    expect(await mailboxMessages(EMPTY.uid)).toEqual(inboxBefore);
    expect((await doveadmQuota(EMPTY.uid)).messages).toBe(3);

    // The same confirmation again: nothing left of what it showed.
    expect((await confirm({})).body).toEqual({ folder: 'SPAM', deleted: 0, expected: 3, alreadyGone: 3, arrivedSince: 1, remaining: 1 });
    expect(server.logs).toContainEqual(expect.objectContaining({ log: 'audit', event: 'folder_emptied', uid: EMPTY.uid, path: 'SPAM', deleted: 3, kept: 1 }));
  });

  it('empties Trash (found by special use), and only Trash', async () => {
    const client = await signedIn(EMPTY.uid, EMPTY.password);
    const inboxBefore = await mailboxMessages(EMPTY.uid);
    await server.services.imap.use(EMPTY.uid, async (imap) => {
      await imap.mailboxOpen('INBOX');
      await imap.messageCopy('1:*', 'Trash');
    });
    const preview = await client.request('GET', '/api/quota/empty-preview?folder=Trash');
    expect(preview.body).toMatchObject({ folder: 'Trash', path: 'Trash', messages: inboxBefore.length });
    const { uidValidity, uidNext, messages } = preview.body as { uidValidity: string; uidNext: number; messages: number };
    const res = await client.request('POST', '/api/quota/empty', { json: { folder: 'Trash', uidValidity, uidNext, expectedMessages: messages } });
    expect(res.body).toMatchObject({ deleted: inboxBefore.length, remaining: 0, arrivedSince: 0 });
    expect(await mailboxMessages(EMPTY.uid, 'Trash')).toHaveLength(0);
    expect(await mailboxMessages(EMPTY.uid)).toEqual(inboxBefore);
    expect(await mailboxMessages(EMPTY.uid, 'SPAM')).toHaveLength(1);
  });

  it('empties Junk, the other folder the spam page can file into', async () => {
    const client = await signedIn(EMPTY.uid, EMPTY.password);
    const view = await client.request('GET', '/api/spam');
    const body = { level: 'strict', threshold: null, folder: 'Junk', discardAbove: null, allow: [], block: [], blockAction: 'discard' };
    expect((await client.request('PUT', '/api/spam', { json: body, headers: { 'if-match': view.body.etag as string } })).status).toBe(200);
    const tag = randomBytes(3).toString('hex');
    for (let i = 0; i < 2; i++) await deliverMessage({ to: EMPTY.uid, raw: spam(`junk ${tag} ${i}`) });
    expect(await mailboxMessages(EMPTY.uid, 'Junk')).toHaveLength(2);
    const inboxBefore = await mailboxMessages(EMPTY.uid);
    const spamBefore = await mailboxMessages(EMPTY.uid, 'SPAM');

    const preview = await client.request('GET', '/api/quota/empty-preview?folder=Junk');
    expect(preview.body).toMatchObject({ folder: 'Junk', path: 'Junk', messages: 2 });
    const { uidValidity, uidNext, messages } = preview.body as { uidValidity: string; uidNext: number; messages: number };
    const res = await client.request('POST', '/api/quota/empty', { json: { folder: 'Junk', uidValidity, uidNext, expectedMessages: messages } });
    expect(res.body).toMatchObject({ folder: 'Junk', deleted: 2, remaining: 0 });
    expect(await mailboxMessages(EMPTY.uid, 'Junk')).toHaveLength(0);
    expect(await mailboxMessages(EMPTY.uid)).toEqual(inboxBefore);
    expect(await mailboxMessages(EMPTY.uid, 'SPAM')).toEqual(spamBefore);
    // Back to the site's filing, as the tests after this one expect.
    const now = await client.request('GET', '/api/spam');
    expect((await client.request('PUT', '/api/spam', { json: { ...body, level: 'standard', folder: 'SPAM' }, headers: { 'if-match': now.body.etag as string } })).status).toBe(200);
  });

  it('refuses any other folder', async () => {
    const client = await signedIn(EMPTY.uid, EMPTY.password);
    for (const folder of ['INBOX', 'spam', 'junk', 'JUNK', 'Sent', '../INBOX', 'SPAM\0', 'Junk\0', '*']) {
      const preview = await client.request('GET', `/api/quota/empty-preview?folder=${encodeURIComponent(folder)}`);
      expect(preview.status, folder).toBe(400);
      expect(preview.body.fields).toEqual({ folder: 'invalid' });
      const res = await client.request('POST', '/api/quota/empty', { json: { folder, uidValidity: '1', uidNext: 100, expectedMessages: 10 } });
      expect(res.status, folder).toBe(400);
    }
    const missing = await client.request('POST', '/api/quota/empty', { json: { folder: 'SPAM' } });
    expect(missing.body.fields).toMatchObject({ uidValidity: 'required', uidNext: 'required', expectedMessages: 'required' });
    expect(await mailboxMessages(EMPTY.uid)).toHaveLength(2);
  });

  it('needs a session and the CSRF token', async () => {
    expect((await new ApiClient(server.url).request('GET', '/api/quota')).status).toBe(401);
    const client = await signedIn(EMPTY.uid, EMPTY.password);
    const res = await client.request('POST', '/api/quota/empty', { json: { folder: 'SPAM', uidValidity: '1', uidNext: 100, expectedMessages: 10 }, csrf: false });
    expect(res.status).toBe(403);
  });

  it('counts mail that arrived after an emptying on the same kept connection', async () => {
    const tag = randomBytes(3).toString('hex');
    await deliverMessage({ to: EMPTY.uid, raw: spam(`first ${tag}`) });
    const client = await signedIn(EMPTY.uid, EMPTY.password);
    const first = (await client.request('GET', '/api/quota/empty-preview?folder=SPAM')).body as { uidValidity: string; uidNext: number; messages: number };
    const emptied = await client.request('POST', '/api/quota/empty', {
      json: { folder: 'SPAM', expectedMessages: first.messages, uidValidity: first.uidValidity, uidNext: first.uidNext },
    });
    expect(emptied.status).toBe(200);
    // The pooled connection still has SPAM selected; new mail must show all the same.
    for (let i = 0; i < 3; i++) await deliverMessage({ to: EMPTY.uid, raw: spam(`after ${tag} ${i}`) });
    const again = await client.request('GET', '/api/quota/empty-preview?folder=SPAM');
    expect(again.body).toMatchObject({ messages: (await mailboxMessages(EMPTY.uid, 'SPAM')).length });
    expect((again.body as { messages: number }).messages).toBeGreaterThanOrEqual(3);
  });
});
