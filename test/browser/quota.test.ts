import { Attribute, Change, Client } from 'ldapts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server';
import { LDAP, deliverMessage, loadUser, mailboxMessages, makeMessage, resetUser, userDn } from '../support/stack';
import { assertSpaBuilt, launchChromium, openPage, seriousAxeViolations, signInThroughForm, type PageOptions } from './helpers';
import { showSections } from '../support/navigation';

// The Quota page through the real UI, against the real API and the local stack's Dovecot.
// Users: load100 (empty SPAM; INBOX untouched), load101 (mail arriving while the dialog is
// open), load102 (every screen size, language and colour scheme; keyboard), load103 (warning
// levels with a small mailQuota, restored afterwards). Each mailbox is reset before and after.

const EMPTY = loadUser(100);
const ARRIVAL = loadUser(101);
const LOOKS = loadUser(102);
const LEVELS = loadUser(103);
const USED = [EMPTY, ARRIVAL, LOOKS, LEVELS];

let server: TestServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  assertSpaBuilt();
  await Promise.all(USED.map((u) => resetUser(u.uid)));
  server = await startTestServer();
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await Promise.all(USED.map((u) => resetUser(u.uid)));
});

const spam = (to: string, subject: string) =>
  makeMessage({ to, subject, headers: { 'X-Spam-Flag': 'YES', 'X-Spam-Score': '9.5' }, body: `${subject}\n${'spam spam spam\n'.repeat(40)}` });
const ham = (to: string, subject: string) => makeMessage({ to, subject, body: `${subject}\nHello there.\n` });

async function open(opts: PageOptions = {}) {
  const opened = await openPage(browser, `${server.url}/?lang=${opts.lang ?? 'en'}#/sign-in`, opts);
  context = opened.context;
  return opened;
}

async function signInToQuota(page: Page, user: { uid: string; password: string }): Promise<void> {
  await signInThroughForm(page, user.uid, user.password);
  await showSections(page);
  await page.locator('nav a[href="#/quota"]').click();
  await page.locator('.quota-folders').waitFor();
}

/** The folder table as {row name: [messages, size]}. */
async function folderRows(page: Page): Promise<Record<string, [string, string]>> {
  const rows = await page.locator('.quota-folders tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
  );
  return Object.fromEntries(rows.map(([name = '', messages = '', size = '']) => [name, [messages, size]]));
}

const statusText = (page: Page) => page.locator('div[role=status]').textContent();

describe('Quota page', () => {
  it('shows the counts, empties SPAM through the dialog exactly as shown; INBOX stays as it was', async () => {
    for (let i = 1; i <= 3; i++) await deliverMessage({ to: EMPTY.uid, raw: spam(EMPTY.mail, `spam ${i}`) });
    for (let i = 1; i <= 2; i++) await deliverMessage({ to: EMPTY.uid, raw: ham(EMPTY.mail, `ham ${i}`) });
    expect(await mailboxMessages(EMPTY.uid, 'SPAM')).toHaveLength(3);
    const inboxBefore = await mailboxMessages(EMPTY.uid);
    expect(inboxBefore).toHaveLength(2);

    const { page, problems } = await open();
    await signInToQuota(page, EMPTY);
    const rows = await folderRows(page);
    expect(rows.SPAM?.[0]).toBe('3');
    expect(rows.Inbox?.[0]).toBe('2');
    // Largest first: SPAM holds the biggest messages here.
    expect(Object.keys(rows)[0]).toBe('SPAM');
    const messagesMeter = page.getByRole('meter', { name: 'Number of messages' });
    expect(await messagesMeter.getAttribute('aria-valuetext')).toBe('5 of 100,000 messages (0%)');
    const storageMeter = page.getByRole('meter', { name: 'Storage' });
    expect(await storageMeter.getAttribute('aria-valuetext')).toMatch(/^[\d.]+ kB of 100 MB used \(0%\)$/);

    // The dialog shows what emptying deletes: the preview's count and size.
    const previewed = page.waitForResponse((r) => r.url().includes('/api/quota/empty-preview?folder=SPAM'));
    await page.getByRole('button', { name: 'Empty SPAM' }).click();
    const preview = (await (await previewed).json()) as { messages: number; bytes: number; uidValidity: string; uidNext: number };
    expect(preview.messages).toBe(3);
    const dialog = page.getByRole('dialog', { name: 'Empty SPAM?' });
    await dialog.waitFor();
    const kB = (preview.bytes / 1024).toFixed(1).replace(/\.0$/, '');
    expect(await page.locator('#quota-empty-summary').textContent()).toContain(`This deletes 3 messages (${kB} kB) from SPAM for good.`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('quota-empty-cancel');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const sent = page.waitForRequest((r) => r.url().endsWith('/api/quota/empty') && r.method() === 'POST');
    await dialog.getByRole('button', { name: 'Delete 3 messages' }).click();
    const body = (await sent).postDataJSON() as Record<string, unknown>;
    // Exactly what was shown goes back: count, UIDVALIDITY and UIDNEXT of the preview.
    expect(body).toEqual({ folder: 'SPAM', expectedMessages: 3, uidValidity: preview.uidValidity, uidNext: preview.uidNext });
    await expect.poll(() => statusText(page)).toContain('3 messages were deleted from SPAM.');
    expect(await statusText(page)).not.toContain('arrived');
    await dialog.waitFor({ state: 'hidden' });
    // Focus is back on the button that opened the dialog.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('quota-empty-SPAM');

    expect(await mailboxMessages(EMPTY.uid, 'SPAM')).toEqual([]);
    expect(await mailboxMessages(EMPTY.uid)).toEqual(inboxBefore);
    await expect.poll(async () => (await folderRows(page)).SPAM?.[0]).toBe('0');
    expect((await folderRows(page)).Inbox?.[0]).toBe('2');
    expect(await messagesMeter.getAttribute('aria-valuetext')).toBe('2 of 100,000 messages (0%)');
    expect(problems).toEqual([]);
  });

  it('keeps mail that arrived while the dialog was open, and says so', async () => {
    for (let i = 1; i <= 2; i++) await deliverMessage({ to: ARRIVAL.uid, raw: spam(ARRIVAL.mail, `early ${i}`) });
    const { page } = await open();
    await signInToQuota(page, ARRIVAL);
    await page.getByRole('button', { name: 'Empty SPAM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Empty SPAM?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('This deletes 2 messages');
    await deliverMessage({ to: ARRIVAL.uid, raw: spam(ARRIVAL.mail, 'late arrival') });
    await dialog.getByRole('button', { name: 'Delete 2 messages' }).click();
    await expect.poll(() => statusText(page)).toContain('2 messages were deleted from SPAM.');
    expect(await statusText(page)).toContain('1 new message arrived in SPAM meanwhile; it was kept.');
    const left = await mailboxMessages(ARRIVAL.uid, 'SPAM');
    expect(left).toHaveLength(1);
    expect(left[0]).toContain('Subject: late arrival');

    // An empty folder: the dialog says there is nothing to delete and offers no delete button.
    await page.getByRole('button', { name: 'Empty Trash' }).click();
    const trash = page.getByRole('dialog', { name: 'Empty Trash?' });
    await trash.waitFor();
    expect(await trash.textContent()).toContain('Trash is empty: there is nothing to delete.');
    expect(await trash.getByRole('button').allTextContents()).toEqual(['Close']);
    await page.keyboard.press('Escape');
    await trash.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('quota-empty-Trash');
  });

  for (const lang of ['en', 'el'] as const) {
    for (const [width, height] of [
      [360, 740],
      [1280, 800],
    ] as const) {
      it(`${lang} at ${width}px, light and dark: meters, folders, the dialog; no serious axe findings`, async () => {
        if ((await mailboxMessages(LOOKS.uid)).length === 0) {
          await deliverMessage({ to: LOOKS.uid, raw: ham(LOOKS.mail, 'hello') });
          await deliverMessage({ to: LOOKS.uid, raw: spam(LOOKS.mail, 'buy now') });
        }
        for (const colorScheme of ['light', 'dark'] as const) {
          const { page, problems } = await open({ width, height, colorScheme, lang });
          await signInToQuota(page, LOOKS);
          expect(await page.getByRole('meter').count()).toBe(2);
          const rows = await folderRows(page);
          expect(rows[lang === 'en' ? 'Inbox' : 'Εισερχόμενα']?.[0]).toBe('1');
          expect(await page.locator('#full-heading').textContent()).toBe(
            lang === 'en' ? 'What happens when your mailbox is full' : 'Τι γίνεται όταν γεμίσει το γραμματοκιβώτιό σας',
          );
          if (lang === 'el') {
            // Greek number format: 100.000, not 100,000.
            expect(await page.getByRole('meter', { name: 'Πλήθος μηνυμάτων' }).getAttribute('aria-valuetext')).toContain('από 100.000 μηνύματα');
          }
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          expect(await seriousAxeViolations(page)).toEqual([]);

          await page.locator('#quota-empty-SPAM').click();
          await page.getByRole('dialog').waitFor();
          expect(await page.locator('#quota-empty-summary').textContent()).toMatch(lang === 'en' ? /1 message \(.+\) from SPAM/ : /1 μήνυμα \(.+\) από τον φάκελο SPAM/);
          expect(await seriousAxeViolations(page)).toEqual([]);
          // Keyboard: focus stays inside while open, returns to the opener on Escape.
          await page.keyboard.press('Tab');
          await page.keyboard.press('Tab');
          expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
          await page.keyboard.press('Escape');
          await page.getByRole('dialog').waitFor({ state: 'hidden' });
          expect(await page.evaluate(() => document.activeElement?.id)).toBe('quota-empty-SPAM');
          expect(await mailboxMessages(LOOKS.uid, 'SPAM')).toHaveLength(1);
          expect(problems).toEqual([]);
          await context?.close();
          context = undefined;
        }
      });
    }
  }

  describe('warnings', () => {
    let admin: Client;

    async function setQuota(bytes: number): Promise<void> {
      await admin.modify(userDn(LEVELS.uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'mailQuota', values: [String(bytes)] }) }));
      await server.services.imap.release(LEVELS.uid); // the quota rule is read at login
    }

    beforeAll(async () => {
      admin = new Client({ url: LDAP.url });
      await admin.bind(LDAP.admin.dn, LDAP.admin.password);
    });

    afterAll(async () => {
      await setQuota(LEVELS.quotaBytes ?? 104857600).catch(() => undefined);
      await admin.unbind();
    });

    it('warns at 80 % and says when the mailbox is full, in words and not colour alone', async () => {
      // 100 KiB of quota; each message ~ 21 KiB.
      await setQuota(100 * 1024);
      const body = 'x'.repeat(70) + '\n';
      const big = (n: number) => makeMessage({ to: LEVELS.mail, subject: `big ${n}`, body: body.repeat(300) });
      for (let i = 1; i <= 4; i++) await deliverMessage({ to: LEVELS.uid, raw: big(i) });

      const { page } = await open({ width: 360, height: 740, colorScheme: 'dark' });
      await signInToQuota(page, LEVELS);
      const warning = page.locator('.quota-warning');
      expect(await warning.textContent()).toContain('Warning: Your mailbox is over 80% full.');
      const meter = page.getByRole('meter', { name: 'Storage' });
      expect(Number(await meter.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(80);
      expect(await seriousAxeViolations(page)).toEqual([]);

      // Over the limit (Dovecot's grace lets one message through): full.
      await deliverMessage({ to: LEVELS.uid, raw: big(5) }).catch(() => undefined);
      await server.services.imap.release(LEVELS.uid);
      await page.reload();
      await page.locator('.quota-folders').waitFor();
      await expect.poll(() => warning.textContent()).toContain('Mailbox full: Your mailbox is full.');
      expect(await meter.getAttribute('aria-valuenow')).toBe('100');
      expect(await seriousAxeViolations(page)).toEqual([]);
    });
  });
});
