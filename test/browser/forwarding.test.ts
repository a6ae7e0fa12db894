import { describe, expect, it } from 'vitest';
import { DOMAIN, deliverMessage, mailboxMessages, makeMessage, waitForOutbox } from '../support/stack';
import { seriousAxeViolations } from './helpers';
import { LAYOUTS, saveFails, saveOk, screenshot, subjects, useSettingsSuite } from './settings-support';

// The forwarding view through the real UI, the real API and the local stack: forwarding set
// here really sends a copy of LMTP-delivered mail out, and keeps the local copy or not as
// the switch says; bad addresses are shown beside their fields and nothing is saved.
// Users load130…load134 are this suite's own.

interface ForwardingGet {
  etag: string;
  forwarding: { addresses: string[]; keepCopy: boolean };
}

const { open } = useSettingsSuite({ users: ['load130', 'load131', 'load132', 'load133'], hash: '#/forwarding' });

describe('forwarding', () => {
  it('forwarding set in the UI sends a copy out; the local copy stays or not as the switch says; each change leaves a notice', async () => {
    const uid = 'load130';
    const tag = Date.now();
    const outside = `me-${tag}@example.net`;
    const { page, get, problems } = await open(uid);
    expect(await page.locator('#forwarding-notice').textContent()).toContain('a notice is put in your Inbox');
    expect(await page.locator('#forwarding-enabled').isChecked()).toBe(false);

    await page.locator('#forwarding-enabled').check();
    await page.locator('#forwarding-address-0').fill(outside);
    expect(await page.locator('#forwarding-keep-copy').isChecked()).toBe(true);
    await saveOk(page);
    expect(await get<ForwardingGet>('/api/forwarding')).toMatchObject({ forwarding: { addresses: [outside], keepCopy: true } });
    const noticesAfterFirst = (await mailboxMessages(uid)).length;
    expect(noticesAfterFirst).toBeGreaterThanOrEqual(1);

    const kept = `kept ${tag}`;
    await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject: kept }) });
    const copy = await waitForOutbox((m) => m.recipients.includes(outside) && m.raw.includes(kept));
    expect(copy.raw).toContain(`Subject: ${kept}`);
    expect(subjects(await mailboxMessages(uid))).toContain(kept);

    // Without a copy: warned, and the mail leaves the mailbox.
    await page.locator('#forwarding-keep-copy').uncheck();
    expect(await page.locator('#no-copy-warning').textContent()).toContain('Mail will not stay here');
    await saveOk(page);
    expect((await get<ForwardingGet>('/api/forwarding')).forwarding.keepCopy).toBe(false);
    expect((await mailboxMessages(uid)).length).toBeGreaterThan(noticesAfterFirst + 1);

    const gone = `gone ${tag}`;
    await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject: gone }) });
    await waitForOutbox((m) => m.recipients.includes(outside) && m.raw.includes(gone));
    expect(subjects(await mailboxMessages(uid))).not.toContain(gone);
    expect(problems).toEqual([]);
  });

  for (const lang of ['en', 'el'] as const) {
    it(`an invalid address and an own address are shown beside their fields, nothing saved (${lang})`, async () => {
      const uid = lang === 'en' ? 'load131' : 'load132';
      const { page, get } = await open(uid, { lang });
      const before = await get<ForwardingGet>('/api/forwarding');

      await page.locator('#forwarding-enabled').check();
      await page.locator('#forwarding-address-0').fill('not-an-address');
      await page.locator('#forwarding-add').click();
      await page.locator('#forwarding-address-1').fill(`${uid}@${DOMAIN}`);
      const summary = await saveFails(page);
      expect(summary).toContain(lang === 'en' ? 'Please correct the fields marked below.' : 'Διορθώστε τα πεδία');
      expect(await page.locator('#forwarding-address-0-error').textContent()).toContain(
        lang === 'en' ? 'This is not an email address.' : 'Δεν είναι διεύθυνση email.',
      );
      expect(await page.locator('#forwarding-address-1-error').textContent()).toContain(
        lang === 'en' ? 'This is one of your own addresses.' : 'Είναι μία από τις δικές σας διευθύνσεις.',
      );
      expect(await page.locator('#forwarding-address-0').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('forwarding-address-0');
      expect(await seriousAxeViolations(page)).toEqual([]);

      expect(await get<ForwardingGet>('/api/forwarding')).toEqual(before);
    });
  }

  for (const [width, height, colorScheme] of LAYOUTS) {
    it(`is usable at ${width}px (${colorScheme}): no sideways scrolling, no serious axe findings`, async () => {
      const { page, problems } = await open('load133', { width, height, colorScheme });
      await page.locator('#forwarding-enabled').check();
      await page.locator('#forwarding-address-0').fill('a.very.long.address.for.a.small.screen@example.org');
      await page.locator('#forwarding-keep-copy').uncheck();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `forwarding-${width}-${colorScheme}`);
      expect(problems).toEqual([]);
    });
  }
});
