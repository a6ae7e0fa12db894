import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadUser } from '../support/stack';
import { activeScript, putActiveScript, scriptNamed } from '../support/feature';
import { seriousAxeViolations } from './helpers';
import { useSettingsSuite } from './settings-support';

// The rule list (#/filters) through the real UI, the real API and the local stack: another
// program's active script is taken over from the notice above the list, with the keyboard
// too, without losing unsaved changes (saving them then meets the merge); at 360 px each row's tools fit on one line and still
// work by keyboard and by drag. Users load070…load079 are this suite's own.

const ROUNDCUBE = 'test/fixtures/sieve/roundcube-edit-mixed.sieve';
const ROUNDCUBE_RULES = ['Newsletters', 'Custom Sieve', 'Boss', 'Old rule', 'Seminar announcements'];
const TAKE_OVER = loadUser(71).uid;
const TAKE_OVER_KEYS = loadUser(72).uid;
const NARROW = loadUser(73).uid;

const suite = useSettingsSuite({ users: [TAKE_OVER, TAKE_OVER_KEYS, NARROW], hash: '#/filters' });

async function names(page: Page): Promise<string[]> {
  return (await page.locator('.filter-item .filter-item__name > :first-child').allTextContents()).map((s) => s.trim());
}

/** For each row: on how many lines its tools (switch, buttons) lie. */
function toolLines(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.filter-item__tools')].map((tools) => new Set([...tools.querySelectorAll('.switch, .button')].map((e) => Math.round(e.getBoundingClientRect().top))).size),
  );
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
    const status = page.getByRole('status').filter({ hasText: 'Taken over' });
    await status.waitFor();
    // The app had no script of its own before: nothing was replaced, nothing to point to.
    expect(await status.textContent()).not.toContain('History');
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
    const status = page.getByRole('status').filter({ hasText: 'Έγινε ανάληψη' });
    await status.waitFor();
    // The app's own script it replaced is in the history, and the status says where.
    expect(await status.textContent()).toContain('κρατήθηκε στο Ιστορικό');
    const history = await suite.server.services.scripts.history(TAKE_OVER_KEYS);
    expect(history[0]?.summary).toBe('replaced by taking over script "roundcube"');
    expect(await page.locator('#rules-take-over').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rules-take-over-done');
    // Nothing of the edit is dropped: the list is as the user left it.
    expect(await names(page)).toEqual(['Δικός μου']);
    expect(await page.locator('#filter-item-0-enabled').isChecked()).toBe(false);

    // The take-over replaced the rule edited here: the merge shows the taken-over rules and
    // asks about that one (changed here, gone there).
    await page.locator('.save-bar button[type=submit]').click();
    await page.locator('#filters-merge').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.locator('#filters-merge legend').textContent()).toBe('Ο κανόνας «Δικός μου» άλλαξε εδώ αλλά διαγράφηκε αλλού. Να κρατηθεί:');
    await page.locator('#filters-merge-0-theirs').check();
    await expect.poll(() => names(page)).toEqual(ROUNDCUBE_RULES.map((n) => (n === 'Custom Sieve' ? 'Προσαρμοσμένο Sieve' : n)));
    expect(problems).toEqual([]);
  });
});

describe('rule list: the rows at 360 px', () => {
  it('each row’s tools lie on one line, as icons named for screen readers; reorder by keys and by drag, duplicate and delete still work', async () => {
    const config = suite.server.services.config;
    await putActiveScript(config, NARROW, config.sieve.scriptName, await readFile(ROUNDCUBE, 'utf8'));
    const { page, get, problems } = await suite.open(NARROW, { width: 360, height: 780 });
    expect(await names(page)).toEqual(ROUNDCUBE_RULES);

    expect(await toolLines(page)).toEqual([1, 1, 1, 1, 1]);
    expect(await page.getByRole('button', { name: 'Duplicate' }).count()).toBe(4);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(5);
    expect(await page.getByRole('link', { name: 'Edit in the Sieve editor' }).count()).toBe(1);
    expect(await page.locator('#filter-item-0-delete .tool-icon').isVisible()).toBe(true);
    expect((await page.locator('#filter-item-0-delete .tool-button__label').boundingBox())?.width).toBeLessThanOrEqual(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Keys: move down, duplicate, delete (the keyboard stays on the list all along).
    await page.locator('#filter-item-0-down').focus();
    await page.keyboard.press('Enter');
    expect(await names(page)).toEqual(['Custom Sieve', 'Newsletters', 'Boss', 'Old rule', 'Seminar announcements']);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-item-1-down');
    await page.locator('#filter-item-2-duplicate').focus();
    await page.keyboard.press('Enter');
    expect(await names(page)).toEqual(['Custom Sieve', 'Newsletters', 'Boss', 'Boss (copy)', 'Old rule', 'Seminar announcements']);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-item-3');
    await page.locator('#filter-item-4-delete').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filters-undo');
    expect(await names(page)).toEqual(['Custom Sieve', 'Newsletters', 'Boss', 'Boss (copy)', 'Seminar announcements']);

    // Drag: the last rule to the top (a tall window, so that both ends are on screen).
    await page.setViewportSize({ width: 360, height: 2000 });
    await page.locator('.filter-item').nth(4).dragTo(page.locator('.filter-item').nth(0));
    expect(await names(page)).toEqual(['Seminar announcements', 'Custom Sieve', 'Newsletters', 'Boss', 'Boss (copy)']);
    expect(await toolLines(page)).toEqual([1, 1, 1, 1, 1]);

    await page.locator('.save-bar button[type=submit]').click();
    await page.locator('.save-bar__status').filter({ hasText: /\S/ }).waitFor();
    const saved = await get<{ items: Array<{ kind: string; rule?: { name: string } }> }>('/api/filters');
    expect(saved.items.map((i) => i.rule?.name ?? i.kind)).toEqual(['Seminar announcements', 'custom', 'Newsletters', 'Boss', 'Boss (copy)']);

    // Wide, the buttons show their words again, without icons.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.locator('#filter-item-0-delete .tool-button__label').isVisible()).toBe(true);
    expect(await page.locator('#filter-item-0-delete .tool-icon').isVisible()).toBe(false);
    expect(problems).toEqual([]);
  });
});
