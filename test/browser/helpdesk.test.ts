import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { GTUBE, filterMessage, sendThroughFilter } from '../support/content-filter';
import { helpdeskDirectory, type HelpdeskDirectory } from '../support/helpdesk';
import { ApiClient } from '../support/http';
import { loadUser, mailboxMessages, resetUser, startPiece } from '../support/stack';
import { newRule, putFilters, subjectContains } from '../integration/features/filters-support';
import { seriousAxeViolations, useBrowserSuite } from './helpers';
import { signInPage, type OpenOptions } from './settings-support';

// The helpdesk page through the real UI, in English and Greek, on a phone and a desktop:
// finding a user by a Greek name typed without accents, explaining mail sent in through the
// stack's real content filter (a GTUBE it held, a clean message the user's filter moved), and
// approving a banned-file release that then arrives in the user's Inbox.
// Users: load071 (the member), load072 (the user helped, renamed in Greek for the file).

const MEMBER = loadUser(71);
const TARGET = loadUser(72);
const token = `hdb${process.pid}x${Date.now()}`;
const exe = {
  name: 'invoice.exe',
  type: 'application/octet-stream',
  content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('This program cannot be run in DOS mode.\r\n')]),
};

let directory: HelpdeskDirectory;
const sent: Record<'gtube' | 'lab', { subject: string; messageId: string }> = { gtube: { subject: '', messageId: '' }, lab: { subject: '', messageId: '' } };

const suite = useBrowserSuite({
  before: async () => {
    for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
    await resetUser(TARGET.uid);
    directory = await helpdeskDirectory({ act: [MEMBER.uid], look: [] });
    await directory.rename(TARGET.uid, 'Σωκράτης', 'Παπαδόπουλος');
  },
  config: (config) => {
    const adjusted = directory.adjust(config);
    return { ...adjusted, quarantine: adjusted.quarantine && { ...adjusted.quarantine, approverGroup: directory.group } };
  },
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
afterAll(async () => {
  await directory?.restore();
  await resetUser(TARGET.uid);
});

async function sendIn(what: 'gtube' | 'lab', body: string, outcome: 'held' | 'passed'): Promise<void> {
  const subject = `${what === 'lab' ? 'lab-report' : what} ${token}`;
  const raw = filterMessage({ from: 'Tester <tester@example.org>', to: TARGET.mail, subject, body });
  expect((await sendThroughFilter({ from: 'tester@example.org', to: TARGET.mail, raw })).outcome).toBe(outcome);
  sent[what] = { subject, messageId: /^Message-ID: <([^>]+)>/m.exec(raw)?.[1] as string };
}

beforeAll(async () => {
  const target = new ApiClient(suite.server.url);
  expect((await target.signIn(TARGET.uid, TARGET.password)).status).toBe(200);
  const rules = await putFilters(target, [newRule({ name: 'Lab reports', conditions: [subjectContains('lab-report')], actions: [{ type: 'fileinto', mailbox: 'Lab', copy: false, create: true }] })]);
  expect(rules.status, rules.text).toBe(200);
  await sendIn('gtube', `Buy now.\n${GTUBE}\n`, 'held');
  await sendIn('lab', 'Results of the week.', 'passed');
});

async function openHelpdesk(opts: OpenOptions): Promise<Page> {
  const signedIn = await signInPage(suite.browser, suite.server, MEMBER.uid, opts);
  contexts.push(signedIn.context);
  await signedIn.page.goto(`${suite.server.url}/?lang=${opts.lang ?? 'en'}#/helpdesk`);
  await signedIn.page.locator('#helpdesk-reason').waitFor();
  return signedIn.page;
}

const WORDS = {
  en: { held: 'Held by the content filter', delivered: 'Delivered', rule: 'The filter “Lab reports” matches it', approved: 'Approved' },
  el: { held: 'Κρατήθηκε από το φίλτρο περιεχομένου', delivered: 'Παραδόθηκε', rule: 'Το φίλτρο «Lab reports» ταιριάζει', approved: 'Εγκρίθηκε' },
} as const;

describe.each([
  ['en', 1280],
  ['el', 360],
  ['el', 1280],
  ['en', 360],
] as const)('helpdesk in %s at %i px', (lang, width) => {
  it('finds the user by a Greek name typed without accents, shows their delivery and explains both messages', async () => {
    const page = await openHelpdesk({ lang, width, height: 800 });
    await page.locator('#helpdesk-reason').fill(`ticket ${lang}-${width}`);
    await page.locator('#helpdesk-search').pressSequentially('σωκρατης παπαδοπ');
    const result = page.locator('.helpdesk-result', { hasText: 'Σωκράτης Παπαδόπουλος' });
    await result.click();
    await expect.poll(() => page.locator('#helpdesk-delivery-heading').textContent()).toContain('Σωκράτης Παπαδόπουλος');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await page.locator('#helpdesk-messageId').fill(`<${sent.gtube.messageId}>`);
    await page.locator('#helpdesk-explain').click();
    const trail = page.locator('.helpdesk-trail__message');
    await expect.poll(() => trail.first().textContent()).toContain(WORDS[lang].held);
    expect(await trail.first().textContent()).toContain('GTUBE');

    await page.locator('#helpdesk-messageId').fill(sent.lab.messageId);
    await page.locator('#helpdesk-explain').click();
    await expect.poll(() => trail.first().textContent()).toContain(WORDS[lang].rule);
    expect(await trail.first().textContent()).toContain(WORDS[lang].delivered);
    expect(await page.locator('body').textContent()).not.toContain('Results of the week');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const looks = (await suite.server.services.activity.list(TARGET.uid, 'helpdesk')).filter((e) => e.reason === `ticket ${lang}-${width}`);
    expect(looks.map((e) => e.what).sort()).toEqual(['delivery', 'explain', 'explain']);
  });
});

describe('the release queue', () => {
  it.each(['en', 'el'] as const)('approves a banned-file release (%s) and the message arrives in the user’s Inbox', async (lang) => {
    const subject = `banned ${lang} ${token}`;
    const raw = filterMessage({ from: 'tester@example.org', to: TARGET.mail, subject, body: 'Please pay.', attachments: [exe] });
    expect((await sendThroughFilter({ from: 'tester@example.org', to: TARGET.mail, raw })).outcome).toBe('held');
    const target = new ApiClient(suite.server.url);
    expect((await target.signIn(TARGET.uid, TARGET.password)).status).toBe(200);
    const held = await target.request('GET', `/api/quarantine?search=${encodeURIComponent(subject)}`);
    const id = (held.body.items as Array<{ id: string }>)[0]?.id as string;
    expect((await target.request('POST', `/api/quarantine/${id}/release`, { json: { allowSender: false } })).status).toBe(202);

    const page = await openHelpdesk({ lang, width: lang === 'el' ? 360 : 1280 });
    await page.locator('#helpdesk-reason').fill('ticket 4713: invoice expected');
    const item = page.locator('.helpdesk-queue__item', { hasText: subject });
    await item.getByRole('button').first().click();
    await expect.poll(() => page.locator('section[aria-labelledby=helpdesk-queue-heading] div[role=status]').textContent()).toContain(WORDS[lang].approved);
    await expect.poll(async () => (await mailboxMessages(TARGET.uid, 'INBOX')).filter((m) => m.includes(subject)).length).toBe(1);
  });
});

// Runs after the suites above (the file's tests run in order): what they did must be on the
// Security page of the user they did it to, in her language, and only members see the Helpdesk entry.
describe('what the user helped sees', () => {
  const SEEN = {
    en: { delivery: 'viewed your delivery settings — reason: “ticket en-1280”', explain: 'traced a message sent to you — reason: “ticket en-1280”', approved: 'approved the release of a message held for you — reason: “ticket 4713: invoice expected”' },
    el: { delivery: 'είδε τις ρυθμίσεις παράδοσης της αλληλογραφίας σας — αιτία: «ticket el-360»', explain: 'αναζήτησε τη διαδρομή ενός μηνύματος προς εσάς — αιτία: «ticket el-360»', approved: 'ενέκρινε την αποδέσμευση ενός μηνύματος που κρατήθηκε για εσάς — αιτία: «ticket 4713: invoice expected»' },
  } as const;

  it.each([
    ['en', 1280],
    ['el', 360],
  ] as const)('her Security page lists every look and the release, with who and why (%s, %i px)', async (lang, width) => {
    const signedIn = await signInPage(suite.browser, suite.server, TARGET.uid, { lang, width, height: 900 });
    contexts.push(signedIn.context);
    const page = signedIn.page;
    await page.goto(`${suite.server.url}/?lang=${lang}#/security`);
    const looks = page.locator('#helpdesk');
    await looks.waitFor();
    const text = (await looks.textContent()) ?? '';
    for (const line of Object.values(SEEN[lang])) expect(text).toContain(line);
    expect(text).toContain(MEMBER.cn);
    expect(await page.locator('nav a[href="#/helpdesk"]').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('a member finds the Helpdesk in the navigation', async () => {
    const page = await openHelpdesk({ lang: 'el', width: 1280 });
    const entry = page.locator('nav a[href="#/helpdesk"]');
    expect(await entry.textContent()).toContain('Υποστήριξη');
    expect(await entry.getAttribute('aria-current')).toBe('page');
  });
});
