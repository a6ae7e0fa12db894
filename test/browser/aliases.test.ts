import { randomBytes } from 'node:crypto';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server';
import { DOMAIN, LDAP, loadUser, userDn } from '../support/stack';
import { assertSpaBuilt, launchChromium, openPage, seriousAxeViolations, signInThroughForm, type PageOptions } from './helpers';
import { showSections } from '../support/navigation';

// The Aliases page through the real UI, against the real API and the local stack's directory.
// Users: load090 (create, check, change, remove), load091 (every screen size, language and
// colour scheme; a member of a temporary mailing list), load092 (keyboard only). Their
// mailAlternateAddress is restored, and the temporary list deleted, afterwards.

const CRUD = loadUser(90);
const LOOKS = loadUser(91);
const KEYS = loadUser(92);
const WRITTEN = [CRUD, LOOKS, KEYS];
/** Somebody else's address: another load user's default alias. */
const OTHERS_ALIAS = loadUser(95).alias;
const LIST_CN = `emailng-ui-${randomBytes(4).toString('hex')}`;
const LIST_DN = `cn=${LIST_CN},${LDAP.groupsDn}`;

let server: TestServer;
let browser: Browser;
let admin: Client;
let context: BrowserContext | undefined;
const original = new Map<string, string[]>();

async function alternates(uid: string): Promise<string[]> {
  const { searchEntries } = await admin.search(userDn(uid), { scope: 'base', attributes: ['mailAlternateAddress'] });
  const value = searchEntries[0]?.mailAlternateAddress ?? [];
  return (Array.isArray(value) ? value : [value]).map(String).sort();
}

async function restore(uid: string): Promise<void> {
  const values = original.get(uid);
  if (!values || (await alternates(uid)).join() === values.join()) return;
  await admin.modify(userDn(uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'mailAlternateAddress', values }) }));
}

function fresh(): string {
  return `emailng.ui.${randomBytes(4).toString('hex')}`;
}

beforeAll(async () => {
  assertSpaBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  admin = new Client({ url: LDAP.url });
  await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  for (const u of WRITTEN) original.set(u.uid, await alternates(u.uid));
  await admin.add(LIST_DN, {
    objectClass: ['groupOfUniqueNames', 'extensibleObject'],
    cn: LIST_CN,
    description: 'UI test list',
    mail: `${LIST_CN}@${DOMAIN}`,
    uniqueMember: [userDn(LOOKS.uid)],
  });
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  for (const u of WRITTEN) await restore(u.uid).catch(() => undefined);
  await admin?.del(LIST_DN).catch(() => undefined);
  await admin?.unbind();
  await browser?.close();
  await server?.close();
});

async function open(opts: PageOptions = {}) {
  const opened = await openPage(browser, `${server.url}/?lang=${opts.lang ?? 'en'}#/sign-in`, opts);
  context = opened.context;
  return opened;
}

/** Signs in through the form and opens the Aliases page; fails with the UI's error if any. */
async function signInToAliases(page: Page, user: { uid: string; password: string }): Promise<void> {
  await signInThroughForm(page, user.uid, user.password);
  await showSections(page);
  await page.locator('nav a[href="#/aliases"]').click();
  await page.locator('#addresses-heading').waitFor();
}

async function apiAliases(page: Page): Promise<{ login: string; default: string | null; additional: string[] }> {
  return page.evaluate(async () => (await fetch('api/aliases')).json());
}

const checkText = (page: Page) => page.locator('#alias-check').textContent();
const statusText = (page: Page) => page.locator('div[role=status]').textContent();

describe('Aliases page', () => {
  it('creates an alias, checks availability (taken, too short), changes and removes it; LDAP agrees at each step', async () => {
    const { page, problems } = await open();
    await signInToAliases(page, CRUD);

    // Login address and default alias are shown read-only, with why.
    const login = page.locator('.alias-addresses__item--login');
    const byDefault = page.locator('.alias-addresses__item--default');
    expect(await login.locator('.alias-addresses__address').textContent()).toBe(CRUD.mail);
    expect(await byDefault.locator('.alias-addresses__address').textContent()).toBe(CRUD.alias);
    expect(await login.textContent()).toContain('Cannot be changed');
    expect(await byDefault.textContent()).toContain('central system');
    expect(await login.getByRole('button').count()).toBe(0);
    expect(await byDefault.getByRole('button').count()).toBe(0);
    expect(await page.locator('#alias-rules').textContent()).toContain('at least 10 characters');
    expect(await page.locator('#alias-rules').textContent()).toContain('letters a–z, digits, dots, and hyphens');
    expect(await page.locator('.card').first().textContent()).toContain('Vacation replies answer mail sent to any of these addresses');

    // The live check: somebody else's alias is taken (without saying whose); short is too short.
    const input = page.locator('#alias-input');
    await input.fill(OTHERS_ALIAS.split('@')[0]!);
    await expect.poll(() => checkText(page)).toContain('This address is already taken.');
    expect(await checkText(page)).not.toMatch(/load095|Load User/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill('short');
    await expect.poll(() => checkText(page)).toContain('Too short: at least 10 characters before the @.');
    await input.fill('Ελληνικά.alias');
    await expect.poll(() => checkText(page)).toContain('Only letters a–z, digits, dots, and hyphens can be used');
    await input.fill(`something@example.org`);
    await expect.poll(() => checkText(page)).toContain('Aliases always end in @cs.ucy.ac.cy.');

    // Submitting a taken address: the field and the form's summary say so; LDAP unchanged.
    await input.fill(OTHERS_ALIAS);
    await page.getByRole('button', { name: 'Create alias' }).click();
    await expect.poll(() => page.locator('.card form').locator('xpath=preceding-sibling::div[@role="alert"][1]').textContent())
      .toContain('Please correct the fields marked below.');
    expect(await page.locator('#alias-error').textContent()).toContain('This address is already taken.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('alias-input');
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias]);

    // Create: available → created → listed; LDAP and the API agree.
    const first = fresh();
    await input.fill(first);
    await expect.poll(() => checkText(page)).toContain(`${first}@${DOMAIN} is available.`);
    await page.getByRole('button', { name: 'Create alias' }).click();
    await expect.poll(() => statusText(page)).toContain(`Your alias ${first}@${DOMAIN} is ready.`);
    const mine = page.locator('.alias-addresses__item--alias');
    expect(await mine.locator('.alias-addresses__address').textContent()).toBe(`${first}@${DOMAIN}`);
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias, `${first}@${DOMAIN}`].sort());
    expect((await apiAliases(page)).additional).toEqual([`${first}@${DOMAIN}`]);
    // One alias allowed: no form to add another, but the limit is explained.
    expect(await page.locator('#alias-input').count()).toBe(0);
    expect(await page.getByText('You have as many aliases of your own as allowed.').count()).toBe(1);

    // Change it: the old one goes, the new one comes, in one step.
    await mine.getByRole('button', { name: /^Change/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('alias-input');
    await page.getByRole('heading', { name: 'Change your alias' }).waitFor();
    const second = fresh();
    await page.locator('#alias-input').fill(second);
    await expect.poll(() => checkText(page)).toContain('is available.');
    await page.getByRole('button', { name: 'Change alias' }).click();
    await expect.poll(() => statusText(page)).toContain(`Your alias is now ${second}@${DOMAIN}. Mail sent to ${first}@${DOMAIN} no longer reaches you.`);
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias, `${second}@${DOMAIN}`].sort());

    // Remove, with a confirmation dialog; Cancel keeps it.
    await mine.getByRole('button', { name: /^Remove/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove your alias?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`${second}@${DOMAIN}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias, `${second}@${DOMAIN}`].sort());
    await mine.getByRole('button', { name: /^Remove/ }).click();
    await dialog.getByRole('button', { name: 'Remove alias' }).click();
    await expect.poll(() => statusText(page)).toContain(`The alias ${second}@${DOMAIN} was removed.`);
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('.alias-addresses__item--alias').count()).toBe(0);
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias]);
    expect((await apiAliases(page)).additional).toEqual([]);
    // The form to add one is back.
    await page.locator('#alias-input').waitFor();
    expect(problems).toEqual([]);
  });

  for (const lang of ['en', 'el'] as const) {
    for (const [width, height] of [
      [360, 740],
      [1280, 800],
    ] as const) {
      it(`${lang} at ${width}px, light and dark: addresses, rules, lists; no serious axe findings`, async () => {
        for (const colorScheme of ['light', 'dark'] as const) {
          const { page, problems } = await open({ width, height, colorScheme, lang });
          await signInToAliases(page, LOOKS);
          await page.locator('.alias-lists__item').first().waitFor();
          const heading = lang === 'en' ? 'Your mailing lists' : 'Οι λίστες αλληλογραφίας σας';
          await page.getByRole('heading', { level: 2, name: heading }).waitFor();
          const list = page.locator('.alias-lists__item').filter({ hasText: LIST_CN });
          expect(await list.textContent()).toContain(`${LIST_CN}@${DOMAIN}`);
          expect(await list.textContent()).toContain('UI test list');
          expect(await page.locator('#alias-rules').textContent()).toContain(lang === 'en' ? 'at least 10 characters' : 'τουλάχιστον 10 χαρακτήρες');
          // A problem shown beside the field, in this language.
          await page.locator('#alias-input').fill('short');
          await expect.poll(() => checkText(page)).toContain(lang === 'en' ? 'Too short' : 'Πολύ μικρό');
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          expect(await seriousAxeViolations(page)).toEqual([]);
          expect(problems).toEqual([]);
          await context?.close();
          context = undefined;
        }
      });
    }
  }

  it('works with the keyboard alone; the remove dialog keeps focus inside and gives it back', async () => {
    const { page } = await open({ width: 360, height: 740 });
    await signInToAliases(page, KEYS);
    await page.locator('#alias-input').focus();
    const alias = fresh();
    // Typed a key at a time, the address is checked once, after the pause (debounced).
    const checks: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/aliases/availability')) checks.push(r.url());
    });
    await page.keyboard.type(alias, { delay: 30 });
    await expect.poll(() => checkText(page)).toContain('is available.');
    expect(checks).toHaveLength(1);
    expect(checks[0]).toContain(`address=${encodeURIComponent(`${alias}@${DOMAIN}`)}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => statusText(page)).toContain(`Your alias ${alias}@${DOMAIN} is ready.`);
    expect(await alternates(KEYS.uid)).toContain(`${alias}@${DOMAIN}`);

    // Tab to "Remove", open the dialog with Enter: focus starts on the harmless button.
    const remove = page.locator('#alias-remove-0');
    for (let i = 0; i < 20 && !(await remove.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await remove.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    const active = () => page.evaluate(() => document.activeElement?.id);
    expect(await active()).toBe('alias-remove-cancel');
    // Tab and Shift+Tab stay inside the dialog.
    await page.keyboard.press('Tab');
    expect(await active()).toBe('alias-remove-confirm');
    await page.keyboard.press('Tab');
    expect(await active()).toBe('alias-remove-cancel');
    await page.keyboard.press('Shift+Tab');
    expect(await active()).toBe('alias-remove-confirm');
    // Escape closes it, nothing is removed, focus is back on "Remove".
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await active()).toBe('alias-remove-0');
    expect(await alternates(KEYS.uid)).toContain(`${alias}@${DOMAIN}`);
    // Enter again, Tab to "Remove alias", Enter: removed; focus goes to the page heading.
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => statusText(page)).toContain('was removed');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await alternates(KEYS.uid)).toEqual(original.get(KEYS.uid));
  });
});
