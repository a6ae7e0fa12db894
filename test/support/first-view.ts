import type { Browser, Page, Request } from 'playwright-core';

// What a browser downloads for the SPA, as Chromium fetched it: measured by the bundle budget
// test (test/browser/bundle-budget.test.ts) and reported by `npm run bench -- first-view`.

export interface Fetched {
  path: string;
  kind: 'code' | 'api' | 'other';
  /** The body as it went over the wire (after Content-Encoding). */
  bytes: number;
}

export interface Measured {
  requests: number;
  codeRequests: number;
  codeBytes: number;
  /** Code files, largest first, "name KiB": says what to look at when a budget fails. */
  codeFiles: string[];
}

/** A page's requests from now on, with their encoded body sizes once finished. */
export function recordRequests(page: Page): { done(): Promise<Fetched[]> } {
  const seen: Request[] = [];
  page.on('requestfinished', (request) => seen.push(request));
  return {
    async done() {
      return Promise.all(
        seen.map(async (request) => {
          const path = new URL(request.url()).pathname;
          const kind = /\.(js|css)$/.test(path) ? 'code' : path.startsWith('/api/') ? 'api' : 'other';
          return { path, kind, bytes: (await request.sizes()).responseBodySize } as Fetched;
        }),
      );
    },
  };
}

export function measured(fetched: Fetched[]): Measured {
  const code = fetched.filter((f) => f.kind === 'code').sort((a, b) => b.bytes - a.bytes);
  return {
    requests: fetched.length,
    codeRequests: code.length,
    codeBytes: code.reduce((sum, f) => sum + f.bytes, 0),
    codeFiles: code.map((f) => `${f.path.replace(/^.*\//, '')} ${(f.bytes / 1024).toFixed(1)}`),
  };
}

/** The first view: the sign-in page opened cold, the user signs in, the overview paints. */
export async function measureFirstView(browser: Browser, base: string, lang: 'en' | 'el', user: string, password: string): Promise<{ page: Page; first: Measured; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const record = recordRequests(page);
  await page.goto(`${base}/?lang=${lang}`);
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('.display-name').waitFor();
  await page.waitForLoadState('networkidle');
  return { page, first: measured(await record.done()), close: () => context.close() };
}

/** A further page reached through the app (its hash route), after the first view. */
export async function measureNextPage(page: Page, hash: string, ready: string): Promise<Measured> {
  const record = recordRequests(page);
  await page.evaluate(`location.hash = '#/${hash}'`);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  return measured(await record.done());
}

/** Further pages and what shows once each has painted. */
export const FURTHER_PAGES: ReadonlyArray<[string, string]> = [
  ['filters', '#filters-list-heading'],
  ['filters/new', '#rule-editor-heading'],
  ['filters/raw', '#raw-script'],
  ['filters/history', 'main h2'],
  ['vacation', '#vacation-status-heading'],
  ['spam', '#spam-senders-heading'],
  ['forwarding', '#forwarding-heading'],
  ['aliases', '#addresses-heading'],
  ['quota', '#usage-heading'],
];
