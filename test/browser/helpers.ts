import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import type { AxeResults } from 'axe-core';
import { startTestServer, type TestServer } from '../support/server';
import type { AppConfig } from '../../api/src/config/load';

// Shared by the browser tests: Debian's chromium, the built SPA, and axe-core.

export { CHROMIUM_ARGS, launchChromium } from '../support/chromium';

/** The API serves dist/web; `npm test` builds it first. Fail clearly when it is missing. */
export function assertSpaBuilt(): void {
  if (!existsSync('dist/web/index.html')) {
    throw new Error('dist/web/index.html is missing: run `npm run build` before the browser tests');
  }
}

export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * The set-up every browser suite repeats: the built SPA, the real API on a free port, and
 * Chromium, started before the suite's tests (after `before`, e.g. resetting its users) and
 * closed after them. Call at the top of a test file.
 */
export function useBrowserSuite(opts: { before?: () => Promise<void>; config?: (c: AppConfig) => AppConfig } = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    assertSpaBuilt();
    await opts.before?.();
    server = await startTestServer(opts.config);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the suite has not started yet');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the suite has not started yet');
      return browser;
    },
  };
}

export interface PageOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  lang?: 'en' | 'el';
}

/** A new context and page at `url` (viewport 1280×800, light, English unless told). */
export async function openPage(browser: Browser, url: string, opts: PageOptions = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.colorScheme ?? 'light',
    locale: opts.lang === 'el' ? 'el-GR' : 'en-US',
  });
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(url);
  return { context, page, problems };
}

/** Collects Content-Security-Policy violations and page errors, to assert none happened. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return problems;
}

/**
 * Fills in the sign-in form and waits for the overview; if the UI shows an error instead,
 * fails with its text (the shared stack may have a director stopped by another suite).
 */
export async function signInThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('form button[type=submit]').click();
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await page.locator('.display-name').or(alert).first().waitFor();
  if (await alert.count()) throw new Error(`sign-in as ${username} failed in the UI: ${await alert.first().textContent()}`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page and returns the serious and critical violations. The source is
 * evaluated through the DevTools protocol: a <script> tag would be refused by our own CSP.
 */
export async function seriousAxeViolations(page: Page | Frame): Promise<AxeFinding[]> {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResults> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
}
