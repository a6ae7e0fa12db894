import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server';
import { DOMAIN, deliverMessage, makeMessage, resetUser } from '../support/stack';
import { seriousAxeViolations, useBrowserSuite } from './helpers';
import { dayFromToday, screenshot, signInPage, TIME_ZONE, type OpenOptions, type SignedIn } from './settings-support';
import { showSections } from '../support/navigation';

// The overview (the landing page) through the real UI, the real API and the local stack: one
// user with a vacation reply ending in a few days, forwarding to an outside address, strict
// spam filtering and two delivered messages; every part says so and links to its page.
// A server whose directors' IMAP port is wrong cannot read the quota: the page names that
// part and shows the rest. Users load110…load113 are this suite's own (load112, load113 kept spare).

const SET_UP = 'load110';
const FRESH = 'load111';
const DAYS_LEFT = 3;

type VacationGet = { etag: string; vacation: Record<string, unknown> };
type SpamGet = { etag: string; spam: Record<string, unknown> };
type ForwardingGet = { etag: string; forwarding: { addresses: string[]; keepCopy: boolean } };
interface OverviewGet {
  quota: { storage: { usedBytes: number; limitBytes: number } | null; messages: { used: number; limit: number } | null } | null;
  spam: { level: string; threshold: number | null } | null;
  unavailable: string[];
}

const USERS = ['load110', 'load111', 'load112', 'load113'];
const suite = useBrowserSuite({
  before: async () => {
    for (const uid of USERS) await resetUser(uid);
  },
});
let broken: TestServer;
const contexts: BrowserContext[] = [];
const outside = `elsewhere-${Date.now()}@example.net`;
let messagesBefore = 0;

async function open(uid: string, opts: OpenOptions = {}, on: TestServer = suite.server): Promise<SignedIn> {
  const s = await signInPage(suite.browser, on, uid, opts);
  contexts.push(s.context);
  await s.page.locator('.overview-grid').waitFor();
  return s;
}

async function ok(res: Promise<{ status: number; body: unknown }>): Promise<void> {
  const { status, body } = await res;
  if (status !== 200) throw new Error(`set-up failed: ${status} ${JSON.stringify(body)}`);
}

beforeAll(async () => {
  broken = await startTestServer((c) => ({ ...c, directors: c.directors.map((d) => ({ ...d, imapPort: 9 })) }));

  // The user's settings, made through the API as the user.
  const s = await signInPage(suite.browser, suite.server, SET_UP);
  try {
    const v = await s.get<VacationGet>('/api/vacation');
    await ok(s.put('/api/vacation', { ...v.vacation, enabled: true, subject: 'Away', message: 'I am away.', start: null, end: `${dayFromToday(DAYS_LEFT + 1)}T00:00`, timeZone: TIME_ZONE }, v.etag));
    const f = await s.get<ForwardingGet>('/api/forwarding');
    await ok(s.put('/api/forwarding', { addresses: [outside], keepCopy: true }, f.etag));
    const sp = await s.get<SpamGet>('/api/spam');
    await ok(s.put('/api/spam', { ...sp.spam, level: 'strict', threshold: null }, sp.etag));
    // Turning forwarding on left a notice in the Inbox: count from here.
    messagesBefore = (await s.get<OverviewGet>('/api/overview')).quota?.messages?.used ?? 0;
    for (const subject of ['first', 'second']) {
      await deliverMessage({ to: SET_UP, raw: makeMessage({ to: `${SET_UP}@${DOMAIN}`, subject: `overview ${subject}` }) });
    }
  } finally {
    await s.context.close();
  }
});

afterAll(async () => {
  await broken?.close();
  for (const uid of USERS) await resetUser(uid).catch(() => undefined);
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

const text = (page: Page, selector: string) => page.locator(selector).innerText();

const EN = {
  heading: 'Overview',
  banner: `Vacation reply is on — ends in ${DAYS_LEFT} days`,
  vacation: 'On: replies are sent until the end of',
  forwardingWarning: 'Your mail is being forwarded',
  // The card lists every exit (components/exits/ExitsList.vue), this one from the forwarding page.
  forwardingCard: 'Where your mail goes',
  // Every exit is listed with whether a copy stays (components/exits/ExitsList.vue).
  copy: 'a copy stays here',
  spam: 'Level: Strict.',
  filters: 'No filter rules yet.',
  of: 'of',
  lists: 'You are not a member of any mailing list.',
};
const EL = {
  heading: 'Επισκόπηση',
  banner: `Η αυτόματη απάντηση είναι ενεργή — λήγει σε ${DAYS_LEFT} ημέρες`,
  vacation: 'Ενεργή: οι απαντήσεις στέλνονται έως το τέλος της ημέρας',
  forwardingWarning: 'Η αλληλογραφία σας προωθείται',
  forwardingCard: 'Πού πηγαίνει η αλληλογραφία σας',
  copy: 'μένει αντίγραφο εδώ',
  spam: 'Επίπεδο: Αυστηρό.',
  filters: 'Δεν υπάρχουν ακόμη κανόνες φίλτρων.',
  of: 'από',
  lists: 'Δεν είστε μέλος σε καμία λίστα αλληλογραφίας.',
};

describe('overview', () => {
  for (const [width, height, lang, colorScheme] of [
    [1280, 900, 'en', 'light'],
    [360, 780, 'el', 'dark'],
    [360, 780, 'en', 'light'],
    [1280, 900, 'el', 'dark'],
  ] as const) {
    it(`shows every part of a set-up account from one request (${width}px, ${lang}, ${colorScheme}, axe)`, async () => {
      const words = lang === 'en' ? EN : EL;
      const { page, problems, get } = await open(SET_UP, { width, height, lang, colorScheme });
      const api = await get<OverviewGet>('/api/overview');
      expect(api.unavailable).toEqual([]);
      expect(api.spam?.level).toBe('strict');

      await page.getByRole('heading', { level: 1, name: words.heading }).waitFor();
      expect(await text(page, '.display-name')).toBe('Load User 110');
      expect(await text(page, '#vacation-banner')).toContain(words.banner);
      expect(await text(page, '#overview-vacation')).toContain(words.vacation);
      expect(await text(page, '#forwarding-warning')).toContain(words.forwardingWarning);
      expect(await text(page, '#forwarding-warning')).toContain(outside);
      const forwarding = await text(page, '#overview-forwarding');
      expect(forwarding).toContain(words.forwardingCard);
      expect(forwarding).toContain(outside);
      expect(forwarding).toContain(words.copy);
      expect(await page.locator('#overview-forwarding.overview-card--warning').count()).toBe(1);
      const spam = await text(page, '#overview-spam');
      expect(spam).toContain(words.spam);
      expect(await text(page, '#overview-filters')).toContain(words.filters);
      const addresses = await page.locator('#overview-addresses .address-list__address').allTextContents();
      expect(addresses).toContain(`${SET_UP}@${DOMAIN}`);
      expect(await text(page, '#overview-lists')).toContain(words.lists);
      // The quota meters, as the API counts: the two delivered messages.
      if (api.quota?.messages) {
        expect(api.quota.messages.used).toBe(messagesBefore + 2);
        expect(await page.locator('#overview-messages').getAttribute('aria-valuetext')).toContain(`${messagesBefore + 2} ${words.of}`);
      } else {
        expect(api.quota?.storage?.usedBytes).toBeGreaterThan(0);
      }
      expect(await page.locator('#overview-storage, #overview-messages').count()).toBeGreaterThan(0);
      expect(await page.locator('#overview-unavailable').count()).toBe(0);
      expect(await page.locator('.overview-card__unavailable').count()).toBe(0);

      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `overview-${width}-${lang}-${colorScheme}`);
      expect(problems).toEqual([]);
    });
  }

  for (const width of [1280, 360]) {
    it(`each part links to its own page (${width}px)`, async () => {
      const { page, problems } = await open(SET_UP, { width, height: 800 });
      const links: Array<[string, string, string]> = [
        ['#overview-quota', 'Quota and folders', 'Quota'],
        ['#overview-vacation', 'Vacation reply settings', 'Vacation reply'],
        ['#overview-forwarding', 'Forwarding settings', 'Forwarding'],
        ['#overview-spam', 'Spam settings', 'Spam'],
        ['#overview-filters', 'Filter settings', 'Filters'],
        ['#overview-addresses', 'Manage your aliases', 'Aliases'],
        ['#overview-lists', 'Your lists on the Aliases page', 'Aliases'],
        ['#vacation-banner', 'Vacation reply settings', 'Vacation reply'],
        ['#forwarding-warning', 'Forwarding settings', 'Forwarding'],
      ];
      for (const [part, link, heading] of links) {
        await page.locator(part).getByRole('link', { name: link }).click();
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        // Focus moves to the new page's heading.
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
        await showSections(page);
        await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
        await page.locator('.overview-grid').waitFor();
      }
      expect(problems).toEqual([]);
    });
  }

  it('is usable by keyboard: Tab reaches each part’s link, Enter follows it', async () => {
    const { page } = await open(SET_UP);
    const target = page.locator('#overview-spam').getByRole('link', { name: 'Spam settings' });
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement)) break;
    }
    expect(await target.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Spam' }).waitFor();
  });

  it('a fresh account: everything off, nothing to warn about', async () => {
    const { page, problems } = await open(FRESH);
    expect(await page.locator('#vacation-banner').count()).toBe(0);
    expect(await page.locator('#forwarding-warning').count()).toBe(0);
    expect(await page.locator('.overview-card--warning').count()).toBe(0);
    expect(await text(page, '#overview-vacation')).toContain('Off: nobody gets an automatic reply.');
    expect(await text(page, '#overview-forwarding')).toContain('Off: your mail stays here.');
    expect(await text(page, '#overview-spam')).toContain('Level: Standard.');
    // What the site's default script does with tagged mail — not "stays in your Inbox".
    expect(await text(page, '#overview-spam')).toContain('Mail the department marks as spam (score 6.31 or more) goes to the folder SPAM.');
    expect(problems).toEqual([]);
  });

  for (const [lang, colorScheme, width] of [
    ['en', 'light', 1280],
    ['el', 'dark', 360],
  ] as const) {
    it(`a part that cannot be read is named, and the rest still shows (${lang}, ${colorScheme}, ${width}px, axe)`, async () => {
      const { page, problems, get } = await open(SET_UP, { lang, colorScheme, width, height: 800 }, broken);
      const api = await get<OverviewGet>('/api/overview');
      expect(api.unavailable).toEqual(['quota']);
      const note = await text(page, '#overview-unavailable');
      expect(note).toContain(lang === 'en' ? 'Not read: your mailbox usage.' : 'Δεν διαβάστηκαν: η χρήση του γραμματοκιβωτίου σας.');
      expect(await text(page, '#overview-quota .overview-card__unavailable')).toBe(
        lang === 'en' ? 'Could not be read just now.' : 'Δεν ήταν δυνατό να διαβαστεί αυτή τη στιγμή.',
      );
      expect(await page.locator('#overview-quota [role=meter]').count()).toBe(0);
      // The rest is there.
      expect(await text(page, '#overview-spam')).toContain(lang === 'en' ? EN.spam : EL.spam);
      expect(await text(page, '#overview-forwarding')).toContain(outside);
      expect(await page.locator('#vacation-banner').count()).toBe(1);
      expect(await page.locator('.overview-card__unavailable').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `overview-unavailable-${lang}-${colorScheme}-${width}`);
      expect(problems).toEqual([]);
    });
  }
});
