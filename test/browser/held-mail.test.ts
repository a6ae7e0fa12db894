import { Attribute, Change, Client } from 'ldapts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { EICAR, GTUBE, filterMessage, sendThroughFilter } from '../support/content-filter';
import { startTestServer } from '../support/server';
import { LDAP, loadUser, mailboxMessages, resetUser, startPiece, userDn } from '../support/stack';
import { seriousAxeViolations, useBrowserSuite } from './helpers';
import { LAYOUTS, TIME_ZONE, screenshot, signInPage, type OpenOptions } from './settings-support';

// The Held mail page through the real UI, on mail the stack's real content filter held
// (amavisd-new: SpamAssassin's GTUBE, the EICAR file, a banned .exe, a sender on the user's
// block list in LDAP). Users: load196 (the held mail, released and requested from the page),
// load197 (an API whose quarantine does not answer, and a site without one).

const USER = loadUser(196);
const LONELY = loadUser(197);
const BLOCKED = 'pest@example.org';
// The SQL log is shared and not reset per user: this run's messages carry their own token.
const token = `hm${process.pid}x${Date.now()}`;
const subjectOf = (what: string) => `${what} ${token}`;

const eicar = { name: 'readme.txt', type: 'application/octet-stream', content: Buffer.from(EICAR, 'latin1') };
const exe = {
  name: 'invoice.exe',
  type: 'application/octet-stream',
  content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('This program cannot be run in DOS mode.\r\n')]),
};
const GREEK_LINE = 'Καλημέρα, τελευταία γραμμή.';

let ldap: Client;

const suite = useBrowserSuite({
  before: async () => {
    for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
    await Promise.all([resetUser(USER.uid), resetUser(LONELY.uid)]);
    ldap = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
    await ldap.bind(LDAP.api.dn, LDAP.api.password);
    await ldap.modify(userDn(USER.uid), [new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisBlacklistSender', values: [BLOCKED] }) })]);
  },
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

afterAll(async () => {
  await ldap?.modify(userDn(USER.uid), [new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisBlacklistSender', values: [] }) })]).catch(() => undefined);
  await ldap?.unbind();
  await Promise.all([resetUser(USER.uid), resetUser(LONELY.uid)]);
});

beforeAll(async () => {
  const sends = [
    { what: 'gtube', from: 'Lab Tester <tester@example.org>', body: `Buy now.\n${GTUBE}\n${GREEK_LINE}` },
    { what: 'virus', from: 'tester@example.org', body: 'The readme you asked for.', attachments: [eicar] },
    { what: 'banned', from: 'tester@example.org', body: 'Please pay the invoice.', attachments: [exe] },
    { what: 'blocked', from: BLOCKED, body: 'Hello again.' },
  ];
  for (const s of sends) {
    const raw = filterMessage({ from: s.from, to: USER.mail, subject: subjectOf(s.what), body: s.body, attachments: s.attachments });
    const result = await sendThroughFilter({ from: s.from.replace(/^.*<(.*)>$/, '$1'), to: USER.mail, raw });
    expect(result.outcome, `${s.what}: ${result.reply.text}`).toBe('held');
  }
});

async function open(uid: string, opts: OpenOptions = {}, server = suite.server): Promise<Page> {
  const signedIn = await signInPage(suite.browser, server, uid, opts);
  contexts.push(signedIn.context);
  return signedIn.page;
}

/** The rows shown: the table's on a wide screen, the cards on a narrow one. */
const rows = (page: Page): Locator => page.locator('.held-table tbody tr, .held-cards > li').filter({ visible: true });

const rowOf = (page: Page, what: string) => rows(page).filter({ hasText: subjectOf(what) });

/** Opens the page and searches for this run's token (the virus stays held in every test). */
async function showThisRun(page: Page, lang: 'en' | 'el' = 'en'): Promise<void> {
  await page.goto(`${suite.server.url}/?lang=${lang}#/held`);
  await page.locator('#held-search').fill(token);
  await rowOf(page, 'virus').waitFor();
}

describe('Held mail page', () => {
  const expected = {
    en: { gtube: 'Spam score above the level where mail is held', virus: 'Virus: Eicar-Test-Signature', banned: 'Attachment not allowed: invoice.exe', blocked: 'From a sender you blocked' },
    el: { gtube: 'Βαθμολογία ανεπιθύμητου πάνω από το όριο κράτησης', virus: 'Ιός: Eicar-Test-Signature', banned: 'Μη επιτρεπτό συνημμένο: invoice.exe', blocked: 'Από αποστολέα που έχετε αποκλείσει' },
  } as const;
  for (const lang of ['en', 'el'] as const) {
    for (const [width, height, colorScheme] of LAYOUTS) {
      const name = `${lang} ${width} ${colorScheme}`;
      it(`lists what the filter held, newest first, with why (${name})`, async () => {
        const page = await open(USER.uid, { width, height, colorScheme, lang });
        const listed = page.waitForResponse((r) => r.url().includes('/api/quarantine?') && r.url().includes(token));
        await showThisRun(page, lang);
        await expect.poll(() => rows(page).count()).toBe(4);
        // In the API's order (newest first; amavisd times to the second, so sends within one
        // second may come in any order among themselves).
        const { items } = (await (await listed).json()) as { items: Array<{ subject: string; receivedAt: string }> };
        const times = items.map((i) => Date.parse(i.receivedAt));
        expect([...times].sort((a, b) => b - a)).toEqual(times);
        const order = (await rows(page).locator('.held-open').allTextContents()).map((s) => s.trim());
        expect(order).toEqual(items.map((i) => i.subject));
        expect([...order].sort()).toEqual(['banned', 'blocked', 'gtube', 'virus'].map(subjectOf));
        for (const [what, why] of Object.entries(expected[lang])) {
          expect(await rowOf(page, what).locator('.held-why').textContent(), what).toBe(why);
        }
        expect(await page.locator('nav a[href="#/held"]').textContent()).toBe(lang === 'en' ? 'Held mail' : 'Μηνύματα σε αναμονή');
        expect(await page.locator('.held-intro').textContent()).toContain(lang === 'en' ? 'deleted 30 days after it arrived' : 'διαγράφεται 30 ημέρες μετά');
        // Nothing sideways at 360 px: the cards fit the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        expect(await seriousAxeViolations(page)).toEqual([]);
        await screenshot(page, `held-${lang}-${width}-${colorScheme}`);
      });
    }
  }

  it('shows the date in the user’s time zone, the score and the deletion day', async () => {
    const page = await open(USER.uid);
    const listed = page.waitForResponse((r) => r.url().includes('/api/quarantine?') && r.url().includes(token));
    await showThisRun(page);
    const { items } = (await (await listed).json()) as { items: Array<{ subject: string; receivedAt: string; deleteAfter: string; score: number }> };
    const gtube = items.find((i) => i.subject === subjectOf('gtube'));
    if (!gtube) throw new Error('the GTUBE is not in the list');
    const when = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(gtube.receivedAt));
    const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: TIME_ZONE }).format(new Date(gtube.deleteAfter));
    const row = rowOf(page, 'gtube');
    expect(await row.locator('.held-when').textContent()).toBe(when);
    expect(await row.textContent()).toContain(`Deleted on ${day}`);
    expect(await row.textContent()).toContain(`Score ${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(gtube.score)}`);
    expect(await row.textContent()).toContain('Lab Tester <tester@example.org>');
    // The reason filter narrows the list.
    await page.locator('#held-reason').selectOption('virus');
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).locator('.held-open').textContent()).toContain(subjectOf('virus'));
  });

  it('previews safely and releases the GTUBE to the INBOX from the page', async () => {
    const page = await open(USER.uid);
    await showThisRun(page);
    await rowOf(page, 'gtube').locator('.held-open').click();
    const subject = page.locator('#held-message-subject');
    await expect.poll(() => subject.textContent()).toBe(subjectOf('gtube'));
    // Focus moves to the message; its text is plain text, nothing in it is a link.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('held-message-subject');
    // The message says us-ascii: its Greek bytes show as what they claim to be, the rest intact.
    expect(await page.locator('.held-message__text').textContent()).toContain(`Buy now.\n${GTUBE}`);
    expect(await page.locator('.held-message a').count()).toBe(0);
    expect(page.url()).toMatch(/#\/held\?open=[A-Za-z0-9_-]+$/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'held-preview-en-1280');

    await page.locator('#held-release').click();
    const dialog = page.getByRole('dialog', { name: 'Release this message?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`“${subjectOf('gtube')}” from Lab Tester <tester@example.org> is delivered to your Inbox.`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('held-dialog-cancel');
    await dialog.getByRole('button', { name: 'Release', exact: true }).click();
    await expect.poll(() => page.locator('div[role=status]').textContent()).toBe('✓Delivered to your Inbox.');
    await dialog.waitFor({ state: 'hidden' });

    // In the INBOX (not SPAM), with its text.
    await expect.poll(async () => (await mailboxMessages(USER.uid)).filter((m) => m.includes(subjectOf('gtube'))).length, { timeout: 10_000 }).toBe(1);
    const [delivered] = (await mailboxMessages(USER.uid)).filter((m) => m.includes(subjectOf('gtube')));
    expect(delivered).toContain(GREEK_LINE);
    expect((await mailboxMessages(USER.uid, 'SPAM')).some((m) => m.includes(token))).toBe(false);
    // Gone from the list.
    await expect.poll(() => rows(page).count()).toBe(3);
  });

  it('offers "Ask the helpdesk" for a virus, opened by its link, and shows the request', async () => {
    const page = await open(USER.uid, { lang: 'en' });
    const listed = page.waitForResponse((r) => r.url().includes('/api/quarantine?') && r.url().includes(token));
    await showThisRun(page);
    const { items } = (await (await listed).json()) as { items: Array<{ id: string; subject: string }> };
    const virus = items.find((i) => i.subject === subjectOf('virus'));
    if (!virus) throw new Error('the virus is not in the list');

    // The digests' link: the message opens, nothing is done to it.
    await page.goto(`${suite.server.url}/?lang=en#/held?open=${virus.id}`);
    await expect.poll(() => page.locator('#held-message-subject').textContent()).toBe(subjectOf('virus'));
    expect(await page.locator('#held-release').count()).toBe(0);
    expect(await page.locator('.held-attachments').textContent()).toContain('readme.txt');
    const ask = page.getByRole('button', { name: 'Ask the helpdesk to release' });
    await ask.click();
    const dialog = page.getByRole('dialog', { name: 'Ask the helpdesk to release this message?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Send the request' }).click();
    await expect.poll(() => page.locator('div[role=status]').textContent()).toBe('✓Request sent to the helpdesk.');
    await expect.poll(() => rowOf(page, 'virus').locator('.held-requested').textContent()).toBe('Release requested');
    // Never delivered.
    expect((await mailboxMessages(USER.uid)).some((m) => m.includes(subjectOf('virus')))).toBe(false);
  });

  it('says plainly when the filter’s store does not answer; other pages work', async () => {
    const dead = await startTestServer((config) => ({
      ...config,
      quarantine: config.quarantine && { ...config.quarantine, databaseUrl: 'postgres://webapp@127.0.0.1:1/mail_log', releasePort: 1, timeoutMs: 1000 },
    }));
    try {
      for (const lang of ['en', 'el'] as const) {
        const page = await open(LONELY.uid, { width: 360, height: 780, lang }, dead);
        await page.goto(`${dead.url}/?lang=${lang}#/held`);
        const alert = page.getByRole('alert').filter({ hasText: /\S/ });
        await expect.poll(() => alert.textContent()).toContain(lang === 'en' ? 'is not answering right now' : 'δεν αποκρίνεται αυτή τη στιγμή');
        expect(await page.locator('#held-retry').isVisible()).toBe(true);
        expect(await seriousAxeViolations(page)).toEqual([]);
        await screenshot(page, `held-unavailable-${lang}-360`);
        await page.locator('nav a[href="#/spam"]').click();
        await page.locator('form.settings-form').waitFor();
        await page.context().close();
      }
    } finally {
      await dead.close();
    }
  });

  for (const [lang, width] of [['el', 360], ['en', 1280]] as const) {
    it(`lets the user choose how often the digest comes and in which language (${lang} ${width})`, async () => {
      const page = await open(LONELY.uid, { width, height: 900, lang });
      await page.goto(`${suite.server.url}/?lang=${lang}#/held`);
      const schedule = page.locator('#held-digest-schedule');
      await expect.poll(() => schedule.isEnabled()).toBe(true);
      await schedule.selectOption('weekly');
      await page.locator('#held-digest-language').selectOption('en');
      await page.locator('#held-digest-save').click();
      await expect.poll(() => page.locator('div[role=status]').textContent()).toContain(lang === 'en' ? 'Saved.' : 'Αποθηκεύτηκε.');
      expect(await page.evaluate(() => fetch('api/quarantine/digest').then((r) => r.json()))).toEqual({ schedule: 'weekly', language: 'en' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `held-digest-${lang}-${width}`);

      await page.reload();
      await expect.poll(() => page.locator('#held-digest-schedule').inputValue()).toBe('weekly');
      await page.locator('#held-digest-schedule').selectOption('never');
      expect(await page.locator('#held-digest-language').isDisabled()).toBe(true);
      await page.locator('#held-digest-schedule').selectOption('daily');
      await page.locator('#held-digest-language').selectOption('el');
      await page.locator('#held-digest-save').click();
      await expect.poll(() => page.evaluate(() => fetch('api/quarantine/digest').then((r) => r.json()))).toEqual({ schedule: 'daily', language: 'el' });
    });
  }

  it('shows no digest choice on a site that sends no mail of its own', async () => {
    const silent = await startTestServer((config) => ({ ...config, outbound: null }));
    try {
      const page = await open(LONELY.uid, {}, silent);
      const digestAnswer = page.waitForResponse((r) => r.url().endsWith('/api/quarantine/digest'));
      await page.goto(`${silent.url}/?lang=en#/held`);
      expect((await digestAnswer).status()).toBe(404);
      await page.locator('#held-search').waitFor();
      await page.locator('.held-count').waitFor();
      expect(await page.locator('#held-digest-schedule').count()).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it('has no Held mail entry on a site without a quarantine', async () => {
    const plain = await startTestServer((config) => ({ ...config, quarantine: null }));
    try {
      const page = await open(LONELY.uid, {}, plain);
      await page.locator('nav a[href="#/spam"]').waitFor();
      expect(await page.locator('nav a[href="#/held"]').count()).toBe(0);
    } finally {
      await plain.close();
    }
  });
});
