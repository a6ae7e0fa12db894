/**
 * `npm run bench -- first-view`: what a browser downloads, measured in Chromium against the
 * built SPA (npm run build) served by the real API on the local stack.
 *
 * First view: the sign-in page opened cold, the user signs in, the overview paints. Every
 * request counts (document, code, API); code KiB is what went over the wire for JS and CSS
 * (the encoded body, so compression counts). Then each further page, reached through the
 * app's navigation: how many code files it adds and their KiB.
 */
import { launchChromium } from '../test/support/chromium';
import { FURTHER_PAGES, measureFirstView, measureNextPage } from '../test/support/first-view';
import { startInProcessApi } from './in-process-api';

const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

export async function run(user = 'load139', password = 'load-pass'): Promise<Record<string, unknown>> {
  const api = await startInProcessApi();
  const browser = await launchChromium();
  const results: Record<string, unknown> = {};
  try {
    for (const lang of ['en', 'el'] as const) {
      const { page, first, close } = await measureFirstView(browser, api.url, lang, user, password);
      // Leaving a page must not ask anything; if it does, the figures are still wanted.
      let leavePrompts = 0;
      page.on('dialog', (dialog) => {
        leavePrompts += 1;
        void dialog.accept();
      });
      const further: Record<string, unknown> = {};
      for (const [hash, ready] of FURTHER_PAGES) {
        const next = await measureNextPage(page, hash, ready);
        further[hash] = { codeRequests: next.codeRequests, codeKiB: kib(next.codeBytes) };
        // Back to the overview, so each page is reached the way a user usually does.
        await measureNextPage(page, '', '.display-name');
      }
      results[lang] = {
        firstView: { requests: first.requests, codeRequests: first.codeRequests, codeKiB: kib(first.codeBytes), codeFiles: first.codeFiles },
        furtherPages: further,
        leavePrompts,
      };
      await close();
    }
  } finally {
    await browser.close();
    await api.close();
  }
  return results;
}
