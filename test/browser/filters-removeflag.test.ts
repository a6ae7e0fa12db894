import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadUser } from '../support/stack';
import { activeScript } from '../support/feature';
import { seriousAxeViolations } from './helpers';
import { screenshot, useSettingsSuite } from './settings-support';

// The rule builder's "Remove flags" action (RFC 5232 removeflag) through the real UI, API and
// local stack: chosen from the action picker, its flags box answers with the same field
// errors as the other flag actions, the rule is saved as removeflag, and the list says it in
// English and Greek. User load055 is this suite's own.

const UID = loadUser(55).uid;
const suite = useSettingsSuite({ users: [UID], hash: '#/filters' });

/** Clicks save and waits until the flags box's error holds `text`. */
async function saveShowsFlagsError(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('#rule-save').click();
  await expect.poll(async () => (await page.locator('#rule-actions-0-flags-error').allTextContents()).join(' ')).toMatch(text);
}

describe('rule builder: remove flags', () => {
  it('choosing “Remove flags” and saving writes removeflag; the summary says it in English and Greek', async () => {
    const config = suite.server.services.config;
    const { page, problems } = await suite.open(UID);

    await page.locator('#filters-add').click();
    await page.locator('#rule-name').fill('Not urgent');
    await page.locator('#rule-conditions-0-type').selectOption('subject');
    await page.locator('#rule-conditions-0-value').fill('not urgent');
    const type = page.locator('#rule-actions-0-type');
    expect(await type.locator('option').allTextContents()).toContain('Remove flags');
    await type.selectOption({ label: 'Remove flags' });
    const flags = page.locator('#rule-actions-0-flags');
    await flags.waitFor();
    expect(await flags.inputValue()).toBe('');
    expect(await page.locator('label[for="rule-actions-0-flags"]').textContent()).toContain('Flags');

    // None at all: the builder's own check. A Greek keyword: the API's, at the same box.
    await saveShowsFlagsError(page, 'Fill this in.');
    await flags.fill('\\Flagged Εργασία');
    await flags.press('Tab');
    await saveShowsFlagsError(page, 'Not a valid flag');
    expect(await flags.getAttribute('aria-invalid')).toBe('true');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'filters-removeflag-error');

    await flags.fill('\\Flagged $Work');
    await flags.press('Tab');
    await page.locator('#rule-save').click();
    const summary = page.locator('.filter-item__summary').first();
    await summary.waitFor();
    expect(await summary.textContent()).toContain('→ remove flags \\Flagged $Work');
    expect(await activeScript(config, UID)).toContain('# rule:[Not urgent]\r\nif allof (header :contains "subject" "not urgent")\r\n{\r\n\tremoveflag ["\\\\Flagged", "$Work"];\r\n}\r\n');

    // In Greek: the list's words, and the picker shows the saved action with its flags.
    await page.goto(`${suite.server.url}/?lang=el#/filters`);
    await summary.waitFor();
    expect(await summary.textContent()).toContain('→ αφαίρεση σημαιών \\Flagged $Work');
    await page.locator('#filter-item-0').click();
    await flags.waitFor();
    expect(await type.locator('option:checked').textContent()).toBe('Αφαίρεση σημαιών');
    expect(await flags.inputValue()).toBe('\\Flagged $Work');
    await screenshot(page, 'filters-removeflag-el');
    expect(problems).toEqual([]);
  });
});
