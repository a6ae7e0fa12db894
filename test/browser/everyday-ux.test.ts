import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { resetUser } from '../support/stack';
import { showSections } from '../support/navigation';
import { seriousAxeViolations, useBrowserSuite } from './helpers';
import { saveFails, screenshot, signInPage, type OpenOptions } from './settings-support';

// Issue 18's everyday fixes, in English and Greek at 360 and 1280 px: the phone's section menu,
// the filters' tabs, the vacation dates said in words, the first invalid field focused, and the
// history worded in the page's language and the account's zone.
const NAV = 'load076';
const HISTORY = 'load078';
const DATES = 'load079';
const LAYOUTS = [['en', 360], ['el', 360], ['en', 1280], ['el', 1280]] as const;

const suite = useBrowserSuite({
  before: async () => {
    for (const uid of [NAV, HISTORY, DATES]) await resetUser(uid);
  },
});
const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
async function open(uid: string, opts: OpenOptions) {
  const s = await signInPage(suite.browser, suite.server, uid, { height: 800, ...opts });
  contexts.push(s.context);
  return s;
}
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('section navigation', () => {
  for (const [lang, width] of LAYOUTS) {
    it(`${lang} at ${width} px: every section reachable, the current one marked; the header leaves room for the page`, async () => {
      const { page, problems } = await open(NAV, { lang, width });
      const toggle = page.locator('.app-nav__toggle');
      const links = page.getByRole('navigation', { name: lang === 'en' ? 'Settings sections' : 'Ενότητες ρυθμίσεων' }).getByRole('link');
      // The page starts right under one bar (it took 92 px in Greek at 360 px before).
      const mainTop = await page.evaluate(() => document.getElementById('main')!.getBoundingClientRect().top);
      expect(mainTop).toBeLessThanOrEqual(64);
      if (width === 1280) {
        expect(await toggle.isVisible()).toBe(false);
        expect(await links.count()).toBe(9);
      } else {
        expect(await toggle.isVisible()).toBe(true);
        expect(await links.count()).toBe(0);
        expect(await toggle.getAttribute('aria-expanded')).toBe('false');
        // By keyboard: the button opens the list on the current section; Escape gives focus back.
        await toggle.focus();
        await page.keyboard.press('Enter');
        expect(await toggle.getAttribute('aria-expanded')).toBe('true');
        expect(await links.count()).toBe(9);
        expect(await focusedText(page)).toBe(lang === 'en' ? 'Overview' : 'Επισκόπηση');
        expect(await seriousAxeViolations(page)).toEqual([]);
        await screenshot(page, `nav-menu-${lang}-${width}`);
        await page.keyboard.press('Escape');
        expect(await links.count()).toBe(0);
        expect(await page.evaluate(() => document.activeElement?.classList.contains('app-nav__toggle'))).toBe(true);
        // Every name whole on one line, none cut: the list is as wide as it needs.
        await toggle.click();
        const cut = await page.locator('.app-nav__link').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).length);
        expect(cut).toBe(0);
        // A tap outside closes it.
        await page.mouse.click(width - 10, 700);
        expect(await links.count()).toBe(0);
      }
      await showSections(page);
      await links.filter({ hasText: lang === 'en' ? 'Vacation reply' : 'Αυτόματη απάντηση' }).click();
      await page.locator('#vacation-status-heading').waitFor();
      if (width === 360) expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await showSections(page);
      expect(await page.locator('.app-nav a[aria-current="page"]').getAttribute('href')).toBe('#/vacation');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await screenshot(page, `nav-vacation-${lang}-${width}`);
      expect(problems).toEqual([]);
    });
  }

  it('the filters’ tabs keep the current one in view on a phone (el, 360 px)', async () => {
    const { page } = await open(NAV, { lang: 'el', width: 360 });
    await page.goto(`${suite.server.url}/?lang=el#/filters/history`);
    const current = page.locator('.filters-tabs__link--current');
    await current.waitFor();
    await expect.poll(async () => {
      const [tab, bar] = await Promise.all([current.boundingBox(), page.locator('.filters-tabs').boundingBox()]);
      return tab && bar ? tab.x >= bar.x - 1 && tab.x + tab.width <= bar.x + bar.width + 1 : false;
    }).toBe(true);
    expect(await current.getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'filters-tabs-history-el-360');
  });
});

describe('vacation dates', () => {
  for (const [lang, width] of LAYOUTS) {
    it(`${lang} at ${width} px: each chosen day said in words beside its field; a failed save focuses the first invalid field`, async () => {
      const { page, problems } = await open(DATES, { lang, width });
      await page.goto(`${suite.server.url}/?lang=${lang}#/vacation`);
      await page.locator('form.settings-form').waitFor();
      await page.locator('#vacation-enabled').check();
      await page.locator('#vacation-start-date').fill('2030-03-04');
      await page.locator('#vacation-start-time').fill('09:30');
      await page.locator('#vacation-last-date').fill('2030-03-02');
      // 4 March, never 3 April: the weekday and month in the page's language.
      expect(await page.locator('#vacation-start-chosen').textContent()).toContain(lang === 'en' ? 'Monday, March 4, 2030' : 'Δευτέρα 4 Μαρτίου 2030');
      expect(await page.locator('#vacation-last-date').getAttribute('aria-describedby')).toContain('vacation-end-chosen');
      // Two invalid fields: the end (before the start) and, further down, the interval.
      await page.locator('.details__summary').click();
      await page.locator('#vacation-interval').fill('a week');
      await saveFails(page);
      expect(await focusedId(page)).toBe('vacation-last-date');
      // The focused date field shows its ring.
      const ring = await page.locator('#vacation-last-date').evaluate((e) => getComputedStyle(e).outlineStyle);
      expect(ring).toBe('solid');
      await screenshot(page, `vacation-dates-${lang}-${width}`);
      expect(problems).toEqual([]);
    });
  }

  it('the start field is checked with the keyboard, part by part, and keeps its ring (en, 360 px)', async () => {
    const { page } = await open(DATES, { lang: 'en', width: 360 });
    await page.goto(`${suite.server.url}/?lang=en#/vacation`);
    await page.locator('form.settings-form').waitFor();
    await page.locator('#vacation-enabled').check();
    await page.locator('#vacation-start-date').focus();
    for (let part = 0; part < 3; part++) {
      expect(await page.locator('#vacation-start-date').evaluate((e) => e.matches(':focus-visible') && getComputedStyle(e).outlineStyle === 'solid')).toBe(true);
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowRight');
    }
    expect(await page.locator('#vacation-start-chosen').textContent()).not.toBe('');
  });
});

describe('history', () => {
  for (const [lang, width] of LAYOUTS) {
    it(`${lang} at ${width} px: each version described in the page’s language and the account’s time zone`, async () => {
      const { page, get, put, problems } = await open(HISTORY, { lang, width, timeZone: 'America/New_York' });
      const body = (enabled: boolean) => ({
        enabled, start: enabled ? '2026-12-09T00:00' : null, end: null, timeZone: 'Europe/Nicosia',
        subject: 'Εκτός γραφείου', message: 'Λείπω.', intervalDays: 7, from: null,
      });
      for (const enabled of [false, true, false]) {
        const { etag } = await get<{ etag: string }>('/api/vacation');
        expect((await put('/api/vacation', body(enabled), etag)).status).toBe(200);
      }
      await page.goto(`${suite.server.url}/?lang=${lang}#/filters/history`);
      const summaries = page.locator('.history-list__summary');
      await summaries.first().waitFor();
      const texts = await summaries.allTextContents();
      const on = lang === 'en' ? 'Then replaced by: Vacation reply on from Dec 9, 2026, 12:00 AM' : 'Αντικαταστάθηκε από: Αυτόματη απάντηση ενεργή από 9 Δεκ 2026, 12:00 π.μ.';
      expect(texts).toContain(on);
      expect(texts.join(' ')).not.toMatch(/T00:00|vacation on|\(UTC\)/);
      // Times in the account's zone (Europe/Nicosia), whatever the browser's (New York).
      const when = await page.locator('.history-list__when').first().textContent();
      const saved = (await get<Array<{ savedAt: string }>>('/api/script/history'))[0]!.savedAt;
      const nicosia = new Intl.DateTimeFormat(lang, { timeZone: 'Europe/Nicosia', dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(saved));
      expect(when).toContain(nicosia);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `history-${lang}-${width}`);
      expect(problems).toEqual([]);
      await resetUser(HISTORY);
    });
  }
});
