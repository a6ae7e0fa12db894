import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadUser } from '../support/stack';
import { putActiveScript } from '../support/feature';
import { useSettingsSuite } from './settings-support';

// One palette (web/src/styles/main.css), its two sides chosen by the browser's preference or,
// embedded, by Roundcube's mode (the `theme-light` / `theme-dark` classes that useEmbedded
// sets; roundcube.test.ts covers setting them from Roundcube itself), the Sieve editor's
// colours included. User load074.

const USER = loadUser(74).uid;
const suite = useSettingsSuite({ users: [USER], hash: '#/vacation' });

const LIGHT = { bg: 'rgb(244, 245, 247)', text: 'rgb(26, 29, 33)', accent: 'rgb(10, 88, 176)', warning: 'rgb(138, 90, 0)' };
const DARK = { bg: 'rgb(17, 20, 24)', text: 'rgb(232, 235, 239)', accent: 'rgb(122, 184, 255)', warning: 'rgb(242, 196, 107)' };

async function colours(page: Page, theme: 'light' | 'dark' | null): Promise<typeof LIGHT> {
  return page.evaluate((t) => {
    if (t) document.documentElement.classList.add(`theme-${t}`);
    const body = getComputedStyle(document.body);
    const probe = document.createElement('span');
    document.body.append(probe);
    probe.style.color = 'var(--warning)';
    const warning = getComputedStyle(probe).color;
    probe.remove();
    return {
      bg: body.backgroundColor,
      text: body.color,
      accent: getComputedStyle(document.querySelector('.app-nav__link--current')!).color,
      warning,
    };
  }, theme);
}

describe('colour scheme', () => {
  for (const [scheme, theme, want] of [
    ['light', null, LIGHT],
    ['dark', null, DARK],
    ['light', 'dark', DARK],
    ['dark', 'light', LIGHT],
  ] as const) {
    it(`system ${scheme}${theme ? `, embedded theme-${theme}` : ''}: the ${want === DARK ? 'dark' : 'light'} side`, async () => {
      const { page, problems } = await suite.open(USER, { colorScheme: scheme });
      expect(await colours(page, theme)).toEqual(want);
      expect(problems).toEqual([]);
    });
  }

  // The raw editor's Sieve colours follow the same switch (they followed only the system's).
  for (const [scheme, theme, want] of [
    ['light', 'dark', 'rgb(140, 196, 255)'],
    ['dark', 'light', 'rgb(10, 78, 160)'],
  ] as const) {
    it(`the Sieve editor: system ${scheme}, embedded theme-${theme}`, async () => {
      const config = suite.server.services.config;
      await putActiveScript(config, USER, config.sieve.scriptName, 'require ["fileinto"];\n');
      const { page, problems } = await suite.open(USER, { colorScheme: scheme });
      await page.goto(`${suite.server.url}/?lang=en#/filters/raw`);
      await page.locator('.sv-command').first().waitFor();
      const command = await page.evaluate((t) => {
        document.documentElement.classList.add(`theme-${t}`);
        return getComputedStyle(document.querySelector('.sv-command')!).color;
      }, theme);
      expect(command).toBe(want);
      expect(problems).toEqual([]);
    });
  }
});
