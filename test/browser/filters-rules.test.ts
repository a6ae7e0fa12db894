import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadUser } from '../support/stack';
import { activeScript, putActiveScript, scriptNamed } from '../support/feature';
import { seriousAxeViolations } from './helpers';
import { useSettingsSuite } from './settings-support';

// The rule list (#/filters) through the real UI, the real API and the local stack: another
// program's active script is taken over from the notice above the list, with the keyboard
// too, without losing unsaved changes. Users load070…load079 are this suite's own.

const ROUNDCUBE = 'test/fixtures/sieve/roundcube-edit-mixed.sieve';
const ROUNDCUBE_RULES = ['Newsletters', 'Custom Sieve', 'Boss', 'Old rule', 'Seminar announcements'];
const TAKE_OVER = loadUser(71).uid;
const TAKE_OVER_KEYS = loadUser(72).uid;

const suite = useSettingsSuite({ users: [TAKE_OVER, TAKE_OVER_KEYS], hash: '#/filters' });

async function names(page: Page): Promise<string[]> {
  return (await page.locator('.filter-item .filter-item__name > :first-child').allTextContents()).map((s) => s.trim());
}

describe('rule list: another active script', () => {
  it('the notice above the list takes it over: the notice goes, its rules show, its text is kept exactly', async () => {
    const config = suite.server.services.config;
    const original = await readFile(ROUNDCUBE, 'utf8');
    await putActiveScript(config, TAKE_OVER, 'roundcube', original);
    const { page, get, problems } = await suite.open(TAKE_OVER);

    const notice = page.locator('#rules-take-over');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Another script is active: “roundcube”');
    expect(await page.locator('.filter-items').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.locator('#rules-take-over-button').click();
    await page.getByRole('status').filter({ hasText: 'Taken over' }).waitFor();
    expect(await notice.count()).toBe(0);
    expect(await names(page)).toEqual(ROUNDCUBE_RULES);

    // The same as the scripts page's take-over: the app's script is active with the other
    // script's text, and the other script is still there, unchanged.
    const scripts = await get<Array<{ name: string; active: boolean }>>('/api/scripts');
    expect(scripts.find((s) => s.active)?.name).toBe(config.sieve.scriptName);
    expect(await activeScript(config, TAKE_OVER)).toBe(original);
    expect(await scriptNamed(config, TAKE_OVER, 'roundcube')).toBe(original);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.reload();
    await page.locator('.filter-item').first().waitFor();
    expect(await page.locator('#rules-take-over').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('by keyboard at 360 px, in Greek: unsaved changes stay after the take-over, and saving them meets the conflict choice', async () => {
    const config = suite.server.services.config;
    // The app's own script (not active) holds one rule; Roundcube's script is the active one.
    const own = 'require ["fileinto"];\n# rule:[Δικός μου]\nif header :contains "subject" "δικό μου"\n{\n\tfileinto "INBOX";\n}\n';
    await putActiveScript(config, TAKE_OVER_KEYS, config.sieve.scriptName, own);
    await putActiveScript(config, TAKE_OVER_KEYS, 'roundcube', await readFile(ROUNDCUBE, 'utf8'));
    const { page, problems } = await suite.open(TAKE_OVER_KEYS, { width: 360, height: 780, lang: 'el' });

    await page.locator('#rules-take-over').waitFor();
    expect(await page.locator('#rules-take-over').textContent()).toContain('Ενεργό είναι άλλο σενάριο: «roundcube»');
    expect(await names(page)).toEqual(['Δικός μου']);
    await page.locator('#filter-item-0-enabled').uncheck();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.locator('#rules-take-over-button').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Έγινε ανάληψη' }).waitFor();
    expect(await page.locator('#rules-take-over').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rules-take-over-done');
    // Nothing of the edit is dropped: the list is as the user left it.
    expect(await names(page)).toEqual(['Δικός μου']);
    expect(await page.locator('#filter-item-0-enabled').isChecked()).toBe(false);

    await page.locator('.save-bar button[type=submit]').click();
    await page.locator('#conflict').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('#conflict button').first().click();
    await expect.poll(() => names(page)).toEqual(ROUNDCUBE_RULES.map((n) => (n === 'Custom Sieve' ? 'Προσαρμοσμένο Sieve' : n)));
    expect(problems).toEqual([]);
  });
});
