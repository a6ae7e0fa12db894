import { mkdirSync } from 'node:fs';
import { afterEach } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../support/server';
import { resetUser } from '../support/stack';
import { signInThroughForm, useBrowserSuite, watchPage, type BrowserSuite } from './helpers';

// Shared by the vacation, spam and forwarding browser tests: a signed-in page on one of the
// suites' own users (load120…load149), the API as that user, screenshots to /tmp.

export const TIME_ZONE = 'Europe/Nicosia';
export const SHOTS_DIR = '/tmp/emailng-shots';

/** The layouts every settings page is checked in: a phone and a desktop, light and dark. */
export const LAYOUTS = [
  [360, 780, 'light'],
  [360, 780, 'dark'],
  [1280, 900, 'light'],
  [1280, 900, 'dark'],
] as const;

export interface OpenOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  lang?: 'en' | 'el';
  /** The browser's IANA time zone. Default Europe/Nicosia (the accounts' own). */
  timeZone?: string;
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  problems: string[];
  /** The API as the signed-in user (shares the page's cookie). */
  get<T>(path: string): Promise<T>;
  put<T>(path: string, body: unknown, etag: string): Promise<{ status: number; body: T }>;
}

/** Signs in as `uid` through the form (the overview opens); the caller closes `context`. */
export async function signInPage(browser: Browser, server: TestServer, uid: string, opts: OpenOptions = {}): Promise<SignedIn> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? 'light',
    locale: opts.lang === 'el' ? 'el-GR' : 'en-US',
    timezoneId: opts.timeZone ?? TIME_ZONE,
  });
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.url}/?lang=${opts.lang ?? 'en'}#/sign-in`);
  await signInThroughForm(page, uid, 'load-pass');
  const me = (await (await context.request.get(`${server.url}/api/me`)).json()) as { csrfToken: string };
  return {
    context,
    page,
    problems,
    async get<T>(path: string): Promise<T> {
      const res = await context.request.get(`${server.url}${path}`);
      if (!res.ok()) throw new Error(`GET ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async put<T>(path: string, body: unknown, etag: string) {
      const res = await context.request.put(`${server.url}${path}`, {
        data: body,
        headers: { 'If-Match': etag, 'X-CSRF-Token': me.csrfToken, Origin: server.url },
      });
      return { status: res.status(), body: (await res.json()) as T };
    },
  };
}

/** Opens `hash` (e.g. `#/vacation`) signed in as `uid`, once its form shows; the caller closes `context`. */
export async function openSignedIn(browser: Browser, server: TestServer, uid: string, hash: string, opts: OpenOptions = {}): Promise<SignedIn> {
  const signedIn = await signInPage(browser, server, uid, opts);
  await signedIn.page.goto(`${server.url}/?lang=${opts.lang ?? 'en'}${hash}`);
  await signedIn.page.locator('form.settings-form').waitFor();
  return signedIn;
}

/**
 * A settings page's suite: its own users reset, the API and Chromium started (useBrowserSuite),
 * and `open(uid)` signed in on `hash` with every context closed after each test.
 */
export function useSettingsSuite(opts: { users: string[]; hash: string }): BrowserSuite & { open(uid: string, o?: OpenOptions): Promise<SignedIn> } {
  const suite = useBrowserSuite({
    before: async () => {
      for (const uid of opts.users) await resetUser(uid);
    },
  });
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  return {
    get server() {
      return suite.server;
    },
    get browser() {
      return suite.browser;
    },
    async open(uid: string, o: OpenOptions = {}) {
      const s = await openSignedIn(suite.browser, suite.server, uid, opts.hash, o);
      contexts.push(s.context);
      return s;
    },
  };
}

/** Saves the form and waits for "saved", or fails with the page's own error text. */
export async function saveOk(page: Page): Promise<void> {
  await page.locator('.save-bar button[type=submit]').click();
  const status = page.getByRole('status').filter({ hasText: /\S/ });
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await status.or(alert).first().waitFor();
  if (await alert.count()) {
    const fieldErrors = await page.locator('.field-error').allTextContents();
    throw new Error(`save failed in the UI: ${await alert.first().textContent()} ${fieldErrors.join(' | ')}`);
  }
}

/** Clicks save and waits for the error summary; returns its text. */
export async function saveFails(page: Page): Promise<string> {
  await page.locator('.save-bar button[type=submit]').click();
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await alert.first().waitFor();
  return (await alert.first().textContent()) ?? '';
}

/** The Subject lines of raw messages, in order. */
export function subjects(messages: string[]): string[] {
  return messages.map((m) => /^Subject: (.*)$/m.exec(m)?.[1] ?? '');
}

/** `YYYY-MM-DD` in the tests' time zone, `days` from today. */
export function dayFromToday(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Saves a screenshot for a human to look at (not kept in the repo). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: `${SHOTS_DIR}/${name}.png`, fullPage: true });
}

/** Pastes text into the focused-by-selector control as a real clipboard paste would. */
export async function pasteInto(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).focus();
  await page.locator(selector).evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
