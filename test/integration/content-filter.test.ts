// The site's content filter in the local stack: mail sent in through amavisd-new's SMTP port
// (127.0.0.1:10024) is scanned (SpamAssassin in-process, the EICAR stand-in, banned files),
// then passed to Dovecot's LMTP with X-Spam headers, or held in the SQL quarantine
// (PostgreSQL mail_log); per-user levels and sender lists come from LDAP; a held message is
// released over AM.PDP.  Run: bash deploy/stack/up.sh && npx vitest run --project integration test/integration/content-filter.test.ts
import { Attribute, Change, Client } from 'ldapts';
import { QuarantineError, releaseMessage } from '../../api/src/backends/quarantine';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_FILTER,
  EICAR,
  GTUBE,
  SCORE_8_TOKEN,
  filterMessage,
  RELEASE_ENDPOINT,
  assertAmavisCanReadDirectory,
  loggedFor,
  mailLogAs,
  sendThroughFilter,
  waitForLogged,
  type FilterResult,
} from '../support/content-filter';
import { LDAP, loadUser, mailboxMessages, resetUser, startPiece, userDn } from '../support/stack';

// This file's own user: others test on the same stack at the same time.
const USER = loadUser(183);
const BLOCKED = 'pest@example.org';
const ALLOWED = 'friend@example.org';
const SENDER = 'tester@example.org';

let ldap: Client;
let db: pg.Client;
let n = 0;

/** A subject no other message has, so mailboxes and the SQL log can be searched by it. */
function subject(what: string): string {
  n += 1;
  return `cf ${what} ${process.pid}-${Date.now()}-${n}`;
}

async function setAmavisAttributes(values: Partial<Record<'amavisSpamTag2Level' | 'amavisSpamKillLevel' | 'amavisWhitelistSender' | 'amavisBlacklistSender', string[]>>): Promise<void> {
  await ldap.modify(
    userDn(USER.uid),
    Object.entries(values).map(([type, vals]) => new Change({ operation: 'replace', modification: new Attribute({ type, values: vals }) })),
  );
}
const noAmavisAttributes = { amavisSpamTag2Level: [], amavisSpamKillLevel: [], amavisWhitelistSender: [], amavisBlacklistSender: [] };

interface Sent {
  subject: string;
  result: FilterResult;
}
async function send(what: string, opts: { from?: string; body?: string; attachments?: Parameters<typeof filterMessage>[0]['attachments'] } = {}): Promise<Sent> {
  const s = subject(what);
  const from = opts.from ?? SENDER;
  const raw = filterMessage({ from, to: USER.mail, subject: s, body: opts.body ?? 'Hello, see you at the seminar.', attachments: opts.attachments });
  return { subject: s, result: await sendThroughFilter({ from, to: USER.mail, raw }) };
}

/** The folder the message landed in, or 'nowhere'; fails if it landed twice. */
async function folderOf(subjectText: string): Promise<string> {
  const found: string[] = [];
  for (const folder of ['INBOX', 'SPAM']) {
    for (const m of await mailboxMessages(USER.uid, folder)) if (m.includes(subjectText)) found.push(folder);
  }
  expect(found.length, `"${subjectText}" delivered ${found.length} times`).toBeLessThanOrEqual(1);
  return found[0] ?? 'nowhere';
}
async function messageIn(folder: string, subjectText: string): Promise<string> {
  const m = (await mailboxMessages(USER.uid, folder)).find((x) => x.includes(subjectText));
  expect(m, `"${subjectText}" in ${folder}`).toBeDefined();
  return m!;
}
/** A header field's value from the message's header section, folded lines joined. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: ?(.*)$`, 'mi').exec(head)?.[1]?.trimEnd();
}

const eicar = { name: 'readme.txt', type: 'application/octet-stream', content: Buffer.from(EICAR, 'latin1') };
const exe = {
  name: 'invoice.exe',
  type: 'application/octet-stream',
  content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('This program cannot be run in DOS mode.\r\n')]),
};

beforeAll(async () => {
  for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
  await assertAmavisCanReadDirectory();
  await resetUser(USER.uid);
  ldap = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
  // The API's service account: the same writes the app makes.
  await ldap.bind(LDAP.api.dn, LDAP.api.password);
  await setAmavisAttributes({ ...noAmavisAttributes, amavisBlacklistSender: [BLOCKED] });
  db = await mailLogAs('webapp');
});

afterAll(async () => {
  await setAmavisAttributes(noAmavisAttributes).catch(() => undefined);
  await ldap?.unbind();
  await db?.end();
});

describe('at the site levels (tag2 6.31, kill 20)', () => {
  let clean: Sent, spammy: Sent, gtube: Sent, virus: Sent, banned: Sent, blocked: Sent;

  beforeAll(async () => {
    // amavisd runs two children: six messages at once keep both busy.
    [clean, spammy, gtube, virus, banned, blocked] = await Promise.all([
      send('clean'),
      send('spammy', { body: `Cheap offer ${SCORE_8_TOKEN} today.` }),
      send('gtube', { body: GTUBE }),
      send('virus', { attachments: [eicar] }),
      send('banned', { attachments: [exe] }),
      send('blocked', { from: BLOCKED }),
    ]);
  });

  it('passes clean mail to INBOX with the X-Spam headers and logs it as clean', async () => {
    expect(clean.result.outcome, clean.result.reply.text).toBe('passed');
    expect(clean.result.reply.text).toMatch(/from MTA\(lmtp:\[127\.0\.0\.1\]:11024\): 250 /);
    expect(await folderOf(clean.subject)).toBe('INBOX');
    const m = await messageIn('INBOX', clean.subject);
    expect(header(m, 'X-Spam-Flag')).toBe('NO');
    expect(Number(header(m, 'X-Spam-Score'))).toBeLessThan(CONTENT_FILTER.tag2Level);
    expect(header(m, 'X-Spam-Status')).toMatch(/^No, score=-?[\d.]+ tagged_above=-999 required=6\.31/);
    expect(header(m, 'X-Virus-Scanned')).toMatch(/amavisd-new/);
    expect(header(m, 'Subject')).toBe(clean.subject);
    const logged = await waitForLogged(db, USER.mail, clean.subject);
    expect([logged.content, logged.ds, logged.quarType?.trim() ?? '']).toEqual(['C', 'P', '']);
  });

  it('tags a message between tag2 and kill (the test rule, 8.0): X-Spam-Flag YES, filed in SPAM by the site default', async () => {
    expect(spammy.result.outcome, spammy.result.reply.text).toBe('passed');
    expect(await folderOf(spammy.subject)).toBe('SPAM');
    const m = await messageIn('SPAM', spammy.subject);
    expect(header(m, 'X-Spam-Flag')).toBe('YES');
    const score = Number(header(m, 'X-Spam-Score'));
    expect(score).toBeGreaterThanOrEqual(CONTENT_FILTER.tag2Level);
    expect(score).toBeLessThan(CONTENT_FILTER.killLevel);
    expect(header(m, 'X-Spam-Status')).toMatch(/EMAILNG_TEST_SCORE_8=8/);
    expect(header(m, 'Subject')).toBe(`***SPAM*** ${spammy.subject}`);
    expect((await waitForLogged(db, USER.mail, spammy.subject)).content).toBe('Y');
  });

  it.each([
    ['GTUBE', () => gtube, 'S', /^spam$/],
    ['an EICAR attachment', () => virus, 'V', /^INFECTED: Eicar-Test-Signature/],
    ['a banned invoice.exe (MZ)', () => banned, 'B', /^BANNED: .*invoice\.exe/],
    ['mail from a sender on the user’s block list (LDAP)', () => blocked, 'S', /^spam$/],
  ] as const)('holds %s: not delivered, quarantined in SQL for the recipient', async (_what, sent, content, reason) => {
    const { subject: s, result } = sent();
    expect(result.outcome, result.reply.text).toBe('held');
    expect(result.reply.code).toBe(250); // discarded: the sender is told nothing
    expect(result.reason).toMatch(reason);
    expect(await folderOf(s)).toBe('nowhere');
    const logged = await waitForLogged(db, USER.mail, s);
    expect([logged.content, logged.ds, logged.quarType, logged.rs]).toEqual([content, 'D', 'Q', ' ']);
    expect(logged.quarantineChunks).toBeGreaterThan(0);
    expect(logged.mailId).toMatch(/^[A-Za-z0-9_+-]{12}$/);
    expect(logged.secretId).toMatch(/^[A-Za-z0-9_+-]{12}$/);
  });

  it('releases the held GTUBE over AM.PDP with its secret_id: it arrives in INBOX, not SPAM', async () => {
    const held = await waitForLogged(db, USER.mail, gtube.subject);

    const wrong = await releaseMessage(RELEASE_ENDPOINT, { mailId: held.mailId, secretId: 'AAAAAAAAAAAA', requestedBy: USER.mail }).catch(
      (e: unknown) => e,
    );
    expect(wrong).toBeInstanceOf(QuarantineError);
    expect((wrong as QuarantineError).replies[0]).toMatch(/^450 .*does not match/);
    expect(await folderOf(gtube.subject)).toBe('nowhere');

    const { replies } = await releaseMessage(RELEASE_ENDPOINT, { mailId: held.mailId, secretId: held.secretId, requestedBy: USER.mail });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(new RegExp(`^250 .*<${USER.mail}>`));
    expect(await folderOf(gtube.subject)).toBe('INBOX');
    const m = await messageIn('INBOX', gtube.subject);
    expect(header(m, 'X-Spam-Flag')).toBeUndefined();
    expect(header(m, 'Resent-From')).toBe(`<${USER.mail}>`);
  });

  it('lets the webapp role mark a message released (rs) but not delete it or change anything else', async () => {
    const held = await waitForLogged(db, USER.mail, virus.subject);
    const update = await db.query(
      `UPDATE msgrcpt SET rs = 'R' WHERE mail_id = convert_to($1, 'UTF8') AND rid = (SELECT id FROM maddr WHERE email = convert_to($2, 'UTF8'))`,
      [held.mailId, USER.mail],
    );
    expect(update.rowCount).toBe(1);
    expect((await loggedFor(db, USER.mail, virus.subject))[0]?.rs).toBe('R');

    const denied = /permission denied for table (msgrcpt|msgs|quarantine|maddr)/;
    await expect(db.query(`DELETE FROM quarantine WHERE mail_id = convert_to($1, 'UTF8')`, [held.mailId])).rejects.toThrow(denied);
    await expect(db.query(`DELETE FROM msgrcpt WHERE mail_id = convert_to($1, 'UTF8')`, [held.mailId])).rejects.toThrow(denied);
    await expect(db.query(`DELETE FROM msgs WHERE mail_id = convert_to($1, 'UTF8')`, [held.mailId])).rejects.toThrow(denied);
    await expect(db.query(`UPDATE msgrcpt SET content = 'C' WHERE mail_id = convert_to($1, 'UTF8')`, [held.mailId])).rejects.toThrow(denied);
    await expect(db.query(`UPDATE msgs SET content = 'C' WHERE mail_id = convert_to($1, 'UTF8')`, [held.mailId])).rejects.toThrow(denied);
    expect((await loggedFor(db, USER.mail, virus.subject))[0]).toMatchObject({ content: 'V', quarantineChunks: held.quarantineChunks });
  });
});

describe('per-user settings in LDAP change the next verdict', () => {
  it('holds the score-8 message at kill level 7.5, and lets GTUBE from an allowed sender through', async () => {
    await setAmavisAttributes({ amavisSpamKillLevel: ['7.5'], amavisWhitelistSender: [ALLOWED] });
    const [spammy, allowed] = await Promise.all([
      send('spammy-kill', { body: `Cheap offer ${SCORE_8_TOKEN} today.` }),
      send('gtube-allowed', { from: ALLOWED, body: GTUBE }),
    ]);
    expect(spammy.result.outcome, spammy.result.reply.text).toBe('held');
    expect(await folderOf(spammy.subject)).toBe('nowhere');
    expect((await waitForLogged(db, USER.mail, spammy.subject)).content).toBe('S');

    expect(allowed.result.outcome, allowed.result.reply.text).toBe('passed');
    expect(await folderOf(allowed.subject)).toBe('INBOX');
    expect(header(await messageIn('INBOX', allowed.subject), 'X-Spam-Flag')).toBe('NO');
  });

  it('puts the score-8 message in INBOX at tag2 level 10', async () => {
    await setAmavisAttributes({ amavisSpamKillLevel: [], amavisWhitelistSender: [], amavisSpamTag2Level: ['10'] });
    const spammy = await send('spammy-tag2', { body: `Cheap offer ${SCORE_8_TOKEN} today.` });
    expect(spammy.result.outcome, spammy.result.reply.text).toBe('passed');
    expect(await folderOf(spammy.subject)).toBe('INBOX');
    const m = await messageIn('INBOX', spammy.subject);
    expect(header(m, 'X-Spam-Flag')).toBe('NO');
    expect(header(m, 'X-Spam-Status')).toMatch(/required=10\b/);
    expect((await waitForLogged(db, USER.mail, spammy.subject)).content).toBe('C');
  });
});
