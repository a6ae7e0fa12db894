import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'playwright-core';
import { activeScript } from '../support/feature';
import { resetUser } from '../support/stack';
import { watchPage } from './helpers';
import { useRoundcubeSuite } from './roundcube-support';
import { showSections } from '../support/navigation';
import { screenshot } from './settings-support';

// Roundcube 1.6 (Debian's packages, PHP's built-in server, SQLite) with our emailng_settings
// plugin, against the local mail stack and the real API: sign in to Roundcube, open Settings →
// Mail settings, and the app is there, signed in as the same user, in embedded mode.

const rc = useRoundcubeSuite('roundcube-browser');

/**
 * Inside the frame: turns the vacation reply on and saves, then checks over ManageSieve that
 * the user's active script now replies. Resets the user afterwards (her mail and scripts).
 */
async function turnVacationOnInFrame(frame: Frame, uid: string, navLabel: string): Promise<void> {
  try {
    await showSections(frame);
    await frame.getByRole('navigation').getByRole('link', { name: navLabel }).click();
    await frame.locator('#vacation-enabled').waitFor();
    await frame.locator('#vacation-enabled').check();
    await frame.locator('#vacation-message').fill(`Away (set from Roundcube) ${Date.now()}`);
    await frame.locator('.save-bar button[type=submit]').click();
    await frame.getByRole('status').filter({ hasText: /\S/ }).waitFor();
    const script = await activeScript(rc.server.services.config, uid);
    expect(script).toContain('# emailng:begin vacation');
    expect(script).toMatch(/^\s*vacation :days 7/m);
    expect(script).toContain('set from Roundcube');
  } finally {
    await resetUser(uid);
  }
}

async function htmlClasses(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => [...document.documentElement.classList]);
}

describe('Roundcube → Mail settings (single sign-on, embedded mode)', () => {
  it('desktop, light: alice sees the app signed in as alice, no second sign-in, without its own header; follows a switch to dark', async () => {
    const page = await rc.newPage({ width: 1280, height: 800, colorScheme: 'light', locale: 'en-US' });
    const problems = watchPage(page);
    await rc.signIn(page, 'alice', 'alice-demo-pass');
    const frame = await rc.openMailSettings(page, 'Mail settings');

    expect(frame.url()).toMatch(new RegExp(`^${rc.server.url}/#/\\?embedded=1&lang=en&theme=light$`));
    await frame.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await frame.getByText('Alice Liddell').waitFor();
    expect(await frame.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
    expect(await frame.locator('.app-header').isVisible()).toBe(false);
    // Roundcube's settings list has one entry for the whole app: its sections are behind the
    // app's Menu button, and the page takes the pane's whole width (no third column).
    const mainLeft = await frame.evaluate(() => document.getElementById('main')!.getBoundingClientRect().left);
    expect(mainLeft).toBeLessThan(2);
    await showSections(frame);
    expect(await frame.getByRole('navigation').getByRole('link').count()).toBeGreaterThan(1);
    await screenshot(page, 'roundcube-embedded-menu-en-1280');
    expect(await htmlClasses(frame)).toEqual(expect.arrayContaining(['embedded', 'theme-light']));

    // The frame fills Roundcube's content pane, and the app fits it without sideways scrolling.
    const box = (await page.locator('#emailng-settings-frame').boundingBox())!;
    const pane = (await page.locator('#layout-content').boundingBox())!;
    expect(box.width).toBeGreaterThan(pane.width - 4);
    expect(box.height).toBeGreaterThan(pane.height * 0.8);
    expect(await frame.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

    // The session is the app's own cookie, for alice; the token in the frame's src is spent.
    const me = await frame.evaluate(async () => (await (await fetch('api/me')).json()) as { me: { uid: string } });
    expect(me.me.uid).toBe('alice');
    const src = await page.locator('#emailng-settings-frame').getAttribute('src');
    expect(src).toContain('/sso?token=');
    const replay = await fetch(src!, { redirect: 'manual' });
    expect(replay.status).toBe(401);
    expect(replay.headers.getSetCookie()).toEqual([]);

    // Elastic's dark-mode switch: the plugin tells the frame, the app follows.
    await page.locator('#taskmenu a.theme').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('dark-mode'))).toBe(true);
    await expect.poll(() => htmlClasses(frame)).toContain('theme-dark');
    const background = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(17, 20, 24)');

    // A setting changed in the frame is the user's real setting.
    await turnVacationOnInFrame(frame, 'alice', 'Vacation');
    expect(problems).toEqual([]);
  });

  it('phone, 360 px, dark, Greek: gandre01 sees the app in Greek and dark, fitting the screen', async () => {
    const page = await rc.newPage({ width: 360, height: 740, colorScheme: 'dark', locale: 'el-GR' });
    await rc.signIn(page, 'gandre01', 'gandre01-demo-pass');
    const frame = await rc.openMailSettings(page, 'Ρυθμίσεις αλληλογραφίας');

    expect(frame.url()).toContain('#/?embedded=1&lang=el&theme=dark');
    await frame.getByRole('heading', { level: 1, name: 'Επισκόπηση' }).waitFor();
    await frame.getByText('Γιώργος Ανδρέου').waitFor();
    expect(await frame.evaluate(() => document.documentElement.lang)).toBe('el');
    expect(await htmlClasses(frame)).toEqual(expect.arrayContaining(['embedded', 'theme-dark']));

    const box = (await page.locator('#emailng-settings-frame').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(box.width).toBeGreaterThan(340);
    expect(box.height).toBeGreaterThan(500);
    expect(await frame.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await turnVacationOnInFrame(frame, 'gandre01', 'Αυτόματη απάντηση');
  });
});

describe('framing and bad tokens in the browser', () => {
  let other: Server;
  let otherUrl: string;

  beforeAll(async () => {
    other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>not the webmail</title><iframe id="f" src="${rc.server.url}/" width="600" height="400"></iframe>`);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => other?.close(() => resolve()));
  });

  it('Chromium refuses to show the app inside a page from another origin (CSP frame-ancestors)', async () => {
    const page = await rc.newPage({ width: 1000, height: 700, colorScheme: 'light', locale: 'en-US' });
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    await page.goto(otherUrl);
    const frame = (await (await page.locator('#f').elementHandle())!.contentFrame())!;
    await expect.poll(() => messages.join('\n'), { timeout: 10_000 }).toMatch(/frame-ancestors/);
    expect(messages.join('\n')).toContain(`Framing '${rc.server.url}/' violates the following Content Security Policy directive: "frame-ancestors ${rc.roundcube.origin}"`);
    expect(messages.join('\n')).toContain('The request has been blocked.');
    // Nothing of the app ran in the frame.
    expect(frame.url()).not.toBe(`${rc.server.url}/`);
    expect(await frame.locator('#app').count()).toBe(0);
  });

  it('a bad token shows "please sign in" in the browser and leaves no session cookie', async () => {
    const page = await rc.newPage({ width: 800, height: 600, colorScheme: 'light', locale: 'en-US' });
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ sub: 'alice', jti: randomBytes(18).toString('base64url') })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(rc.sso.issuer)
      .setAudience(rc.sso.audience)
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(new Uint8Array(rc.sso.secret));
    for (const token of [expired, 'not-a-token']) {
      await page.goto(`${rc.server.url}/sso?token=${token}&lang=en_US`);
      await page.getByRole('heading', { level: 1, name: 'Please sign in' }).waitFor();
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    }
    expect((await page.context().cookies(rc.server.url)).map((c) => c.name)).not.toContain('emailng_session');
  });
});
