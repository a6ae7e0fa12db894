import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { putActiveScript } from '../support/feature';
import { loadUser } from '../support/stack';
import { screenshot, useSettingsSuite } from './settings-support';
import { showSections } from '../support/navigation';

// "Unsaved changes" only when the form differs from what was loaded: opening a rule (new,
// pre-filled from a message, or existing) and leaving it untouched asks nothing, by link,
// by the navigation or by reload; one changed field asks. Users load136 and load137.

const USERS = [loadUser(136).uid, loadUser(137).uid];
const suite = useSettingsSuite({ users: USERS, hash: '#/filters' });
const RULE = '# rule:[Λίστα σεμιναρίων]\nif header :contains "list-id" "seminar.cs.ucy.ac.cy"\n{\n\tfileinto "INBOX";\n}\n';

/** Every dialog the page opens (leave prompts): counted, then dismissed (the user stays). */
function countDialogs(page: Page): { count: () => number } {
  let n = 0;
  page.on('dialog', (d) => {
    n += 1;
    void d.dismiss();
  });
  return { count: () => n };
}

const LAYOUTS = [
  [USERS[0]!, 360, 'el'],
  [USERS[1]!, 1280, 'en'],
  [USERS[0]!, 1280, 'el'],
  [USERS[1]!, 360, 'en'],
] as const;

describe('rule editor: leaving without changes asks nothing', () => {
  for (const [uid, width, lang] of LAYOUTS) {
    it(`${lang} at ${width} px: untouched new and existing rules leave quietly; a changed one asks`, async () => {
      await putActiveScript(suite.server.services.config, uid, suite.server.services.config.sieve.scriptName, `require ["fileinto"];\n${RULE}`);
      const { page, problems } = await suite.open(uid, { width, height: 800, lang });
      const dialogs = countDialogs(page);
      const base = `${suite.server.url}/?lang=${lang}`;

      // A new rule from a message (Roundcube's link), left by the back link, then by the navigation.
      await page.goto(`${base}#/filters/new?from=news%40example.org&subject=%CE%95%CE%B2%CE%B4%CE%BF%CE%BC%CE%B1%CE%B4%CE%B9%CE%B1%CE%AF%CE%BF`);
      await page.locator('#rule-editor-heading').waitFor();
      await page.locator('.rule-editor__back a').click();
      await page.locator('#filters-list-heading').waitFor();
      expect(await page.locator('.filter-item').count()).toBe(1);
      await page.goto(`${base}#/filters/new?from=news%40example.org`);
      await page.locator('#rule-editor-heading').waitFor();
      await showSections(page);
      await page.locator('.app-nav a[href="#/"]').click();
      await page.locator('.display-name').waitFor();

      // Reload and close of an untouched new rule: no "leave site?" either.
      await page.goto(`${base}#/filters/new?subject=x`);
      await page.locator('#rule-editor-heading').waitFor();
      await page.reload();
      await page.locator('#rule-editor-heading').waitFor();

      // An existing rule opened and left.
      await page.goto(`${base}#/filters`);
      await page.locator('#filter-item-0').click();
      await page.locator('#rule-name').waitFor();
      await showSections(page);
      await page.locator('.app-nav a[href="#/"]').click();
      await page.locator('.display-name').waitFor();
      expect(dialogs.count()).toBe(0);

      // One field changed: leaving asks, and dismissing keeps the user and the edit.
      await page.goto(`${base}#/filters`);
      await page.locator('#filter-item-0').click();
      await page.locator('#rule-name').fill('Σεμινάρια ΤΠ');
      await showSections(page);
      await page.locator('.app-nav a[href="#/"]').click();
      await expect.poll(() => dialogs.count()).toBe(1);
      expect(await page.locator('#rule-name').inputValue()).toBe('Σεμινάρια ΤΠ');
      await screenshot(page, `rule-editor-leave-${lang}-${width}`);

      // A new rule with one condition edited asks too.
      await page.locator('#rule-cancel').click();
      await page.goto(`${base}#/filters/new?from=news%40example.org`);
      await page.locator('#rule-conditions-0-value').fill('other@example.org');
      await showSections(page);
      await page.locator('.app-nav a[href="#/"]').click();
      await expect.poll(() => dialogs.count()).toBe(2);
      expect(problems).toEqual([]);
    });
  }
});
