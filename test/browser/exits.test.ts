import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { activeScript, putActiveScript } from '../support/feature';
import { DOMAIN, deliverMessage, makeMessage, readOutbox, resetUser } from '../support/stack';
import { seriousAxeViolations, useBrowserSuite } from './helpers';
import { screenshot, signInPage } from './settings-support';

// "This wasn't me" through the real UI with two browser contexts of one user: the other one
// adds a redirect through the raw editor's API; the first sees the alert and the exit on the
// overview, confirms, and the redirect goes (the rest of the script byte for byte), the other
// context is signed out and mail no longer leaves. Users load059 and load060 are this suite's own.

const USERS = { en: 'load059', el: 'load060' } as const;
const suite = useBrowserSuite({
  before: async () => {
    for (const uid of Object.values(USERS)) await resetUser(uid);
  },
});
const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

const BASE = 'require ["fileinto"];\r\n# rule:[Σεμινάρια]\r\nif header :contains "subject" "σεμινάριο"\r\n{\r\n\tfileinto "Seminars";\r\n}\r\n# by hand\r\nkeep;\r\n';

const WORDS = {
  en: { alert: 'started sending your mail on to', dialog: 'will be removed', sessions: 'will be signed out', done: 'other session was signed out' },
  el: { alert: 'άρχισε να στέλνει την αλληλογραφία σας', dialog: 'θα αφαιρεθεί', sessions: 'Θα αποσυνδεθείτε', done: 'Τερματίστηκε 1 άλλη συνεδρία' },
} as const;

async function leaves(uid: string, target: string): Promise<boolean> {
  const subject = `leaves ${Date.now()} ${Math.random()}`;
  await deliverMessage({ to: uid, raw: makeMessage({ to: `${uid}@${DOMAIN}`, subject }) });
  return (await readOutbox()).some((m) => m.recipients.includes(target) && m.raw.includes(subject));
}

describe('alerts and "This wasn’t me"', () => {
  for (const lang of ['en', 'el'] as const) {
    it(`a redirect added elsewhere is shown and removed, the other session ends (${lang})`, async () => {
      const uid = USERS[lang];
      const { server, browser } = suite;
      await putActiveScript(server.services.config, uid, 'emailng', BASE);
      const width = lang === 'el' ? 360 : 1280;
      const mine = await signInPage(browser, server, uid, { lang, width, height: 800 });
      const theirs = await signInPage(browser, server, uid, { lang });
      contexts.push(mine.context, theirs.context);
      await mine.page.locator('#overview-forwarding').waitFor();

      const target = `elsewhere-${Date.now()}@example.net`;
      const withRedirect = `${BASE}redirect "${target}";\r\n`;
      const raw = await theirs.get<{ etag: string }>('/api/script/raw');
      expect((await theirs.put('/api/script/raw', { text: withRedirect }, raw.etag)).status).toBe(200);
      expect(await leaves(uid, target)).toBe(true);

      await mine.page.reload();
      const alert = mine.page.locator('#security-alerts li').filter({ hasText: target });
      await alert.waitFor();
      expect(await alert.textContent()).toContain(WORDS[lang].alert);
      expect(mine.problems).toEqual([]);
      expect(await mine.page.locator('#overview-exits').textContent()).toContain(target);
      expect(await mine.page.locator('#forwarding-warning').textContent()).toContain(target);
      await screenshot(mine.page, `exits-alert-${lang}-${width}`);

      await alert.getByRole('button', { name: lang === 'en' ? 'This wasn’t me' : 'Δεν το έκανα εγώ' }).click();
      const dialog = mine.page.locator('#not-me');
      await dialog.waitFor();
      const said = (await dialog.textContent()) ?? '';
      expect(said).toContain(target);
      expect(said).toContain(WORDS[lang].dialog);
      expect(said).toContain(WORDS[lang].sessions);
      expect(await mine.page.evaluate(() => document.activeElement?.id)).toBe('not-me-cancel');
      expect(await seriousAxeViolations(mine.page)).toEqual([]);
      await mine.page.locator('#not-me-confirm').click();
      const status = mine.page.getByRole('status').filter({ hasText: /\S/ });
      const problem = mine.page.getByRole('alert').filter({ hasText: /\S/ });
      await status.or(problem).first().waitFor();
      if ((await problem.count()) > 0) throw new Error(`"This wasn't me" failed in the UI: ${await problem.first().textContent()}`);
      expect(await status.first().textContent()).toContain(WORDS[lang].done);

      expect(await activeScript(server.services.config, uid)).toBe(BASE);
      expect((await theirs.context.request.get(`${server.url}/api/overview`)).status()).toBe(401);
      expect((await mine.context.request.get(`${server.url}/api/overview`)).status()).toBe(200);
      expect(await leaves(uid, target)).toBe(false);
      await mine.page.locator('#overview-exits').waitFor({ state: 'detached' });
      expect(mine.problems).toEqual([]);
    });
  }
});
