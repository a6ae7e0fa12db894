import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { ApiClient } from '../support/http';
import { freePort } from '../support/listen';
import { roundcubeInstalled, startRoundcube, type RoundcubeServer } from '../support/roundcube';
import { startTestServer, type TestServer } from '../support/server';
import { assertSpaBuilt, launchChromium } from './helpers';

export interface RoundcubeSuite {
  /** The real API, configured to accept the plugin's tokens and to be framed by Roundcube. */
  server: TestServer;
  roundcube: RoundcubeServer;
  browser: Browser;
  /** The token's key, issuer and audience, for tests that forge tokens. */
  sso: { secret: Buffer; issuer: string; audience: string };
  /** A page in a fresh browser context, closed after the test. */
  newPage(opts: { width: number; height: number; colorScheme?: 'light' | 'dark'; locale?: string }): Promise<Page>;
  signIn(page: Page, user: string, password: string): Promise<void>;
  /** Settings → Mail settings (`label`, in the UI's language): the app's frame once it has
   *  navigated past /sso. */
  openMailSettings(page: Page, label?: string): Promise<Frame>;
  /** Settings → Filters (Roundcube's own managesieve plugin), once its filter list is there. */
  openFilters(page: Page): Promise<void>;
  /** A folder made over IMAP (through the app's API), e.g. before a form offers it. */
  createFolder(uid: string, password: string, name: string): Promise<void>;
}

/** On Roundcube's Mail settings page: the app's frame once it has navigated past /sso. */
export async function mailSettingsFrame(page: Page): Promise<Frame> {
  await page.waitForURL(/_action=plugin\.emailng_settings/);
  const element = page.locator('#emailng-settings-frame');
  await element.waitFor();
  let frame: Frame | null = null;
  await expect
    .poll(
      async () => {
        frame = await (await element.elementHandle())!.contentFrame();
        return frame?.url() ?? '';
      },
      { timeout: 15_000 },
    )
    .toContain('#/');
  return frame!;
}

/** The frame Roundcube's Filters page shows a filter's form in, once it has loaded `action`. */
export async function filterBox(page: Page, action: RegExp): Promise<Frame> {
  let frame: Frame | null = null;
  await expect.poll(() => {
    frame = page.frames().find((f) => f.name() === 'filter-box' && action.test(f.url())) ?? null;
    return frame !== null;
  }, { timeout: 15_000 }).toBe(true);
  await frame!.locator('form[name=filterform]').waitFor();
  return frame!;
}

/** Filters → "Create" (the content toolbar on a desktop, the list's floating button on a phone): the new filter's form. */
export async function roundcubeCreate(page: Page): Promise<Frame> {
  const buttons = page.locator('a.create:visible');
  await buttons.first().click();
  return filterBox(page, /_action=plugin\.managesieve-action/);
}

/** In the app's frame: Filters → Scripts → "Take it over" (the notice names `foreign`, the active script), then back to the rules. */
export async function takeOverInApp(app: Frame, foreign: string): Promise<void> {
  await app.getByRole('navigation').getByRole('link', { name: 'Filters' }).click();
  await app.locator('.filters-tabs a', { hasText: 'Scripts' }).click();
  await app.locator('#scripts-take-over').waitFor();
  expect(await app.locator('#scripts-take-over').textContent()).toContain(foreign);
  await app.locator('#scripts-take-over-button').click();
  await app.locator('#scripts-take-over').waitFor({ state: 'detached' });
  await app.locator('.filters-tabs a', { hasText: 'Rules' }).click();
}

/** A filter form's Save: in the frame on a desktop; on a phone Elastic moves it to the page's footer. */
export async function roundcubeSave(page: Page, form: Frame): Promise<void> {
  const inFrame = form.locator('button.submit');
  if (await inFrame.isVisible()) await inFrame.click();
  else {
    // Elastic on a phone: the Save button is cloned into the page's footer. Elastic sometimes
    // leaves that footer hidden for a new filter's frame (its navigation is decided before the
    // frame has registered its buttons); the clone's click is then what a tap would run.
    const clone = page.locator('#layout-content .footer a.submit');
    if (await clone.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) await clone.click();
    else await clone.dispatchEvent('click');
  }
}

/**
 * One Roundcube 1.6 (Debian's packages, PHP's built-in server, SQLite) with our plugin, the
 * real API and Chromium, for a test file: started before its tests, stopped after them.
 */
export function useRoundcubeSuite(name: string, roundcubeOptions: Partial<Parameters<typeof startRoundcube>[0]> = {}): RoundcubeSuite {
  const sso = { secret: randomBytes(32), issuer: `${name}-test`, audience: `emailng-${name}-test` };
  const suite = { sso } as RoundcubeSuite;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    assertSpaBuilt();
    if (!roundcubeInstalled()) throw new Error('Roundcube is missing: run `bash deploy/install-packages.sh roundcube`');
    const port = await freePort();
    suite.server = await startTestServer((config) => ({
      ...config,
      webmailOrigin: `http://127.0.0.1:${port}`,
      sso: { issuer: sso.issuer, audience: sso.audience, algorithm: 'HS256', key: new Uint8Array(sso.secret), maxAgeSeconds: 60, clockToleranceSeconds: 5 },
    }));
    suite.roundcube = await startRoundcube({
      appUrl: `${suite.server.url}/`,
      issuer: sso.issuer,
      audience: sso.audience,
      key: sso.secret.toString('base64'),
      port,
      ...roundcubeOptions,
    });
    suite.browser = await launchChromium();
  });

  afterAll(async () => {
    await suite.browser?.close();
    await suite.roundcube?.stop();
    await suite.server?.close();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  suite.newPage = async ({ width, height, colorScheme = 'light', locale = 'en-US' }) => {
    // A phone is a touch device: Elastic shows a framed form's buttons in its footer only there.
    const phone = width < 480;
    context = await suite.browser.newContext({ viewport: { width, height }, colorScheme, locale, hasTouch: phone, isMobile: phone });
    return context.newPage();
  };

  suite.signIn = async (page, user, password) => {
    await page.goto(suite.roundcube.url);
    await page.locator('#rcmloginuser').fill(user);
    await page.locator('#rcmloginpwd').fill(password);
    await page.locator('#rcmloginsubmit').click();
    await page.waitForURL(/_task=mail/);
  };

  suite.openMailSettings = async (page, label = 'Mail settings') => {
    await page.goto(`${suite.roundcube.url}?_task=settings`);
    await page.locator('#settings-menu a', { hasText: label }).click();
    return mailSettingsFrame(page);
  };

  suite.createFolder = async (uid, password, name) => {
    const api = new ApiClient(suite.server.url);
    expect((await api.signIn(uid, password)).status).toBe(200);
    const res = await api.request('POST', '/api/folders', { json: { name } });
    expect(res.status, res.text).toBeLessThan(300);
  };

  suite.openFilters = async (page) => {
    await page.goto(`${suite.roundcube.url}?_task=settings&_action=plugin.managesieve`);
    await page.locator('#filterslist').waitFor({ state: 'attached' });
  };

  return suite;
}
