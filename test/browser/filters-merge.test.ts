import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { putActiveScript } from '../support/feature';
import { loadUser } from '../support/stack';
import { seriousAxeViolations } from './helpers';
import { screenshot, useSettingsSuite } from './settings-support';

// Two tabs on the same rules (issue 14, item 11): tab 1 adds a rule and saves; tab 2 adds
// another and saves, meets "changed elsewhere", and sees both rules merged, tab 1's marked;
// saving that keeps both. The same rule changed in both tabs asks which version to keep.
// And the list's Save is offered only when the list differs from what was loaded (issue 18).
// Users load097 and load098.

const RULE = '# rule:[Λίστα σεμιναρίων]\nif header :contains "list-id" "seminar.cs.ucy.ac.cy"\n{\n\tfileinto "INBOX";\n}\n';
const suite = useSettingsSuite({ users: [loadUser(97).uid, loadUser(98).uid], hash: '#/filters' });

const WORDS = {
  en: {
    elsewhere: 'Saved elsewhere',
    title: 'Your rules were also changed elsewhere',
    bothChanged: '“Λίστα σεμιναρίων” was changed here and elsewhere. Keep:',
    choose: 'Choose which version to keep of each rule above before saving.',
  },
  el: {
    elsewhere: 'Αποθηκεύτηκε αλλού',
    title: 'Οι κανόνες σας άλλαξαν και αλλού',
    bothChanged: 'Ο κανόνας «Λίστα σεμιναρίων» άλλαξε εδώ και αλλού. Να κρατηθεί:',
    choose: 'Επιλέξτε ποια εκδοχή κάθε κανόνα παραπάνω θα κρατηθεί πριν αποθηκεύσετε.',
  },
} as const;

const names = async (page: Page): Promise<string[]> => (await page.locator('.filter-item .filter-item__name > :first-child').allTextContents()).map((s) => s.trim());
const marked = async (page: Page): Promise<string[]> => (await page.locator('.filter-item--elsewhere .filter-item__name > :first-child').allTextContents()).map((s) => s.trim());
const saveButton = (page: Page) => page.locator('.save-bar button[type=submit]');
const savedStatus = (page: Page) => page.locator('.save-bar__status').filter({ hasText: /\S/ });

/** A new rule through the editor: Subject contains `subject`, kept in INBOX; the editor's Save. */
async function addRule(page: Page, name: string, subject: string): Promise<void> {
  await page.locator('#filters-add').click();
  await page.locator('#rule-name').fill(name);
  await page.locator('#rule-conditions-0-type').selectOption('subject');
  await page.locator('#rule-conditions-0-value').fill(subject);
  await page.locator('#rule-actions-0-mailbox').selectOption('INBOX');
  await page.locator('#rule-save').click();
  await page.locator('#filters-list-heading').waitFor();
}

const LAYOUTS = [
  [loadUser(97).uid, 1280, 'en'],
  [loadUser(98).uid, 360, 'el'],
] as const;

describe('two tabs on the rule list', () => {
  for (const [uid, width, lang] of LAYOUTS) {
    it(`${lang} at ${width} px: the second save merges in the first tab’s rule, marked; a same-rule change asks`, async () => {
      const config = suite.server.services.config;
      await putActiveScript(config, uid, config.sieve.scriptName, `require ["fileinto"];\n${RULE}`);
      const words = WORDS[lang];
      const { context, page: tab1, get, problems } = await suite.open(uid, { width, height: 800, lang });
      const tab2 = await context.newPage();
      tab2.on('pageerror', (e) => problems.push(e.message));
      await tab2.goto(`${suite.server.url}/?lang=${lang}#/filters`);
      await tab2.locator('.filter-item').first().waitFor();
      await tab1.locator('.filter-item').first().waitFor();

      // Issue 18: nothing changed, nothing to save; a change offers Save, undoing it withdraws it.
      expect(await saveButton(tab1).getAttribute('aria-disabled')).toBe('true');
      // (Playwright will not click a button marked unavailable; the keyboard can still press it.)
      await saveButton(tab1).focus();
      await tab1.keyboard.press('Enter');
      expect(await savedStatus(tab1).count()).toBe(0);
      expect(await tab1.getByRole('alert').filter({ hasText: /\S/ }).count()).toBe(0);
      await tab1.locator('#filter-item-0-enabled').uncheck();
      expect(await saveButton(tab1).getAttribute('aria-disabled')).toBe('false');
      await tab1.locator('#filter-item-0-enabled').check();
      expect(await saveButton(tab1).getAttribute('aria-disabled')).toBe('true');

      await addRule(tab1, 'Tab one', 'first-tab');
      await savedStatus(tab1).waitFor();
      expect(await saveButton(tab1).getAttribute('aria-disabled')).toBe('true');

      // Tab 2 still has the list it loaded: its save meets 409 and shows the merge.
      await addRule(tab2, 'Καρτέλα δύο', 'δεύτερη');
      const notice = tab2.locator('#filters-merge');
      await notice.waitFor();
      expect(await notice.locator('#filters-merge-title').textContent()).toBe(words.title);
      await expect.poll(() => tab2.evaluate(() => document.activeElement?.id)).toBe('filters-merge');
      expect(await names(tab2)).toEqual(['Λίστα σεμιναρίων', 'Tab one', 'Καρτέλα δύο']);
      expect(await marked(tab2)).toEqual(['Tab one']);
      expect(await tab2.locator('.filter-item--elsewhere .tag--elsewhere').textContent()).toBe(words.elsewhere);
      expect(await tab2.locator('#filters-merge fieldset').count()).toBe(0);
      expect(await saveButton(tab2).getAttribute('aria-disabled')).toBe('false');
      expect(await tab2.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousAxeViolations(tab2)).toEqual([]);
      await screenshot(tab2, `filters-merge-${lang}-${width}`);
      // Nothing is saved before the user saves the merged list.
      expect((await get<{ items: Array<{ rule?: { name: string } }> }>('/api/filters')).items.map((i) => i.rule?.name)).toEqual(['Λίστα σεμιναρίων', 'Tab one']);

      await saveButton(tab2).click();
      await savedStatus(tab2).waitFor();
      expect(await tab2.locator('#filters-merge').count()).toBe(0);
      expect(await marked(tab2)).toEqual([]);
      const both = await get<{ items: Array<{ rule?: { name: string; enabled: boolean } }> }>('/api/filters');
      expect(both.items.map((i) => i.rule?.name)).toEqual(['Λίστα σεμιναρίων', 'Tab one', 'Καρτέλα δύο']);

      // The same rule changed in both tabs: tab 2 edits its condition, tab 1 turns it off.
      await tab2.locator('#filter-item-0').click();
      await tab2.locator('#rule-conditions-0-value').fill('seminars.cs.ucy.ac.cy');
      await tab2.locator('#rule-save').click();
      await tab2.locator('#filters-list-heading').waitFor();
      await savedStatus(tab2).waitFor();
      await tab1.locator('#filter-item-0-enabled').uncheck();
      await saveButton(tab1).click();
      await tab1.locator('#filters-merge fieldset').waitFor();
      expect(await tab1.locator('#filters-merge legend').textContent()).toBe(words.bothChanged);
      // Not chosen yet: the rule waits outside the list, the others (tab 2's too) are in it.
      expect(await names(tab1)).toEqual(['Tab one', 'Καρτέλα δύο']);
      expect(await marked(tab1)).toEqual(['Καρτέλα δύο']);
      expect(await seriousAxeViolations(tab1)).toEqual([]);
      await screenshot(tab1, `filters-merge-conflict-${lang}-${width}`);

      // Saving before choosing says so and goes to the choice.
      await saveButton(tab1).click();
      expect((await tab1.locator('#filters-merge-error').textContent())?.trim()).toContain(words.choose);
      expect(await tab1.evaluate(() => document.activeElement?.id)).toBe('filters-merge-0-mine');
      await tab1.locator('#filters-merge-0-theirs').check();
      expect(await names(tab1)).toEqual(['Λίστα σεμιναρίων', 'Tab one', 'Καρτέλα δύο']);
      expect(await marked(tab1)).toEqual(['Λίστα σεμιναρίων', 'Καρτέλα δύο']);
      // Changing one's mind swaps the version, never adds a second.
      await tab1.locator('#filters-merge-0-mine').check();
      expect(await names(tab1)).toEqual(['Λίστα σεμιναρίων', 'Tab one', 'Καρτέλα δύο']);
      expect(await marked(tab1)).toEqual(['Καρτέλα δύο']);
      expect(await tab1.locator('#filters-merge-error').count()).toBe(0);
      expect(await tab1.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      await saveButton(tab1).click();
      await savedStatus(tab1).waitFor();
      const chosen = await get<{ items: Array<{ rule?: { name: string; enabled: boolean; conditions: Array<{ value?: string }> } }> }>('/api/filters');
      expect(chosen.items.map((i) => i.rule?.name)).toEqual(['Λίστα σεμιναρίων', 'Tab one', 'Καρτέλα δύο']);
      expect(chosen.items[0]?.rule).toMatchObject({ enabled: false, conditions: [{ value: 'seminar.cs.ucy.ac.cy' }] });
      expect(problems).toEqual([]);
    });
  }
});
