import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './helpers';

// DESIGN.md budget: the SPA's first view costs at most 80 KB of JS+CSS gzipped. Measured
// as a browser sees it: every script and stylesheet the page fetched, gzipped from dist.

const BUDGET_BYTES = 80 * 1024;

const suite = useBrowserSuite();

async function firstViewBytes(lang: 'en' | 'el', signIn: boolean): Promise<{ total: number; files: string[] }> {
  const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/?lang=${lang}`);
    if (signIn) {
      await page.locator('#username').fill('alice');
      await page.locator('#password').fill('alice-demo-pass');
      await page.locator('form button[type=submit]').click();
      await page.locator('.display-name').waitFor();
    }
    const files = new Set<string>();
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (/\.(js|css)$/.test(path)) files.add(path);
    });
    await page.reload();
    await page.locator(signIn ? '.display-name' : '#username').waitFor();
    let total = 0;
    for (const path of files) total += gzipSync(readFileSync(`dist/web${path}`), { level: 9 }).length;
    return { total, files: [...files] };
  } finally {
    await context.close();
  }
}

describe('first view bundle budget', () => {
  for (const lang of ['en', 'el'] as const) {
    it(`sign-in page (${lang}) ≤ 80 KB of JS+CSS gzipped`, async () => {
      const { total, files } = await firstViewBytes(lang, false);
      expect(files.some((f) => f.endsWith('.css'))).toBe(true);
      expect(total, files.join(' ')).toBeLessThanOrEqual(BUDGET_BYTES);
    });

    it(`overview (${lang}) ≤ 80 KB of JS+CSS gzipped`, async () => {
      const { total, files } = await firstViewBytes(lang, true);
      expect(total, files.join(' ')).toBeLessThanOrEqual(BUDGET_BYTES);
    });
  }
});
