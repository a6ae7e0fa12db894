import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './helpers';
import { FURTHER_PAGES, measureFirstView, measureNextPage, measured, recordRequests } from '../support/first-view';

// The budgets (docs/ARCHITECTURE.md), measured as Chromium fetched the built SPA from the app:
// bytes as they went over the wire (the app sends the build's brotli copies).
//  - first view (sign-in page → sign in → overview): ≤ 12 requests in all, ≤ 60 KiB of JS+CSS;
//  - each further page reached in the app: ≤ 2 requests of code;
//  - any page opened directly (a bookmark, a reload, Roundcube's link): ≤ 100 KiB of JS+CSS.

const FIRST_VIEW_REQUESTS = 12;
const FIRST_VIEW_BYTES = 60 * 1024;
const FURTHER_PAGE_CODE_REQUESTS = 2;
const DIRECT_OPEN_BYTES = 100 * 1024;

const suite = useBrowserSuite();

describe('first view and page budgets', () => {
  for (const lang of ['en', 'el'] as const) {
    it(`sign-in → overview (${lang}): ≤ ${FIRST_VIEW_REQUESTS} requests, ≤ 60 KiB of code; each further page ≤ ${FURTHER_PAGE_CODE_REQUESTS} files of code`, async () => {
      const { page, first, close } = await measureFirstView(suite.browser, suite.server.url, lang, 'alice', 'alice-demo-pass');
      try {
        const detail = `${(first.codeBytes / 1024).toFixed(1)} KiB in ${first.requests} requests: ${first.codeFiles.join(', ')}`;
        expect(first.codeFiles.some((f) => /\.css /.test(f)), detail).toBe(true);
        expect(first.requests, detail).toBeLessThanOrEqual(FIRST_VIEW_REQUESTS);
        expect(first.codeBytes, detail).toBeLessThanOrEqual(FIRST_VIEW_BYTES);
        for (const [hash, ready] of FURTHER_PAGES) {
          const next = await measureNextPage(page, hash, ready);
          expect(next.codeRequests, `#/${hash}: ${next.codeFiles.join(', ')}`).toBeLessThanOrEqual(FURTHER_PAGE_CODE_REQUESTS);
          await measureNextPage(page, '', '.display-name');
        }
      } finally {
        await close();
      }
    });
  }

  const DIRECT: Record<string, { hash: string; ready: string }> = {
    overview: { hash: '', ready: '.display-name' },
    'filters: rule list': { hash: '#/filters', ready: '#filters-list-heading' },
    // The link Roundcube opens for "create a rule from this message" (web/README.md).
    'filters: new rule from a message': { hash: '#/filters/new?from=a%40b.org&subject=x', ready: '#rule-editor-heading' },
    'filters: raw Sieve': { hash: '#/filters/raw', ready: '#raw-script' },
  };
  for (const lang of ['en', 'el'] as const) {
    for (const [name, target] of Object.entries(DIRECT)) {
      it(`${name} opened directly (${lang}) ≤ 100 KiB of code`, async () => {
        const { page, close } = await measureFirstView(suite.browser, suite.server.url, lang, 'alice', 'alice-demo-pass');
        try {
          if (target.hash) await page.goto(`${suite.server.url}/?lang=${lang}${target.hash}`);
          const record = recordRequests(page);
          await page.reload();
          await page.locator(target.ready).first().waitFor();
          await page.waitForLoadState('networkidle');
          const direct = measured(await record.done());
          expect(direct.codeBytes, `${(direct.codeBytes / 1024).toFixed(1)} KiB: ${direct.codeFiles.join(', ')}`).toBeLessThanOrEqual(DIRECT_OPEN_BYTES);
        } finally {
          await close();
        }
      });
    }
  }
});
