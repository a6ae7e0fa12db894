import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server';
import { DOMAIN, MAIL_DIR, deliverMessage, makeMessage, resetUser } from '../support/stack';
import { activeScript, putActiveScript } from '../support/feature';
import { assertSpaBuilt, launchChromium, seriousAxeViolations } from './helpers';
import { openSignedIn, screenshot, type OpenOptions } from './settings-support';

// The filters pages through the real UI, the real API and the local stack: rules made here
// file LMTP-delivered mail (a Greek folder created from the picker too) and mark it read;
// a Roundcube script opens as rules with its custom Sieve in place and keeps every other
// byte when one rule is edited; two sessions meet the conflict choice; the history puts an
// earlier version back exactly; keyboard reordering, on/off and undo; the raw editor shows
// the server's problem at its line. Users load020…load029 are this suite's own.

interface FiltersGet {
  etag: string;
  items: Array<{ kind: 'rule'; rule: { id: string; name: string; enabled: boolean; conditions: Array<{ value?: string }> } } | { kind: 'custom'; id: string; text: string }>;
}

const ROUNDCUBE = 'test/fixtures/sieve/roundcube-edit-mixed.sieve';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertSpaBuilt();
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

async function open(uid: string, hash = '#/filters', opts: OpenOptions = {}) {
  const s = await openSignedIn(browser, server, uid, hash, opts);
  contexts.push(s.context);
  return s;
}

/** IMAP's modified UTF-7 (RFC 3501 §5.1.3): how Dovecot's Maildir names a Greek folder. */
function mutf7(name: string): string {
  return name.replace(/&|[^\x20-\x7e]+/g, (s) => {
    if (s === '&') return '&-';
    const be = Buffer.from(s, 'utf16le').swap16();
    return `&${be.toString('base64').replace(/=+$/, '').replaceAll('/', ',')}-`;
  });
}

/** The Maildir file names of a folder (flags after `:2,`), and their texts. */
async function folder(uid: string, name: string): Promise<Array<{ file: string; text: string }>> {
  const root = path.join(MAIL_DIR, uid, 'Maildir');
  const dir = name === 'INBOX' ? root : path.join(root, `.${mutf7(name).replaceAll('/', '.')}`);
  const out: Array<{ file: string; text: string }> = [];
  for (const sub of ['new', 'cur']) {
    for (const f of await readdir(path.join(dir, sub)).catch(() => [] as string[])) out.push({ file: f, text: await readFile(path.join(dir, sub, f), 'utf8') });
  }
  return out;
}

const seen = (file: string) => /:2,[A-Za-z]*S/.test(file);

async function names(page: Page): Promise<string[]> {
  return (await page.locator('.filter-item .filter-item__name > :first-child').allTextContents()).map((s) => s.trim());
}

/** Clicks a save button and waits for the list page's "Saved", or fails with the page's error. */
async function saveAndWait(page: Page, button: string): Promise<void> {
  await page.locator(button).click();
  const ok = page.locator('.save-bar__status').filter({ hasText: /\S/ });
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await ok.or(alert).first().waitFor();
  if (await alert.count()) {
    const fieldErrors = await page.locator('.field-error').allTextContents();
    throw new Error(`save failed in the UI: ${await alert.first().textContent()} ${fieldErrors.join(' | ')}`);
  }
}

async function createFolderViaApi(s: Awaited<ReturnType<typeof open>>, name: string): Promise<void> {
  const me = await s.get<{ csrfToken: string }>('/api/me');
  const res = await s.context.request.post(`${server.url}/api/folders`, { data: { name }, headers: { 'X-CSRF-Token': me.csrfToken, Origin: server.url } });
  expect([201, 409]).toContain(res.status());
}

describe('filters', () => {
  it('rules made in the UI file delivered mail into a chosen folder and a new Greek folder, and mark it read', async () => {
    const uid = 'load020';
    await resetUser(uid);
    const tag = Date.now();
    const s = await open(uid);
    const { page, problems } = s;
    await createFolderViaApi(s, 'Work');
    expect(await page.locator('.filter-items').count()).toBe(0);

    // Rule 1: From contains … → move to Work (an existing folder, picked).
    await page.locator('#filters-add').click();
    await page.locator('#rule-name').fill('From the office');
    await page.locator('#rule-conditions-0-value').fill(`office-${tag}@example.org`);
    await page.locator('#rule-actions-0-mailbox').selectOption('Work');
    await saveAndWait(page, '#rule-save');
    expect(await names(page)).toEqual(['From the office']);
    expect(await page.locator('.filter-item__summary').first().textContent()).toContain('→ move to Work');

    // Rule 2: Subject contains … → move to a Greek folder created from the picker, and mark as read.
    await page.locator('#filters-add').click();
    await page.locator('#rule-name').fill('Αναφορές');
    await page.locator('#rule-conditions-0-type').selectOption('subject');
    await page.locator('#rule-conditions-0-value').fill(`Αναφορά ${tag}`);
    await page.locator('#rule-actions-0-mailbox').selectOption({ label: 'New folder…' });
    await page.locator('#rule-actions-0-mailbox-new').fill('Αναφορές');
    await page.locator('#rule-actions-0-mailbox-create').click();
    await expect.poll(() => page.locator('#rule-actions-0-mailbox').inputValue()).toBe('Αναφορές');
    await page.locator('#rule-add-action').click();
    expect(await page.locator('#rule-actions-1-type').inputValue()).toBe('read');
    await saveAndWait(page, '#rule-save');
    expect(await names(page)).toEqual(['From the office', 'Αναφορές']);

    await deliverMessage({ to: uid, raw: makeMessage({ from: `Office <office-${tag}@example.org>`, to: `${uid}@${DOMAIN}`, subject: `work ${tag}` }) });
    await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject: `Μηνιαία Αναφορά ${tag}` }) });
    await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject: `other ${tag}` }) });

    const work = await folder(uid, 'Work');
    expect(work.map((m) => m.text).join()).toContain(`work ${tag}`);
    expect(work.every((m) => !seen(m.file))).toBe(true);
    const greek = await folder(uid, 'Αναφορές');
    expect(greek).toHaveLength(1);
    expect(greek[0]?.text).toContain(`Subject: Μηνιαία Αναφορά ${tag}`);
    expect(seen(greek[0]?.file ?? '')).toBe(true);
    const inbox = (await folder(uid, 'INBOX')).map((m) => m.text).join('\n');
    expect(inbox).toContain(`other ${tag}`);
    expect(inbox).not.toContain(`work ${tag}`);
    expect(problems).toEqual([]);
  });

  it('a Roundcube script opens as rules with its custom block in place; editing one rule keeps every other byte', async () => {
    const uid = 'load021';
    await resetUser(uid);
    const config = server.services.config;
    const original = await readFile(ROUNDCUBE, 'utf8');
    await putActiveScript(config, uid, config.sieve.scriptName, original);
    const { page, problems } = await open(uid);

    expect(await names(page)).toEqual(['Newsletters', 'Custom Sieve', 'Boss', 'Old rule', 'Seminar announcements']);
    expect(await page.locator('.filter-item').nth(1).locator('pre').textContent()).toContain('if exists "X-Tracker"');
    expect(await page.locator('#filter-item-3-enabled').isChecked()).toBe(false);

    await page.locator('#filter-item-2').click();
    expect(await page.locator('#rule-name').inputValue()).toBe('Boss');
    expect(await page.locator('#rule-conditions-0-operator').inputValue()).toBe('is');
    expect(await page.locator('#rule-conditions-0-value').inputValue()).toBe('boss@uni.example');
    expect(await page.locator('#rule-actions-0-type').inputValue()).toBe('flag');
    await page.locator('#rule-conditions-0-value').fill('dean@uni.example');
    await saveAndWait(page, '#rule-save');

    const after = await activeScript(config, uid);
    expect(after).not.toBe(original);
    expect(after).toContain('dean@uni.example');
    expect(after).not.toContain('boss@uni.example');
    // Every other rule and the custom block, byte for byte and in the same order.
    const pieces = original.split(/(?=^# rule:\[|^# a hand-written)/m).slice(1);
    const kept = pieces.filter((p) => !p.includes('# rule:[Boss]'));
    expect(kept).toHaveLength(4);
    let from = 0;
    for (const piece of kept) {
      const at = after.indexOf(piece.trimEnd(), from);
      expect(at, piece).toBeGreaterThanOrEqual(from);
      from = at + piece.trimEnd().length;
    }
    expect(problems).toEqual([]);
  });

  it('two sessions: the second save is merged with the first, and both changes survive', async () => {
    const uid = 'load022';
    await resetUser(uid);
    const config = server.services.config;
    await putActiveScript(config, uid, config.sieve.scriptName, await readFile(ROUNDCUBE, 'utf8'));
    const a = await open(uid);
    const b = await open(uid);

    await a.page.locator('#filter-item-0-enabled').uncheck();
    await saveAndWait(a.page, '.save-bar button[type=submit]');

    await b.page.locator('#filter-item-4-up').click();
    await b.page.locator('.save-bar button[type=submit]').click();
    await b.page.locator('#filters-merge').waitFor();
    expect(await b.page.locator('#filters-merge').textContent()).toContain('changed elsewhere');
    expect(await seriousAxeViolations(b.page)).toEqual([]);
    // The first session's change (Newsletters off) is in, marked; this one's move too.
    await expect.poll(() => b.page.locator('#filter-item-0-enabled').isChecked()).toBe(false);
    expect(await b.page.locator('.filter-item--elsewhere').count()).toBe(1);
    expect(await names(b.page)).toEqual(['Newsletters', 'Custom Sieve', 'Boss', 'Seminar announcements', 'Old rule']);
    // Nothing of it is saved until this session saves it.
    expect((await a.get<FiltersGet>('/api/filters')).items.map((i) => (i.kind === 'rule' ? i.rule.name : 'custom'))).toEqual(['Newsletters', 'custom', 'Boss', 'Old rule', 'Seminar announcements']);
    await saveAndWait(b.page, '.save-bar button[type=submit]');

    const now = await a.get<FiltersGet>('/api/filters');
    const first = now.items[0];
    expect(first?.kind === 'rule' && first.rule.enabled).toBe(false);
    expect(now.items.map((i) => (i.kind === 'rule' ? i.rule.name : 'custom'))).toEqual(['Newsletters', 'custom', 'Boss', 'Seminar announcements', 'Old rule']);
  });

  it('history: putting an earlier version back through the UI restores it exactly', async () => {
    const uid = 'load023';
    await resetUser(uid);
    const config = server.services.config;
    const original = await readFile(ROUNDCUBE, 'utf8');
    await putActiveScript(config, uid, config.sieve.scriptName, original);
    const { page, problems } = await open(uid);
    await page.locator('#filter-item-4-enabled').uncheck();
    await saveAndWait(page, '.save-bar button[type=submit]');
    expect(await activeScript(config, uid)).not.toBe(original);

    await page.getByRole('link', { name: 'History' }).click();
    const restore = page.locator('.history-list__item button', { hasText: 'Put this version back' }).first();
    await restore.waitFor();
    await page.locator('.history-list__item button', { hasText: 'Show' }).first().click();
    expect(await page.locator('.history-preview').textContent()).toBe(original);
    await restore.click();
    await page.locator('#history-confirm-restore').click();
    await page.locator('#history-status').filter({ hasText: /is back/ }).waitFor();
    expect(await activeScript(config, uid)).toBe(original);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Rules' }).click();
    await expect.poll(() => page.locator('#filter-item-4-enabled').isChecked()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('reorder by keyboard (announced), turn a rule off, undo a delete, then save', async () => {
    const uid = 'load024';
    await resetUser(uid);
    const config = server.services.config;
    await putActiveScript(config, uid, config.sieve.scriptName, await readFile(ROUNDCUBE, 'utf8'));
    const { page, get, problems } = await open(uid);

    await page.locator('#filter-item-0-down').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[aria-live=polite]').textContent()).toContain('“Newsletters” moved to position 2 of 5.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-item-1-down');
    await page.keyboard.press('Enter');
    expect((await names(page))[2]).toBe('Newsletters');

    await page.locator('#filter-item-1-enabled').uncheck();

    // Delete, undo: back in its place; delete another for good.
    await page.locator('#filter-item-3-delete').click();
    await page.locator('#filters-undo').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filters-undo');
    expect(await page.locator('.filters-undo').textContent()).toContain('“Old rule” will be deleted when you save.');
    await page.keyboard.press('Enter');
    expect((await names(page))[3]).toBe('Old rule');
    await page.locator('#filter-item-4-delete').click();
    expect(await names(page)).not.toContain('Seminar announcements');
    await saveAndWait(page, '.save-bar button[type=submit]');

    const saved = await get<FiltersGet>('/api/filters');
    expect(saved.items.map((i) => (i.kind === 'rule' ? `${i.rule.name}${i.rule.enabled ? '' : ' (off)'}` : 'custom'))).toEqual(['custom', 'Boss (off)', 'Newsletters', 'Old rule (off)']);
    expect(problems).toEqual([]);
  });

  it('the raw editor shows the server’s problem at its line, while typing and on save', async () => {
    const uid = 'load025';
    await resetUser(uid);
    const { page, problems } = await open(uid, '#/filters/raw');
    await page.locator('#raw-script').fill('require "fileinto";\r\n\r\nif header :contains "subject" "x" {\r\n  fileinto "Work";\r\n}\r\nif header :bogus "subject" "y" { keep; }\r\n');
    await page.locator('.sieve-editor__num--bad').waitFor();
    expect(await page.locator('.sieve-editor__num--bad').textContent()).toContain('6');
    expect(await page.locator('.raw-problems__line').first().textContent()).toContain('Line 6');
    expect(await page.locator('#raw-status').textContent()).toContain('1 problem');

    await page.locator('.save-bar button[type=submit]').click();
    await page.getByRole('alert').filter({ hasText: /\S/ }).waitFor();
    expect(await page.locator('.raw-problems__line').first().textContent()).toContain('Line 6');
    await page.locator('.raw-problems__line').first().click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('raw-script');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  for (const [uid, lang] of [
    ['load026', 'en'],
    ['load027', 'el'],
  ] as const) {
    it(`a rule from a message's link is pre-filled (the sender ticked, the list and subject offered); an empty value is refused beside its field (${lang})`, async () => {
      await resetUser(uid);
      const q = new URLSearchParams({ from: 'news@lists.example.org', subject: 'Weekly digest', listId: 'digest.lists.example.org' });
      const { page, get } = await open(uid, `#/filters/new?${q}`, { lang });
      expect(await page.locator('#rule-proposal-from').isChecked()).toBe(true);
      expect(await page.locator('#rule-proposal-list-id').isChecked()).toBe(false);
      expect(await page.locator('#rule-proposal-subject').isChecked()).toBe(false);
      expect(await page.locator('#rule-conditions-0-type').inputValue()).toBe('from');
      expect(await page.locator('#rule-conditions-0-value').inputValue()).toBe('news@lists.example.org');
      await page.locator('#rule-proposal-list-id').check();
      await page.locator('#rule-proposal-subject').check();
      expect(await page.locator('#rule-conditions-1-type').inputValue()).toBe('list-id');
      expect(await page.locator('#rule-conditions-1-value').inputValue()).toBe('digest.lists.example.org');
      expect(await page.locator('#rule-conditions-2-type').inputValue()).toBe('subject');
      expect(await page.locator('#rule-conditions-2-value').inputValue()).toBe('Weekly digest');
      await page.locator('#rule-conditions-1-value').fill('');
      await page.locator('#rule-actions-0-mailbox').selectOption('INBOX');
      await page.locator('#rule-save').click();
      await page.locator('#rule-conditions-1-value-error').waitFor();
      expect(await page.locator('#rule-conditions-1-value-error').textContent()).toContain(lang === 'en' ? 'would match every message' : 'θα ταίριαζε με κάθε μήνυμα');
      expect(await page.locator('#rule-conditions-1-value').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('rule-conditions-1-value');
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect((await get<FiltersGet>('/api/filters')).items).toEqual([]);
    });
  }

  it('scripts: another active script is taken over without loss; the old one can be renamed and deleted, the active one cannot', async () => {
    const uid = 'load025';
    await resetUser(uid);
    const config = server.services.config;
    const original = await readFile(ROUNDCUBE, 'utf8');
    await putActiveScript(config, uid, 'roundcube', original);
    const { page, get, problems } = await open(uid, '#/filters');
    await page.getByRole('link', { name: 'Scripts' }).click();
    await page.locator('#scripts-take-over').waitFor();
    expect(await page.locator('#scripts-take-over').textContent()).toContain('Another script is active: “roundcube”');
    await page.locator('#scripts-take-over-button').click();
    await page.locator('[role=status]', { hasText: 'Taken over' }).waitFor();
    expect(await page.locator('#scripts-take-over').count()).toBe(0);
    const list = await get<Array<{ name: string; active: boolean }>>('/api/scripts');
    expect(list.find((x) => x.active)?.name).toBe(config.sieve.scriptName);
    expect(await activeScript(config, uid)).toContain('# rule:[Boss]');

    // The old script: rename, then delete (with a confirmation); the active one offers neither.
    const row = page.locator('.script-list__item', { hasText: 'roundcube' });
    await row.getByRole('button', { name: 'Rename' }).click();
    await page.locator('#script-new-name').fill('old-roundcube');
    await page.locator('#script-new-name').press('Enter');
    await page.locator('[role=status]', { hasText: 'Renamed to “old-roundcube”' }).waitFor();
    const active = page.locator('.script-list__item:has(.script-list__active)');
    expect(await active.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await page.locator('.script-list__item', { hasText: 'old-roundcube' }).getByRole('button', { name: 'Delete' }).click();
    await page.locator('#script-delete-confirm').click();
    await page.locator('[role=status]', { hasText: 'deleted' }).waitFor();
    expect((await get<Array<{ name: string }>>('/api/scripts')).map((x) => x.name)).not.toContain('old-roundcube');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Rules' }).click();
    await expect.poll(() => names(page)).toEqual(['Newsletters', 'Custom Sieve', 'Boss', 'Old rule', 'Seminar announcements']);
    expect(problems).toEqual([]);
  });

  it('test this rule lists the matching Inbox messages; apply moves them after a count and a yes, with progress', async () => {
    const uid = 'load028';
    await resetUser(uid);
    const tag = Date.now();
    for (const n of [1, 2, 3]) await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject: `invoice ${tag} #${n}` }) });
    await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject: `hello ${tag}` }) });
    const s = await open(uid, '#/filters');
    const { page, problems } = s;
    await createFolderViaApi(s, 'Invoices');
    await page.locator('#filters-add').click();
    await page.locator('#rule-name').fill('Invoices');
    await page.locator('#rule-conditions-0-type').selectOption('subject');
    await page.locator('#rule-conditions-0-value').fill(`invoice ${tag}`);
    await page.locator('#rule-actions-0-mailbox').selectOption('Invoices');

    await page.locator('#rule-test').click();
    await page.locator('.rule-tester__verdict').waitFor();
    expect(await page.locator('.rule-tester__verdict').textContent()).toMatch(/^\s*3 of \d+ recent Inbox messages match/);
    expect(await page.locator('.rule-tester__table tbody tr').count()).toBe(3);
    expect(await page.locator('#rule-test-result').textContent()).toMatch(/Checked by (the mail server with this rule itself|a search)/);

    await page.locator('#rule-apply').click();
    await page.locator('#apply-confirm[open]').waitFor();
    expect(await page.locator('#apply-confirm').textContent()).toContain('3 messages in your Inbox match');
    await page.locator('#apply-confirm-button').click();
    await page.locator('#rule-apply-status', { hasText: 'Done' }).waitFor();
    expect(await page.locator('#rule-apply-status').textContent()).toContain('applied to 3 of 3 messages');
    expect((await folder(uid, 'Invoices')).length).toBe(3);
    const inbox = (await folder(uid, 'INBOX')).map((m) => m.text).join('\n');
    expect(inbox).toContain(`hello ${tag}`);
    expect(inbox).not.toContain(`invoice ${tag}`);
    expect(problems).toEqual([]);
  });

  for (const [width, height, colorScheme, lang] of [
    [360, 780, 'light', 'en'],
    [360, 780, 'dark', 'el'],
    [1280, 900, 'dark', 'en'],
    [1280, 900, 'light', 'el'],
  ] as const) {
    it(`is usable at ${width}px (${colorScheme}, ${lang}): list, editor, raw editor; no sideways scrolling, no serious axe findings`, async () => {
      const uid = 'load029';
      await resetUser(uid);
      const config = server.services.config;
      await putActiveScript(config, uid, config.sieve.scriptName, await readFile(ROUNDCUBE, 'utf8'));
      const { page, problems } = await open(uid, '#/filters', { width, height, colorScheme, lang });
      const pages: Array<[string, () => Promise<void>]> = [
        ['list', async () => {
          await page.locator('#filter-item-3-delete').click();
          await page.locator('#filters-undo').waitFor();
        }],
        ['editor', async () => {
          await page.locator('#filter-item-0').click();
          await page.locator('#rule-editor-heading').waitFor();
          await page.locator('#rule-add-action').click();
          await page.locator('#rule-actions-1-type').selectOption('discard');
        }],
        ['raw', async () => {
          await page.goto(`${server.url}/?lang=${lang}#/filters/raw`);
          await page.locator('#raw-script').waitFor();
        }],
        ['history', async () => {
          await page.goto(`${server.url}/?lang=${lang}#/filters/history`);
          await page.locator('.history-list, .card.muted').first().waitFor();
        }],
        ['scripts', async () => {
          await page.goto(`${server.url}/?lang=${lang}#/filters/scripts`);
          await page.locator('.script-list').waitFor();
        }],
      ];
      for (const [name, go] of pages) {
        page.once('dialog', (d) => void d.accept());
        await go();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(width);
        expect(await seriousAxeViolations(page), name).toEqual([]);
        await screenshot(page, `filters-${name}-${width}-${colorScheme}-${lang}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
