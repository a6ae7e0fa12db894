/**
 * `npm run bench -- first-view`: what a browser downloads, measured in Chromium against the
 * built SPA (npm run build) served by the real API on the local stack.
 *
 * First view: the sign-in page opened cold, the user signs in, the overview paints. Every
 * request counts (document, code, API); "code bytes" is what went over the wire for JS and
 * CSS (the encoded body, so compression counts). Then each further page, reached through the
 * app's navigation: how many code files it adds and their bytes.
 */
import type { Page, Request } from 'playwright-core';
import { launchChromium } from '../test/support/chromium';
import { startInProcessApi } from './in-process-api';

interface Fetched {
  path: string;
  kind: 'code' | 'api' | 'other';
  bytes: number;
}

/** A page's requests from now on, with their encoded body sizes once finished. */
function recordRequests(page: Page): { done(): Promise<Fetched[]> } {
  const seen: Request[] = [];
  page.on('requestfinished', (request) => seen.push(request));
  return {
    async done() {
      return Promise.all(
        seen.map(async (request) => {
          const path = new URL(request.url()).pathname;
          const kind = /\.(js|css)$/.test(path) ? 'code' : path.startsWith('/api/') ? 'api' : 'other';
          return { path, kind, bytes: (await request.sizes()).responseBodySize };
        }),
      );
    },
  };
}

const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

function summary(fetched: Fetched[]): Record<string, unknown> {
  const code = fetched.filter((f) => f.kind === 'code');
  return {
    requests: fetched.length,
    codeRequests: code.length,
    codeKiB: kib(code.reduce((sum, f) => sum + f.bytes, 0)),
    apiRequests: fetched.filter((f) => f.kind === 'api').length,
  };
}

const FURTHER_PAGES: Array<[string, string]> = [
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

export async function run(user = 'load139', password = 'load-pass'): Promise<Record<string, unknown>> {
  const api = await startInProcessApi();
  const browser = await launchChromium();
  const results: Record<string, unknown> = {};
  try {
    for (const lang of ['en', 'el'] as const) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      // Leaving a page must not ask anything; if it does, the figures are still wanted.
      let leavePrompts = 0;
      page.on('dialog', (dialog) => {
        leavePrompts += 1;
        void dialog.accept();
      });
      const first = recordRequests(page);
      await page.goto(`${api.url}/?lang=${lang}`);
      await page.locator('#username').fill(user);
      await page.locator('#password').fill(password);
      await page.locator('form button[type=submit]').click();
      await page.locator('.display-name').waitFor();
      await page.waitForLoadState('networkidle');
      const firstView = await first.done();
      const further: Record<string, unknown> = {};
      for (const [hash, ready] of FURTHER_PAGES) {
        const next = recordRequests(page);
        await page.evaluate(`location.hash = '#/${hash}'`);
        await page.locator(ready).first().waitFor();
        await page.waitForLoadState('networkidle');
        const fetched = (await next.done()).filter((f) => f.kind === 'code');
        further[hash] = { codeRequests: fetched.length, codeKiB: kib(fetched.reduce((sum, f) => sum + f.bytes, 0)) };
        // Back to the overview, so each page is reached the way a user usually does.
        await page.evaluate(`location.hash = '#/'`);
        await page.locator('.display-name').waitFor().catch((e: Error) => { throw new Error(`back from ${hash}: ${e.message}`); });
      }
      results[lang] = { firstView: summary(firstView), furtherPages: further, leavePrompts };
      await context.close();
    }
  } finally {
    await browser.close();
    await api.close();
  }
  return results;
}
