import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DOMAIN, MAIL_DIR, deliverMessage, loadUser, makeMessage } from '../support/stack';
import { activeScript } from '../support/feature';
import { seriousAxeViolations } from './helpers';
import { useSettingsSuite } from './settings-support';

// The rule editor's has-flag, spam-score and group conditions through the real UI, the API
// and the local stack, in English at 1280 px and Greek at 360 px: a rule built from all three
// is saved as the Sieve it says, the list sums it up in words, and LMTP-delivered mail is
// flagged exactly when the words say so. Users load094 and load096 are this suite's own.

const EN = loadUser(94).uid;
const EL = loadUser(96).uid;
const suite = useSettingsSuite({ users: [EN, EL], hash: '#/filters' });

/** Builds: From ends with @billing…, any of (Subject invoice / τιμολόγιο), spam score below 5, no $Done flag → flag. */
async function buildRule(page: Page): Promise<void> {
  await page.locator('#filters-add').click();
  await page.locator('#rule-name').fill('Billing');
  await page.locator('#rule-conditions-0-operator').selectOption('ends');
  await page.locator('#rule-conditions-0-value').fill('@billing.example.com');

  await page.locator('#rule-add-condition').click();
  await page.locator('#rule-conditions-1-type').selectOption('group');
  expect(await page.locator('#rule-conditions-1-match').inputValue()).toBe('any');
  await page.locator('#rule-conditions-1-conditions-0-value').fill('invoice');
  await page.locator('#rule-conditions-1-conditions-1-value').fill('τιμολόγιο');
  // Inside a group there is no group to choose.
  expect(await page.locator('#rule-conditions-1-conditions-0-type option[value=group]').count()).toBe(0);

  await page.locator('#rule-add-condition').click();
  await page.locator('#rule-conditions-2-type').selectOption('spamscore');
  await page.locator('#rule-conditions-2-comparison').selectOption('lt');
  await page.locator('#rule-conditions-2-percent').fill('5');
  await page.locator('#rule-conditions-2-percent').blur();

  await page.locator('#rule-add-condition').click();
  await page.locator('#rule-conditions-3-type').selectOption('hasflag');
  await page.locator('#rule-conditions-3-negate').selectOption('no');
  await page.locator('#rule-conditions-3-flags').fill('$Done');
  await page.locator('#rule-conditions-3-flags').blur();

  await page.locator('#rule-actions-0-type').selectOption('flag');
}

async function save(page: Page): Promise<void> {
  await page.locator('#rule-save').click();
  const ok = page.locator('.save-bar__status').filter({ hasText: /\S/ });
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await ok.or(alert).first().waitFor();
  if (await alert.count()) throw new Error(`save failed in the UI: ${await alert.first().textContent()} ${(await page.locator('.field-error').allTextContents()).join(' | ')}`);
}

const SIEVE =
  'if allof (address :all :matches "from" "*@billing.example.com", anyof (header :contains "subject" "invoice", header :regex "subject" "(τ|Τ)';
const SIEVE_TAIL = 'spamtest :percent :value "lt" :comparator "i;ascii-numeric" "25", not hasflag "$Done")';

/** Delivers four messages and says, for each subject, whether it landed in the Inbox flagged. */
async function flaggedOf(uid: string): Promise<Record<string, boolean>> {
  const send = (subject: string, score: string, from = 'pay@billing.example.com') =>
    deliverMessage({ to: uid, from, raw: makeMessage({ from: `"Billing" <${from}>`, to: `${uid}@${DOMAIN}`, subject, headers: { 'X-Spam-Score': score } }) });
  await send('Invoice 12', '1.0');
  await send('ΤΙΜΟΛΟΓΙΟ 13', '4.9');
  await send('invoice 14', '5.0'); // 25 % of 20: not below
  await send('hello', '0.1');
  // Maildir keeps the flags in the file name (`:2,F` = \Flagged).
  const inbox = path.join(MAIL_DIR, uid, 'Maildir');
  const out: Record<string, boolean> = {};
  for (const sub of ['new', 'cur']) {
    for (const file of await readdir(path.join(inbox, sub)).catch(() => [] as string[])) {
      const subject = /^Subject: (.*)$/m.exec(await readFile(path.join(inbox, sub, file), 'utf8'))?.[1]?.trim() ?? '';
      out[subject] = /:2,[A-Za-z]*F/.test(file);
    }
  }
  return out;
}

describe('rule editor: has-flag, spam-score and group conditions', () => {
  it.each([
    ['en', EN, 1280, 'From ends with “@billing.example.com” and (Subject contains “invoice” or Subject contains “τιμολόγιο”', 'Spam score < 5 (of 20', 'no rule above marked it $Done'],
    ['el', EL, 360, 'Από τελειώνει σε “@billing.example.com” και (Θέμα περιέχει “invoice” ή Θέμα περιέχει “τιμολόγιο”', 'Βαθμός spam < 5 (από 20', 'κανένας κανόνας πιο πάνω δεν το σημείωσε $Done'],
  ] as const)('%s: built in the UI, saved as its Sieve, summed up in words, and delivery agrees', async (lang, uid, width, words1, words2, words3) => {
    const { page, get, problems } = await suite.open(uid, { lang, width, height: 900 });
    await buildRule(page);
    expect(await page.locator('#rule-conditions-2-percent').inputValue()).toBe('5');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await save(page);

    const summary = (await page.locator('.filter-item__summary').first().textContent()) ?? '';
    expect(summary).toContain(words1);
    expect(summary).toContain(words2);
    expect(summary).toContain(words3);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const script = await activeScript(suite.server.services.config, uid);
    expect(script).toContain(SIEVE);
    expect(script).toContain(SIEVE_TAIL);
    const view = await get<{ items: Array<{ kind: string; rule?: { conditions: Array<{ type: string }> } }> }>('/api/filters');
    expect(view.items[0]?.rule?.conditions.map((c) => c.type)).toEqual(['from', 'group', 'spamscore', 'hasflag']);

    expect(await flaggedOf(uid)).toEqual({ 'Invoice 12': true, 'ΤΙΜΟΛΟΓΙΟ 13': true, 'invoice 14': false, hello: false });
    expect(problems).toEqual([]);
  });
});
