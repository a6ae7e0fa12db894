import { describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { activeScript } from '../support/feature';
import { deliverMessage, makeMessage, resetUser } from '../support/stack';
import { seriousAxeViolations, watchPage } from './helpers';
import { mailSettingsFrame, useRoundcubeSuite } from './roundcube-support';
import { screenshot } from './settings-support';

// Issue 18: "Create a filter…" on a message in the real Roundcube (Debian's 1.6, Elastic) opens
// Mail settings at the app's rule editor (single sign-on), pre-filled from that message's headers
// as the plugin reads them from Roundcube's own IMAP session: the sender ticked, the list and the
// subject offered, the tester already run on the last 30 days of INBOX. Saved, the rule files the
// next message from that sender — delivered through LMTP, found in the folder through Roundcube.
// Users load115–load119 are this suite's own.

const PASSWORD = 'load-pass';
const FOLDER = 'Σεμινάρια';
const SENDER = 'seminars@lists.example.org';
const LIST_ID = 'seminars.cs.example.org';

const rc = useRoundcubeSuite('roundcube-filter-from-message', { managesieve: false });

/** An RFC 2047 encoded word (UTF-8, base64) of any text: the header itself stays ASCII. */
const encoded = (text: string): string => `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;

async function deliver(uid: string, from: string, subject: string, headers: Record<string, string> = {}): Promise<void> {
  await deliverMessage({ to: uid, raw: makeMessage({ from, to: `${uid}@cs.ucy.ac.cy`, subject, headers }) });
}

const WORDS = {
  en: { button: 'Filter…', title: 'Create a filter from this message in Mail settings', create: 'Create a filter…', heading: 'New rule', found: '2 of 3 recent Inbox messages match.', trimmed: 'only its first 200 characters', control: 'line breaks or hidden characters', settings: 'Mail settings' },
  el: { button: 'Φίλτρο…', title: 'Δημιουργία φίλτρου από αυτό το μήνυμα στις Ρυθμίσεις αλληλογραφίας', create: 'Δημιουργία φίλτρου…', heading: 'Νέος κανόνας', found: '2 από 3 πρόσφατα μηνύματα των Εισερχομένων ταιριάζουν.', trimmed: 'μόνο οι πρώτοι 200 χαρακτήρες', control: 'αλλαγές γραμμής ή κρυφούς χαρακτήρες', settings: 'Ρυθμίσεις αλληλογραφίας' },
} as const;

/**
 * Opens the INBOX message whose subject starts with `subject`, then "Create a filter…": from the
 * toolbar's "Filter…" (its title the full words), or from the More menu: the app's frame.
 */
async function createFilterFrom(page: Page, subject: string, words: (typeof WORDS)['en' | 'el'], via: 'toolbar' | 'menu'): Promise<Frame> {
  await page.locator('#messagelist tr', { hasText: subject }).first().click();
  // Roundcube ignores commands while it is busy: wait for the preview it loads (after a short delay).
  await page.frameLocator('#messagecontframe').locator('#messagebody').waitFor();
  await expect.poll(() => page.evaluate(() => (window as unknown as { rcmail: { busy: boolean } }).rcmail.busy), { timeout: 10_000 }).toBe(false);
  const toolbar = page.locator('a.button.emailng-filter');
  await expect.poll(() => toolbar.getAttribute('class')).not.toContain('disabled');
  expect((await toolbar.textContent())?.trim()).toBe(words.button);
  expect(await toolbar.getAttribute('title')).toBe(words.title);
  // On a phone Elastic folds the message's toolbar into the header's ⋮ menu.
  const phoneMenu = page.locator('#layout-content .header a.toolbar-menu-button');
  if (!(await toolbar.isVisible()) && (await phoneMenu.isVisible())) await phoneMenu.click();
  if (via === 'toolbar') {
    await toolbar.click();
  } else {
    await page.locator('#messagemenulink').click();
    await page.locator('#message-menu a.emailng-filter', { hasText: words.create }).click();
  }
  const frame = await mailSettingsFrame(page);
  await frame.locator('#rule-editor-heading').waitFor();
  return frame;
}

/** Roundcube's own view of a folder (IMAP): the subjects of its messages. */
async function subjectsInFolder(page: Page, folder: string): Promise<string[]> {
  await page.goto(`${rc.roundcube.url}?_task=mail&_mbox=INBOX`);
  const href = await page.locator('#mailboxlist a', { hasText: folder }).first().getAttribute('href');
  await page.goto(new URL(href!, rc.roundcube.url).href);
  await page.locator('#messagelist tbody tr').first().waitFor({ state: 'attached' });
  return (await page.locator('#messagelist tbody tr span.subject a, #messagelist tbody tr td.subject a').allTextContents()).map((s) => s.trim());
}

const CASES = [
  { uid: 'load115', lang: 'en', width: 1280, height: 800, via: 'toolbar' },
  { uid: 'load116', lang: 'el', width: 360, height: 740, via: 'toolbar' },
  { uid: 'load117', lang: 'el', width: 1280, height: 800, via: 'menu' },
  { uid: 'load118', lang: 'en', width: 360, height: 740, via: 'menu' },
] as const;

describe('"Create a filter…" from a message in Roundcube', () => {
  for (const c of CASES) {
    it(`${c.lang}, ${c.width} px, from the ${c.via}: pre-filled from the message (sender ticked, list and subject offered), tested on INBOX, saved; the next message from that sender lands in the folder`, async () => {
      const w = WORDS[c.lang];
      await resetUser(c.uid);
      await rc.createFolder(c.uid, PASSWORD, FOLDER);
      const list = { 'List-Id': `${encoded('Σεμινάρια Τμήματος')} <${LIST_ID}>` };
      await deliver(c.uid, `${encoded('Γραμματεία Σεμιναρίων')} <${SENDER}>`, encoded('Πρόγραμμα εβδομάδας'), list);
      await deliver(c.uid, 'Other <other@example.net>', 'Not from the list');
      await deliver(c.uid, `${encoded('Γραμματεία Σεμιναρίων')} <${SENDER}>`, encoded('Σεμινάριο: Αλγόριθμοι γράφων'), list);

      const page = await rc.newPage({ width: c.width, height: c.height, locale: c.lang === 'el' ? 'el-GR' : 'en-US' });
      const problems = watchPage(page);
      await rc.signIn(page, c.uid, PASSWORD);
      const app = await createFilterFrom(page, 'Σεμινάριο: Αλγόριθμοι γράφων', w, c.via);

      // Embedded, in Roundcube's language, at the editor; the token did not come along.
      expect(app.url()).toMatch(new RegExp(`/#/filters/new\\?embedded=1&lang=${c.lang}&`));
      expect(app.url()).not.toContain('token');
      expect((await app.locator('#rule-editor-heading').textContent())?.trim()).toBe(w.heading);
      expect(await app.locator('#rule-proposal-from').isChecked()).toBe(true);
      expect(await app.locator('#rule-proposal-list-id').isChecked()).toBe(false);
      expect(await app.locator('#rule-proposal-subject').isChecked()).toBe(false);
      expect(await app.locator('.message-proposals__value').allTextContents()).toEqual([SENDER, LIST_ID, 'Σεμινάριο: Αλγόριθμοι γράφων']);
      expect(await app.locator('#rule-proposal-notes').count()).toBe(0);
      expect(await app.locator('#rule-name').inputValue()).toBe(SENDER);
      expect(await app.locator('[id^="rule-conditions-"][id$="-value"]').count()).toBe(1);
      expect(await app.locator('#rule-conditions-0-type').inputValue()).toBe('from');
      expect(await app.locator('#rule-conditions-0-operator').inputValue()).toBe('is');
      expect(await app.locator('#rule-conditions-0-value').inputValue()).toBe(SENDER);

      // The tester ran by itself: both messages from the list, not the other one (as cards on a
      // phone, as a table on a desktop).
      const narrow = c.width === 360;
      const found = app.locator(narrow ? '.rule-tester__card' : '.rule-tester__table tbody tr');
      await found.first().waitFor();
      expect((await app.locator('.rule-tester__verdict').textContent())?.trim()).toBe(w.found);
      const subjects = app.locator(narrow ? '.rule-tester__card-subject' : '.rule-tester__table tbody tr td:nth-child(2)');
      expect((await subjects.allTextContents()).map((t) => t.trim()).sort()).toEqual(['Πρόγραμμα εβδομάδας', 'Σεμινάριο: Αλγόριθμοι γράφων']);
      // The test nobody asked for did not take the focus to its button.
      expect(await app.evaluate(() => document.activeElement?.id)).not.toBe('rule-test');
      if (c.width === 360) expect(await app.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      expect(await seriousAxeViolations(app)).toEqual([]);
      await screenshot(page, `roundcube-filter-from-message-${c.lang}-${c.width}`);
      await app.locator(narrow ? '.rule-tester__cards' : '.rule-tester__table').scrollIntoViewIfNeeded();
      await screenshot(page, `roundcube-filter-from-message-${c.lang}-${c.width}-tester`);

      // Ticking the list adds its condition and tests again; unticking takes it away.
      await app.locator('#rule-proposal-list-id').check();
      expect(await app.locator('#rule-conditions-1-type').inputValue()).toBe('list-id');
      expect(await app.locator('#rule-conditions-1-value').inputValue()).toBe(LIST_ID);
      await expect.poll(() => found.count()).toBe(2);
      await app.locator('#rule-proposal-list-id').uncheck();
      expect(await app.locator('#rule-conditions-1-type').count()).toBe(0);

      // Choose the folder and save: the rule is the app's, in the user's active script.
      await expect.poll(() => app.locator(`#rule-actions-0-mailbox option[value="${FOLDER}"]`).count()).toBe(1);
      await app.locator('#rule-actions-0-mailbox').selectOption(FOLDER);
      await app.locator('#rule-save').click();
      await app.locator('.filter-item', { hasText: SENDER }).waitFor();
      const script = await activeScript(rc.server.services.config, c.uid);
      expect(script).toContain(`# rule:[${SENDER}]`);
      expect(script).toMatch(new RegExp(`address :all :is "from" "${SENDER}"|address :is "from" "${SENDER}"`));
      expect(script).toContain(`fileinto "${FOLDER}"`);

      // The next message from that sender, with another display name, lands in the folder.
      await deliver(c.uid, `"Άλλος Αποστολέας" <${SENDER}>`, 'Νέο σεμινάριο την Πέμπτη');
      expect(await subjectsInFolder(page, FOLDER)).toEqual(['Νέο σεμινάριο την Πέμπτη']);
      expect(problems).toEqual([]);
    }, 120_000);
  }

  it('hostile headers: a display name posing as an address, a subject with a line break, a 10 000-character subject — refused or cut, and said so', async () => {
    const uid = 'load119';
    await resetUser(uid);
    await rc.createFolder(uid, PASSWORD, FOLDER);
    await deliver(uid, `${encoded('Εύα <boss@cs.ucy.ac.cy>')} <eve@attacker.example>`, encoded('Hello\r\nBcc: victim@example.org'));
    const long = `Μακρύ θέμα ${'ς'.repeat(10_000)}`;
    // Folded into encoded words of 30 characters each, as mail programs write long subjects.
    const chunks = Array.from(long).reduce<string[]>((acc, ch, i) => (i % 30 === 0 ? [...acc, ch] : [...acc.slice(0, -1), acc.at(-1)! + ch]), []);
    const longSubject = chunks.map(encoded).join('\n ');
    await deliver(uid, 'Long <long@example.net>', longSubject);

    const page = await rc.newPage({ width: 1280, height: 800, locale: 'en-US' });
    const problems = watchPage(page);
    await rc.signIn(page, uid, PASSWORD);

    let app = await createFilterFrom(page, 'Hello', WORDS.en, 'toolbar');
    expect(await app.locator('.message-proposals__value').allTextContents()).toEqual(['eve@attacker.example']);
    expect(await app.locator('#rule-conditions-0-value').inputValue()).toBe('eve@attacker.example');
    expect(await app.locator('#rule-proposal-subject').count()).toBe(0);
    expect(await app.locator('#rule-proposal-notes').textContent()).toContain(`Subject: the message has ${WORDS.en.control} there`);
    // (The tester lists the message itself, its subject shown as text; the rule has none of it.)
    expect(await app.locator('.message-proposals').textContent()).not.toContain('victim');
    expect(await app.locator('[id^="rule-conditions-"][id$="-value"]').count()).toBe(1);
    await screenshot(page, 'roundcube-filter-from-message-hostile-control');

    await page.goto(`${rc.roundcube.url}?_task=mail&_mbox=INBOX`);
    app = await createFilterFrom(page, 'Μακρύ θέμα', WORDS.en, 'menu');
    expect(await app.locator('#rule-proposal-notes').textContent()).toContain(`Subject: the message has a very long one; ${WORDS.en.trimmed} are used.`);
    const subject = (await app.locator('.message-proposals__value').nth(1).textContent()) ?? '';
    expect(Array.from(subject)).toHaveLength(200);
    expect(long.startsWith(subject)).toBe(true);
    // Ticked and saved, the cut subject is a rule the server takes, and it files such a message.
    await app.locator('#rule-proposal-subject').check();
    await app.locator('#rule-proposal-from').uncheck();
    expect(await app.locator('#rule-conditions-0-value').inputValue()).toBe(subject);
    await app.locator('#rule-actions-0-mailbox').selectOption(FOLDER);
    await app.locator('#rule-save').click();
    await app.locator('.filter-item').first().waitFor();
    expect(await activeScript(rc.server.services.config, uid)).toContain('header :regex "subject"');
    await deliver(uid, 'Someone else <else@example.net>', longSubject);
    const filed = await subjectsInFolder(page, FOLDER);
    expect(filed).toHaveLength(1);
    expect(filed[0]!.startsWith('Μακρύ θέμα ςςς')).toBe(true);
    expect(problems).toEqual([]);
    // Two messages opened, two rules edited and tested, a save and a delivery: over a minute on 2 cores.
  }, 150_000);
});

