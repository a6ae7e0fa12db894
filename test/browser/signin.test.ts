import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openPage, seriousAxeViolations, signInThroughForm, useBrowserSuite, type PageOptions } from './helpers';
import { showSections } from '../support/navigation';

// Signing in through the real UI, against the real API and the local stack's directory.

const suite = useBrowserSuite();
let context: BrowserContext | undefined;

afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function open(path: string, opts: PageOptions = {}): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(suite.browser, suite.server.url + path, opts);
  context = opened.context;
  return opened;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel(/user name|όνομα χρήστη/i).fill(username);
  await page.locator('#password').fill(password);
  await page.locator('form button[type=submit]').click();
}

describe('sign-in', () => {
  for (const [width, height, colorScheme] of [
    [1280, 800, 'light'],
    [360, 740, 'dark'],
  ] as const) {
    it(`alice signs in at ${width}px (${colorScheme}) and sees her name and addresses`, async () => {
      const { page, problems } = await open('/', { width, height, colorScheme });
      await expect.poll(() => page.url()).toContain('#/sign-in');
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);

      await signInThroughForm(page, 'alice', 'alice-demo-pass');
      await page.getByText('Alice Liddell').waitFor();
      await page.locator('.address-list__address').first().waitFor();
      const addresses = await page.locator('.address-list__address').allTextContents();
      expect(addresses).toEqual(expect.arrayContaining(['alice@cs.ucy.ac.cy', 'alice.liddell@cs.ucy.ac.cy']));
      // Overview, Filters, Vacation, Spam, Forwarding, Aliases, Quota, Held mail, Security.
      await showSections(page);
      expect(await page.getByRole('navigation').getByRole('link').count()).toBe(9);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    });
  }

  it('shows the translated error for a wrong password and keeps the user name', async () => {
    const { page } = await open('/#/sign-in');
    await signIn(page, 'alice', 'not-her-password');
    const alert = page.getByRole('alert').filter({ hasText: /\S/ });
    await expect.poll(() => alert.textContent()).toContain('The user name or password is not correct.');
    expect(await page.locator('#username').inputValue()).toBe('alice');
    expect(await page.locator('#password').inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('marks empty fields beside the fields, without asking the server (dark, axe)', async () => {
    const { page } = await open('/#/sign-in', { colorScheme: 'dark' });
    await page.locator('form button[type=submit]').click();
    await page.locator('#username-error').waitFor();
    expect(await page.locator('#username').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#username').getAttribute('aria-describedby')).toContain('username-error');
    expect(await page.locator('#password-error').textContent()).toContain('Please fill this in.');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('has a skip link as the first stop for keyboard users', async () => {
    const { page } = await open('/#/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.y >= 0).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(page.url()).toContain('#/sign-in');
  });

  it('returns to the page asked for, and signs out', async () => {
    const { page } = await open('/#/vacation');
    await expect.poll(() => page.url()).toContain('redirect=');
    await signIn(page, 'alice', 'alice-demo-pass');
    await page.getByRole('heading', { level: 1, name: 'Vacation reply' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  });
});

describe('shell', () => {
  it('says so when a page cannot be downloaded, and stays usable', async () => {
    const { page } = await open('/#/sign-in');
    await signInThroughForm(page, 'alice', 'alice-demo-pass');
    await page.getByText('Alice Liddell').waitFor();
    // The chunk of the pages that edit the Sieve script, Filters among them (build/chunks.ts).
    await page.route(/\/assets\/page-script-[^/]*\.js$/, (route) => route.abort());
    await showSections(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Filters' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /\S/ }).textContent())
      .toContain('The server cannot be reached.');
    await showSections(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Quota' }).click();
    await page.getByRole('heading', { level: 1, name: 'Quota' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).count()).toBe(0);
  });
});

describe('Greek', () => {
  it('?lang=el shows the sign-in page in Greek and sets <html lang>', async () => {
    const { page } = await open('/?lang=el');
    await page.getByRole('heading', { level: 1, name: 'Σύνδεση' }).waitFor();
    expect(await page.locator('label[for=username]').textContent()).toBe('Όνομα χρήστη ή διεύθυνση email');
    expect(await page.locator('label[for=password]').textContent()).toBe('Κωδικός πρόσβασης');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('el');
    expect(await page.getByRole('button', { name: 'Ελληνικά' }).getAttribute('aria-pressed')).toBe('true');

    await signIn(page, 'alice', 'wrong-password');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /\S/ }).textContent())
      .toContain('Το όνομα χρήστη ή ο κωδικός πρόσβασης δεν είναι σωστά.');
  });

  it('gandre01 signs in and sees his Greek name, in the Greek UI at 360px', async () => {
    const { page, problems } = await open('/?lang=el', { width: 360, height: 740 });
    await signInThroughForm(page, 'gandre01', 'gandre01-demo-pass');
    await page.getByText('Γιώργος Ανδρέου').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Επισκόπηση' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('the language switch changes the UI and is remembered', async () => {
    const { page } = await open('/#/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Ελληνικά' }).click();
    await page.getByRole('heading', { level: 1, name: 'Σύνδεση' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Σύνδεση' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('el');
  });

  it('a choice made with the switch outlives a ?lang= in the address', async () => {
    const { page } = await open('/?lang=el');
    await page.getByRole('heading', { level: 1, name: 'Σύνδεση' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(page.url()).not.toContain('lang=');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  });
});
