import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { putActiveScript } from '../support/feature';
import { resetUser } from '../support/stack';
import { seriousAxeViolations, useBrowserSuite } from './helpers';
import { LAYOUTS, saveOk, screenshot, signInPage, type OpenOptions, type SignedIn } from './settings-support';

// The Security page through the real UI: two browser contexts of one user, sign-in failures,
// changes made on the vacation page and by another ManageSieve client. load053 and load054 are
// this suite's own.

const USER = 'load053';
const LOCKED = 'load054';
const MAX_ACCOUNT_FAILURES = 3;

const suite = useBrowserSuite({
  before: async () => {
    await resetUser(USER);
    await resetUser(LOCKED);
  },
  config: (c) => ({ ...c, loginRateLimit: { ...c.loginRateLimit, maxFailuresPerAccount: MAX_ACCOUNT_FAILURES } }),
});
const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

async function signedIn(uid: string, opts: OpenOptions = {}): Promise<SignedIn> {
  const s = await signInPage(suite.browser, suite.server, uid, opts);
  contexts.push(s.context);
  return s;
}

async function openSecurity(s: SignedIn, lang: 'en' | 'el' = 'en'): Promise<void> {
  await s.page.goto(`${suite.server.url}/?lang=${lang}#/security`);
  await s.page.locator('#sessions').waitFor();
}

/** Status of GET /api/me with exactly these cookies, from outside any browser (a replayed cookie). */
async function meWith(cookies: Array<{ name: string; value: string }>): Promise<number> {
  const res = await fetch(`${suite.server.url}/api/me`, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
  return res.status;
}

describe('security page', () => {
  it('lists a second browser’s session; signing it out there makes its next request 401', async () => {
    const first = await signedIn(USER);
    const second = await signedIn(USER);
    const secondCookies = await second.context.cookies();
    const secondId = (await second.get<{ sessions: Array<{ id: string; current: boolean }> }>('/api/security')).sessions.find((s) => s.current)!.id;

    await openSecurity(first);
    const row = first.page.locator(`#session-${secondId}`);
    await row.waitFor();
    expect(await first.page.locator('#sessions .security-table__current').count()).toBe(1);
    expect(await row.textContent()).toContain('Chrom');
    await row.getByRole('button', { name: /Sign out/ }).click();
    await first.page.getByRole('status').filter({ hasText: 'That session is signed out.' }).waitFor();
    await row.waitFor({ state: 'detached' });

    expect((await second.context.request.get(`${suite.server.url}/api/me`)).status()).toBe(401);
    expect(await meWith(secondCookies)).toBe(401);
    expect((await first.context.request.get(`${suite.server.url}/api/me`)).status()).toBe(200);
    expect(first.problems).toEqual([]);
  });

  it('a cookie replayed after signing out answers 401', async () => {
    const s = await signedIn(USER);
    const cookies = await s.context.cookies();
    expect(await meWith(cookies)).toBe(200);
    await s.page.locator('header').getByRole('button', { name: 'Sign out' }).click();
    await s.page.locator('#username').waitFor();
    expect(await meWith(cookies)).toBe(401);
  });

  it('shows wrong passwords and the throttled try in the sign-in history', async () => {
    const owner = await signedIn(LOCKED);
    const context = await suite.browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/?lang=en#/sign-in`);
    for (let i = 0; i <= MAX_ACCOUNT_FAILURES; i += 1) {
      await page.locator('#username').fill(LOCKED);
      await page.locator('#password').fill(`wrong-Πass-${i}`);
      await page.locator('form button[type=submit]').click();
      await page.getByRole('alert').filter({ hasText: i < MAX_ACCOUNT_FAILURES ? /password/i : /Too many attempts/ }).waitFor();
    }
    await openSecurity(owner);
    const outcomes = await owner.page.locator('#sign-ins tbody tr').evaluateAll((rows) => rows.map((r) => r.className));
    expect(outcomes.slice(0, 4)).toEqual(['security-outcome--throttled', 'security-outcome--wrong-password', 'security-outcome--wrong-password', 'security-outcome--wrong-password']);
    expect(await owner.page.locator('#sign-ins').textContent()).toContain('Refused: too many wrong passwords');
  });

  it('puts a vacation change in the timeline, and a change by another ManageSieve client as “changed outside this app”', async () => {
    const s = await signedIn(USER);
    await s.page.goto(`${suite.server.url}/?lang=en#/vacation`);
    await s.page.locator('form.settings-form').waitFor();
    await s.page.locator('#vacation-enabled').check();
    await s.page.locator('#vacation-subject').fill('Εκτός γραφείου');
    await s.page.locator('#vacation-message').fill('Λείπω.');
    await saveOk(s.page);

    await openSecurity(s);
    const vacation = s.page.locator('#changes tr.security-area--vacation');
    expect(await vacation.first().textContent()).toMatch(/Vacation reply.*Saved on its page.*This session/s);

    const config = suite.server.services.config;
    await putActiveScript(config, USER, config.sieve.scriptName, 'require ["fileinto"];\nif header :contains "subject" "Σίσυφος" { fileinto "Junk"; }\n');
    await s.page.reload();
    const outside = s.page.locator('#changes tr.security-change--outside');
    await outside.first().waitFor();
    expect(await outside.first().textContent()).toContain('Changed outside this app');
    expect(s.problems).toEqual([]);
  });

  it('shows a hostile User-Agent as text, escaped and shortened', async () => {
    const s = await signedIn(USER);
    const hostile = `<img src=x onerror="window.pwned=1">\u202e\u200b${'A'.repeat(100_000)}`;
    await suite.server.services.activity.append(USER, 'sign-ins', { at: Date.now(), outcome: 'wrong-password', method: 'password', clientAddress: '2001:db8::7', userAgent: hostile });
    await openSecurity(s);
    const cell = s.page.locator('#sign-ins tbody tr').first();
    const text = (await cell.textContent()) ?? '';
    expect(text).toContain('<img src=x');
    expect(text).toContain('\\u{202E}\\u{200B}');
    expect(text.length).toBeLessThan(400);
    expect(await s.page.locator('#sign-ins img').count()).toBe(0);
    expect(await s.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  for (const lang of ['en', 'el'] as const) {
    it(`is usable at 360 px (cards) and 1280 px (tables) in ${lang}, with no serious accessibility problem`, async () => {
      for (const [width, height, colorScheme] of LAYOUTS.filter(([, , scheme]) => scheme === 'light')) {
        const s = await signedIn(USER, { lang, width, height, colorScheme });
        await openSecurity(s, lang);
        await s.page.getByRole('heading', { level: 1, name: lang === 'en' ? 'Security' : 'Ασφάλεια' }).waitFor();
        await screenshot(s.page, `security-${lang}-${width}`);
        const display = await s.page.locator('#sessions tbody tr').first().evaluate((el) => getComputedStyle(el).display);
        expect(display).toBe(width === 360 ? 'block' : 'table-row');
        const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
        expect(await seriousAxeViolations(s.page)).toEqual([]);
        expect(s.problems).toEqual([]);
      }
    });
  }
});

