import { describe, expect, it } from 'vitest';
import { DOMAIN, deliverMessage, makeMessage, waitForOutbox } from '../support/stack';
import { seriousAxeViolations } from './helpers';
import { LAYOUTS, dayFromToday, pasteInto, saveFails, saveOk, screenshot, useSettingsSuite } from './settings-support';
import { showSections } from '../support/navigation';

// The vacation view through the real UI, the real API and the local stack: what is saved
// really answers mail delivered through LMTP; bad input is shown beside its field and
// nothing is saved. Users load120…load124 are this suite's own.

interface VacationGet {
  etag: string;
  vacation: { enabled: boolean; start: string | null; end: string | null; subject: string; message: string; intervalDays: number; timeZone: string; from: string | null };
}

const { open } = useSettingsSuite({ users: ['load120', 'load121', 'load122', 'load123', 'load124'], hash: '#/vacation' });

describe('vacation reply', () => {
  it('turned on in the UI, it answers a delivered message with the chosen subject; the overview says when it ends', async () => {
    const uid = 'load120';
    const { page, problems, get } = await open(uid);
    expect(await page.locator('#vacation-enabled').isChecked()).toBe(false);
    // Sensible defaults for someone who never set it up.
    expect(await page.locator('#vacation-subject').inputValue()).toBe('Out of office');
    expect(await page.locator('#vacation-interval').inputValue()).toBe('7');
    // The device is in the account's zone (Chromium names it Asia/Nicosia): no note about it.
    expect(await page.locator('#vacation-zone-hint').textContent()).not.toContain('another time zone');

    const subject = `Away until Monday ${Date.now()}`;
    await page.locator('#vacation-enabled').check();
    await page.locator('#vacation-subject').fill(subject);
    await page.locator('#vacation-message').fill('I am away.\nPlease write to the office.');
    await page.locator('#vacation-last-date').fill(dayFromToday(3));
    expect(await page.locator('.save-bar__dirty').textContent()).toContain('Unsaved changes');
    expect(await page.locator('#vacation-summary').textContent()).toMatch(/Replies are sent from now until the end of \w+day/);
    expect(await page.locator('#vacation-preview').textContent()).toContain(subject);

    await saveOk(page);
    expect(await page.getByRole('status').textContent()).toContain('Your changes are saved.');
    expect(await page.locator('.save-bar__dirty').count()).toBe(0);

    const saved = await get<VacationGet>('/api/vacation');
    expect(saved.vacation).toMatchObject({ enabled: true, subject, start: null, end: `${dayFromToday(4)}T00:00`, intervalDays: 7 });
    // Chromium names the zone by its ICU canonical name (Asia/Nicosia).
    expect(saved.vacation.timeZone).toMatch(/Nicosia$/);

    const sender = `friend-${Date.now()}@example.org`;
    await deliverMessage({ to: uid, from: sender, raw: makeMessage({ from: sender, to: `${uid}@${DOMAIN}`, subject: 'Are you there?' }) });
    const reply = await waitForOutbox((m) => m.recipients.includes(sender));
    expect(reply.raw).toContain(`Subject: ${subject}`);
    expect(reply.raw).toContain('Please write to the office.');

    // The overview's banner, linking back here.
    await showSections(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    const banner = page.locator('#vacation-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Vacation reply is on — ends in 3 days');
    await banner.getByRole('link', { name: 'Vacation reply settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vacation reply' }).waitFor();
    await page.locator('form.settings-form').waitFor();
    expect(await page.locator('#vacation-subject').inputValue()).toBe(subject);
    expect(problems).toEqual([]);
  });

  for (const lang of ['en', 'el'] as const) {
    it(`end before start and a pasted line break are shown beside their fields, nothing saved (${lang})`, async () => {
      const uid = lang === 'en' ? 'load121' : 'load122';
      const { page, get } = await open(uid, { lang, width: 360, height: 780 });
      const before = await get<VacationGet>('/api/vacation');

      await page.locator('#vacation-enabled').check();
      await page.locator('#vacation-start-date').fill(dayFromToday(10));
      await page.locator('#vacation-last-date').fill(dayFromToday(5));
      const summary = await saveFails(page);
      expect(summary).toContain(lang === 'en' ? 'Please correct the fields marked below.' : 'Διορθώστε τα πεδία που επισημαίνονται παρακάτω.');
      const endError = page.locator('#vacation-last-date-error');
      expect(await endError.textContent()).toContain(
        lang === 'en' ? 'The last day is before the first day.' : 'Η τελευταία ημέρα είναι πριν από την πρώτη.',
      );
      expect(await page.locator('#vacation-last-date').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#vacation-last-date').getAttribute('aria-describedby')).toContain('vacation-last-date-error');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('vacation-last-date');

      await page.locator('#vacation-subject').fill('');
      await pasteInto(page, '#vacation-subject', 'Out of office\r\nBack on Monday');
      expect(await page.locator('#vacation-subject').inputValue()).toBe('Out of office Back on Monday');
      expect(await page.locator('#vacation-subject-pasted').textContent()).toContain(
        lang === 'en' ? 'the line break you pasted was replaced by a space' : 'η αλλαγή γραμμής που επικολλήσατε αντικαταστάθηκε με κενό',
      );

      // An interval that is not a number is refused before asking the server.
      await page.locator('.details__summary').click();
      await page.locator('#vacation-interval').fill('a week');
      await saveFails(page);
      expect(await page.locator('#vacation-interval-error').textContent()).toContain(
        lang === 'en' ? 'Write a whole number of days' : 'Γράψτε ακέραιο αριθμό ημερών',
      );
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `vacation-errors-${lang}-360`);

      const after = await get<VacationGet>('/api/vacation');
      expect(after).toEqual(before);
    });
  }

  it('keeps the account’s time zone when the browser is elsewhere, and lists whom it never answers', async () => {
    const uid = 'load123';
    const { page, get, problems } = await open(uid, { timeZone: 'UTC' });
    expect(await page.locator('#vacation-zone-hint').textContent()).toContain('Europe/Nicosia');
    expect(await page.locator('#vacation-zone-hint').textContent()).toContain('This device is set to another time zone (UTC)');
    const never = (await page.locator('#vacation-never').textContent()) ?? '';
    for (const text of ['marked as spam, whatever your spam setting', 'noreply', 'do-not-reply', 'notifications', 'bounces']) expect(never).toContain(text);

    await page.locator('#vacation-enabled').check();
    await page.locator('#vacation-start-date').fill(dayFromToday(2));
    await page.locator('#vacation-start-time').fill('09:00');
    await page.locator('#vacation-last-date').fill(dayFromToday(5));
    await saveOk(page);
    const saved = await get<VacationGet>('/api/vacation');
    expect(saved.vacation).toMatchObject({ timeZone: 'Europe/Nicosia', start: `${dayFromToday(2)}T09:00`, end: `${dayFromToday(6)}T00:00` });
    expect(problems).toEqual([]);
  });

  it('a change made elsewhere meanwhile is not overwritten silently; the user chooses', async () => {
    const uid = 'load123';
    const { page, get, put } = await open(uid);
    const first = await get<VacationGet>('/api/vacation');
    await page.locator('#vacation-subject').fill('Mine');
    await page.locator('#vacation-message').fill('From the page.');

    const other = await put<VacationGet>('/api/vacation', { ...first.vacation, subject: 'Theirs', message: 'From another tab.' }, first.etag);
    expect(other.status).toBe(200);

    const text = await saveFails(page);
    expect(text).toContain('changed elsewhere');
    await page.locator('#conflict').waitFor();
    expect((await get<VacationGet>('/api/vacation')).vacation.subject).toBe('Theirs');

    await page.getByRole('button', { name: /Save mine anyway/ }).click();
    await page.getByRole('status').filter({ hasText: 'Your changes are saved.' }).waitFor();
    expect((await get<VacationGet>('/api/vacation')).vacation.subject).toBe('Mine');
  });

  it('asks before leaving with unsaved changes, and stays when told to', async () => {
    const { page } = await open('load123');
    await page.locator('#vacation-subject').fill('Not saved yet');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await showSections(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Spam' }).click();
    await expect.poll(() => asked).toEqual(['You have unsaved changes on this page. Leave without saving?']);
    expect(page.url()).toContain('#/vacation');
    expect(await page.locator('#vacation-subject').inputValue()).toBe('Not saved yet');
    page.once('dialog', (d) => void d.accept());
    await showSections(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Spam' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spam' }).waitFor();
  });

  for (const [width, height, colorScheme] of LAYOUTS) {
    it(`is usable at ${width}px (${colorScheme}): no sideways scrolling, no serious axe findings`, async () => {
      const { page, problems } = await open('load124', { width, height, colorScheme });
      await page.locator('#vacation-enabled').check();
      await page.locator('#vacation-last-date').fill(dayFromToday(7));
      await page.locator('.details__summary').click();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `vacation-${width}-${colorScheme}`);
      expect(problems).toEqual([]);
    });
  }
});
