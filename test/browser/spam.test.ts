import { describe, expect, it } from 'vitest';
import { DOMAIN, deliverMessage, mailboxMessages, makeMessage } from '../support/stack';
import { seriousAxeViolations } from './helpers';
import { LAYOUTS, saveFails, saveOk, screenshot, subjects, useSettingsSuite } from './settings-support';

// The spam view through the real UI, the real API and the local stack: a level chosen here
// really files delivered mail by its X-Spam-Score; bad input is shown beside its field and
// nothing is saved. Users load125…load129 are this suite's own.

interface SpamGet {
  etag: string;
  spam: { level: string; threshold: number | null; folder: string; discardAbove: number | null; allow: string[]; block: string[]; blockAction: string };
  presets: Array<{ level: string; threshold: number | null }>;
  quarantineScore: number;
}

const { open } = useSettingsSuite({ users: ['load125', 'load126', 'load127', 'load128', 'load129'], hash: '#/spam' });

describe('spam', () => {
  it('Strict, filing into Junk, chosen in the UI: mail scoring above the threshold lands in Junk, the rest in the Inbox', async () => {
    const uid = 'load125';
    const { page, get, problems } = await open(uid);
    await page.getByRole('radio', { name: /^Strict/ }).check();
    await page.getByRole('radio', { name: /^Junk/ }).check();
    expect(await page.locator('#spam-summary').textContent()).toContain('goes to the folder Junk');
    await saveOk(page);

    const saved = await get<SpamGet>('/api/spam');
    expect(saved.spam).toMatchObject({ level: 'strict', folder: 'Junk' });
    const strict = saved.presets.find((p) => p.level === 'strict')?.threshold;
    expect(strict).toBeTypeOf('number');

    const tag = Date.now();
    const high = `offer ${tag}`;
    const low = `minutes ${tag}`;
    await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject: high, headers: { 'X-Spam-Score': String(Math.min(strict! + 3, saved.quarantineScore - 1)) } }) });
    await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject: low, headers: { 'X-Spam-Score': '0.2' } }) });
    expect(subjects(await mailboxMessages(uid, 'Junk'))).toContain(high);
    const inbox = subjects(await mailboxMessages(uid));
    expect(inbox).toContain(low);
    expect(inbox).not.toContain(high);
    expect(problems).toEqual([]);
  });

  for (const lang of ['en', 'el'] as const) {
    it(`a score that is not a number and a bad sender entry are shown beside their fields, nothing saved (${lang})`, async () => {
      const uid = lang === 'en' ? 'load126' : 'load127';
      const { page, get } = await open(uid, { lang });
      const before = await get<SpamGet>('/api/spam');

      await page.locator('#spam-level-custom').check();
      await page.locator('#spam-threshold').fill('seven');
      const summary = await saveFails(page);
      expect(summary).toContain(lang === 'en' ? 'Please correct the fields marked below.' : 'Διορθώστε τα πεδία');
      expect(await page.locator('#spam-threshold-error').textContent()).toContain(
        lang === 'en' ? 'Write a number, for example 6 or 6.5.' : 'Γράψτε έναν αριθμό, για παράδειγμα 6 ή 6,5.',
      );
      expect(await page.locator('#spam-threshold').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('spam-threshold');

      // A Greek decimal comma is a number; a bad list entry is named by the server.
      await page.locator('#spam-threshold').fill('6,5');
      await page.locator('#spam-allow').fill('colleague@example.org\nnot an address@');
      await saveFails(page);
      expect(await page.locator('#spam-threshold-error').count()).toBe(0);
      const entryError = await page.locator('#spam-allow-error').textContent();
      expect(entryError).toMatch(lang === 'en' ? /“(not|an|address@)”: This is not an address or a domain\./ : /«(not|an|address@)»: Δεν είναι διεύθυνση ούτε τομέας\./);
      expect(await seriousAxeViolations(page)).toEqual([]);

      expect(await get<SpamGet>('/api/spam')).toEqual(before);
    });
  }

  // The local stack's filter reads the levels the page writes (spam.amavisLdap): the "advanced"
  // option is the filter's hold level for this user, and the page says so with her numbers.
  it('holding back the most obvious spam says, with the user’s own numbers, what is filed and what is held', async () => {
    const { page } = await open('load128');
    const summary = page.locator('#spam-summary');
    expect(await summary.textContent()).toContain('Mail scoring 20 or more is held back by the department’s filter and not delivered: you find it under Held mail for 30 days');
    await page.getByRole('radio', { name: /^Strict/ }).check();
    await page.locator('.details__summary').click();
    await page.locator('#spam-discard').check();
    await page.locator('#spam-discard-above').fill('12,5');
    expect(await page.locator('#spam-discard-warning').textContent()).toContain('Mail scoring 12.5 or more will not reach any folder');
    const text = await summary.textContent();
    expect(text).toContain('Mail scoring 4 or more goes to the folder SPAM.');
    expect(text).toContain('Mail scoring 12.5 or more is held back');
    expect(text).not.toContain('deleted without trace');
    await saveOk(page);
    await page.reload();
    expect(await page.locator('#spam-summary').textContent()).toContain('Mail scoring 12.5 or more is held back');
  });

  for (const [width, height, colorScheme] of LAYOUTS) {
    it(`is usable at ${width}px (${colorScheme}): no sideways scrolling, no serious axe findings`, async () => {
      const { page, problems } = await open('load129', { width, height, colorScheme });
      await page.locator('#spam-level-custom').check();
      await page.locator('.details__summary').click();
      await page.locator('#spam-discard').check();
      await page.locator('#spam-block').fill('spammer@example.com\nexample.net');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `spam-${width}-${colorScheme}`);
      expect(problems).toEqual([]);
    });
  }
});
