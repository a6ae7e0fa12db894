import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { allScripts } from '../support/feature';
import { ApiClient } from '../support/http';
import type { ManagesieveOptions } from '../support/roundcube';
import { DOMAIN, deliverMessage, mailboxMessages, makeMessage, readOutbox, resetUser, waitForOutbox } from '../support/stack';
import { watchPage } from './helpers';
import { roundcubeCreate, roundcubeSave, takeOverInApp, useRoundcubeSuite, type RoundcubeSuite } from './roundcube-support';
import { screenshot } from './settings-support';

// deploy/roundcube/README.md's "side by side" option: Roundcube 1.6's own managesieve plugin
// kept, with the app's scripts in managesieve_filename_exceptions. Does that keep Roundcube off
// the app's script? Roundcube 1.6 (Debian's packages, PHP's built-in server) against the real
// Dovecot through theano; the user's settings are made through the real API first (a rule and
// a vacation reply: the app's script "emailng" is active and "emailng.history" exists), then
// the user works in Roundcube's Settings → Filters, and every script is read over ManageSieve
// before and after.
//
// What Roundcube 1.6.5 does (plugins/managesieve/lib/Roundcube/rcube_sieve_engine.php):
// list_scripts() reads the ACTIVE script's name before it drops the exceptions from the list,
// and load_script() opens that active script when no set is asked for. So the exceptions
// only hide the names from the set list; the set Roundcube opens, and writes back, is
// "emailng" itself. With 'list_sets' disabled it uses only managesieve_script_name, and makes
// that the active script every time the Filters page opens.
//
// Users load143 and load144 are this file's own.

const PASSWORD = 'load-pass';
/** The app's script and its history (sieve.scriptName in the test config). */
const APP = 'emailng';
const HISTORY = 'emailng.history';
/** Roundcube's own script (managesieve_script_name). */
const ROUNDCUBE_SCRIPT = 'roundcube';
/** The rule the app writes, and the filter the user then makes in Roundcube. */
const APP_RULE = 'Example newsletter';
const RC_FILTER = 'Made in Roundcube';

/** The README's side-by-side settings. */
const SIDE_BY_SIDE: ManagesieveOptions = { scriptName: ROUNDCUBE_SCRIPT, filenameExceptions: [APP, HISTORY], vacation: 0, forward: 0 };

/**
 * The user's settings made in the app (through its API, as the app's pages do): a Newsletters
 * folder, a rule "From contains newsletter@example.org → Newsletters" and a vacation reply. Two
 * saves, so the app's script is active and its history holds the first version.
 */
async function settingsMadeInTheApp(rc: RoundcubeSuite, uid: string): Promise<ApiClient> {
  await resetUser(uid);
  const api = new ApiClient(rc.server.url);
  expect((await api.signIn(uid, PASSWORD)).status).toBe(200);
  expect((await api.request('POST', '/api/folders', { json: { name: 'Newsletters' } })).status).toBeLessThan(300);
  const filters = (await api.request('GET', '/api/filters')).body as { etag: string };
  const rule = {
    kind: 'rule',
    id: 'new-1',
    name: APP_RULE,
    enabled: true,
    match: 'all',
    conditions: [{ type: 'from-header', operator: 'contains', negate: false, value: 'newsletter@example.org' }],
    actions: [{ type: 'fileinto', mailbox: 'Newsletters', copy: false, create: false }],
    stop: false,
  };
  const saved = await api.request('PUT', '/api/filters', { json: { items: [rule] }, headers: { 'if-match': filters.etag } });
  expect(saved.status, saved.text).toBe(200);
  const vacation = (await api.request('GET', '/api/vacation')).body as { etag: string; vacation: Record<string, unknown> };
  const on = await api.request('PUT', '/api/vacation', { json: { ...vacation.vacation, enabled: true, message: 'Away until Monday.' }, headers: { 'if-match': vacation.etag } });
  expect(on.status, on.text).toBe(200);
  return api;
}

/** Roundcube's own form, in the set it has open: Subject contains "from-roundcube" → Move message to Newsletters. */
async function createFilterInRoundcube(rc: RoundcubeSuite, page: Page): Promise<void> {
  await rc.openFilters(page);
  const form = await roundcubeCreate(page);
  await form.locator('#_name').fill(RC_FILTER);
  await form.locator('#header0').selectOption('subject');
  await form.locator('#rule_op0').selectOption('contains');
  await form.locator('input[name="_rule_target[0][]"]').first().fill('from-roundcube');
  await form.locator('#action_type0').selectOption('fileinto');
  await form.locator('#action_mailbox0').selectOption('Newsletters');
  await roundcubeSave(page, form);
  await page.locator('#filterslist tr', { hasText: RC_FILTER }).waitFor({ state: 'attached' });
}

/** A message to `uid` from a sender no other test uses; the vacation reply to it, if any, is in the outbox once delivery returns. */
async function deliverFromStranger(uid: string, subject: string): Promise<string> {
  const sender = `stranger-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.net`;
  await deliverMessage({ to: uid, from: sender, raw: makeMessage({ from: `Stranger <${sender}>`, to: `${uid}@${DOMAIN}`, subject }) });
  return sender;
}

/** Subjects of a folder's messages, oldest first. */
async function subjects(uid: string, folder: string): Promise<Array<string | undefined>> {
  return (await mailboxMessages(uid, folder)).map((m) => /^Subject: (.*)$/m.exec(m)?.[1]);
}

describe("side by side, the app's scripts in managesieve_filename_exceptions (deploy/roundcube/README.md)", () => {
  const rc = useRoundcubeSuite('roundcube-coexistence', { managesieve: SIDE_BY_SIDE });

  it("does not keep Roundcube off the app's script: the set list hides it, but Roundcube opens the active 'emailng' and a filter saved there rewrites 'emailng' in place (markers, :create and text: gone); 'emailng' stays active, no script of Roundcube's own is made, 'emailng.history' is untouched", async () => {
    const config = rc.server.services.config;
    expect([config.sieve.scriptName, `${config.sieve.scriptName}.history`]).toEqual([APP, HISTORY]);
    const uid = 'load143';
    const api = await settingsMadeInTheApp(rc, uid);
    const before = await allScripts(config, uid);
    expect(before.active).toBe(APP);
    expect(Object.keys(before.texts).sort()).toEqual([APP, HISTORY]);
    const appScript = before.texts[APP]!;
    expect(appScript).toContain('# emailng:begin vacation');
    expect(appScript).toContain('fileinto :create "SPAM";');

    const page = await rc.newPage({ width: 1280, height: 800 });
    const problems = watchPage(page);
    await rc.signIn(page, uid, PASSWORD);
    await rc.openFilters(page);
    // The exceptions take the app's scripts out of the set list: it is empty…
    expect(await page.locator('#filtersetslist tr').count()).toBe(0);
    // …yet the set Roundcube has open is the active one, "emailng": its name heads the list,
    // the app's spam and vacation sections are unnamed filters, the app's rule is there by name.
    expect(await page.locator('#filterset-name').textContent()).toBe(APP);
    expect(await page.locator('#filterslist td.name').allTextContents()).toEqual(['#1', '#2', APP_RULE]);
    await screenshot(page, 'roundcube-coexistence-exceptions-1280');
    // Opening the page writes nothing.
    expect(await allScripts(config, uid)).toEqual(before);

    // The user adds a filter in Roundcube: it goes into "emailng", rewritten from Roundcube's model.
    await createFilterInRoundcube(rc, page);
    await expect.poll(async () => (await allScripts(config, uid)).texts[APP]).toContain(`# rule:[${RC_FILTER}]`);
    await screenshot(page, 'roundcube-coexistence-exceptions-saved-1280');
    const after = await allScripts(config, uid);
    // The active script is still "emailng"; Roundcube made no script of its own; the history is byte for byte as it was.
    expect(after.active).toBe(APP);
    expect(Object.keys(after.texts).sort()).toEqual([APP, HISTORY]);
    expect(after.texts[HISTORY]).toBe(before.texts[HISTORY]);
    // "emailng" itself is Roundcube's text now: the sections' begin/end/state markers are gone,
    // `fileinto :create` lost its :create (and "mailbox" its require), the reply's text: block is
    // a quoted string; the app's rule and Roundcube's new filter are `# rule:[…]` rules at the end.
    const rewritten = after.texts[APP]!;
    expect(rewritten).not.toBe(appScript);
    expect(rewritten).not.toMatch(/# emailng:(begin|end|state)/);
    // The vacation section checks the envelope sender (no replies to machines), so Roundcube keeps `envelope` too.
    expect(rewritten).toContain('require ["envelope","fileinto","vacation"];');
    expect(rewritten).toContain('\tfileinto "SPAM";\r\n');
    expect(rewritten).not.toContain(':create');
    expect(rewritten).not.toContain('text:');
    expect(rewritten).toMatch(/^\tvacation :days 7 :addresses \[.*\] "Away until Monday\.";\r$/m);
    expect(rewritten).toMatch(
      new RegExp(
        `# rule:\\[${APP_RULE}\\]\\r\\nif allof \\(header :contains "from" "newsletter@example\\.org"\\)\\r\\n\\{\\r\\n\\tfileinto "Newsletters";\\r\\n\\}\\r\\n` +
          `# rule:\\[${RC_FILTER}\\]\\r\\nif allof \\(header :contains "subject" "from-roundcube"\\)\\r\\n\\{\\r\\n\\tfileinto "Newsletters";\\r\\n\\}\\r\\n$`,
      ),
    );

    // The app: its own script is still the active one, so there is nothing to take over and no
    // notice; the former sections are custom Sieve blocks, its Vacation page shows the reply as off.
    const filters = (await api.request('GET', '/api/filters')).body as { foreignScript: unknown; sections: string[]; items: Array<{ kind: string }> };
    expect(filters.foreignScript).toBeNull();
    expect(filters.sections).toEqual([]);
    expect(filters.items.map((i) => i.kind)).toEqual(['custom', 'custom', 'rule', 'rule']);
    const vacation = (await api.request('GET', '/api/vacation')).body as { vacation: { enabled: boolean }; foreignScript: unknown };
    expect(vacation.vacation.enabled).toBe(false);
    expect(vacation.foreignScript).toBeNull();
    // Roundcube wrote past the app, so the app's history has no copy of the text it replaced.
    const history = (await api.request('GET', '/api/script/history')).body as unknown as Array<{ id: string }>;
    expect(history.length).toBeGreaterThan(0);
    for (const entry of history) {
      expect(((await api.request('GET', `/api/script/history/${entry.id}`)).body as { text: string }).text).not.toBe(appScript);
    }

    // Delivery runs the rewritten script: Roundcube's filter and the app's rule both file.
    const to = `${uid}@${DOMAIN}`;
    await deliverMessage({ to: uid, raw: makeMessage({ from: 'News <newsletter@example.org>', to, subject: 'Issue 1' }) });
    await deliverMessage({ to: uid, raw: makeMessage({ from: 'Someone <someone@example.org>', to, subject: 'from-roundcube test' }) });
    expect(await subjects(uid, 'Newsletters')).toEqual(['Issue 1', 'from-roundcube test']);
    // The reply, now a custom block, is still sent.
    const sender = await deliverFromStranger(uid, 'Are you there?');
    expect((await waitForOutbox((m) => m.recipients.includes(sender))).raw).toContain('Away until Monday.');
    expect(problems).toEqual([]);
  }, 120_000);
});

describe("side by side, exceptions plus managesieve_disabled_actions ['list_sets'] (Roundcube uses only its own script)", () => {
  const rc = useRoundcubeSuite('roundcube-coexistence-own-set', { managesieve: { ...SIDE_BY_SIDE, disabledActions: ['list_sets'] } });

  it("never writes 'emailng', but opening Roundcube's Filters page creates and activates 'roundcube': the app's rule and reply stop running, the app offers the take-over, and the next visit to Roundcube's Filters switches them off again", async () => {
    const config = rc.server.services.config;
    const uid = 'load144';
    const api = await settingsMadeInTheApp(rc, uid);
    const before = await allScripts(config, uid);
    expect(before.active).toBe(APP);
    expect(Object.keys(before.texts).sort()).toEqual([APP, HISTORY]);

    // The app's reply runs while its script is the active one.
    const first = await deliverFromStranger(uid, 'Are you there?');
    expect((await waitForOutbox((m) => m.recipients.includes(first))).raw).toContain('Away until Monday.');

    const page = await rc.newPage({ width: 1280, height: 800 });
    const problems = watchPage(page);
    await rc.signIn(page, uid, PASSWORD);
    // Only opening the page: no set list, no filters (its own script, just made)…
    await rc.openFilters(page);
    expect(await page.locator('#filtersetslist').count()).toBe(0);
    expect(await page.locator('#filterslist td.name').allTextContents()).toEqual([]);
    await screenshot(page, 'roundcube-coexistence-own-set-1280');
    // …and "roundcube" is created and made the active script; the app's scripts keep their bytes.
    const opened = await allScripts(config, uid);
    expect(opened.active).toBe(ROUNDCUBE_SCRIPT);
    expect(opened.texts).toEqual({ ...before.texts, [ROUNDCUBE_SCRIPT]: '/* empty script */' });

    // The app sees another script active and offers the take-over.
    const filters = (await api.request('GET', '/api/filters')).body as { foreignScript: unknown };
    expect(filters.foreignScript).toEqual({ name: ROUNDCUBE_SCRIPT });
    // Sieve runs only the active script: the app's rule no longer files the newsletter, and its
    // reply is no longer sent (a reply is written during delivery, as the first one was).
    const to = `${uid}@${DOMAIN}`;
    await deliverMessage({ to: uid, raw: makeMessage({ from: 'News <newsletter@example.org>', to, subject: 'Issue 1' }) });
    expect(await subjects(uid, 'Newsletters')).toEqual([]);
    const second = await deliverFromStranger(uid, 'Still there?');
    expect(await subjects(uid, 'INBOX')).toEqual(['Are you there?', 'Issue 1', 'Still there?']);
    // Dovecot runs the sendmail capture before it answers the LMTP DATA (the first reply was in
    // the outbox when its delivery returned), so a reply to this one would be there already.
    expect((await readOutbox()).filter((m) => m.recipients.includes(second))).toEqual([]);

    // A filter saved in Roundcube goes into its own script; the app's scripts are still untouched.
    await createFilterInRoundcube(rc, page);
    const saved = await allScripts(config, uid);
    expect(saved.active).toBe(ROUNDCUBE_SCRIPT);
    expect(saved.texts[ROUNDCUBE_SCRIPT]).toBe(
      ['require ["fileinto"];', `# rule:[${RC_FILTER}]`, 'if allof (header :contains "subject" "from-roundcube")', '{', '\tfileinto "Newsletters";', '}', ''].join('\r\n'),
    );
    expect(saved.texts[APP]).toBe(before.texts[APP]);
    expect(saved.texts[HISTORY]).toBe(before.texts[HISTORY]);

    // The user takes it over in the app (Mail settings → Filters → Scripts): "emailng" is active again…
    const app = await rc.openMailSettings(page);
    await takeOverInApp(app, ROUNDCUBE_SCRIPT);
    expect((await allScripts(config, uid)).active).toBe(APP);
    // …until she next opens Roundcube's Filters page: "roundcube" is active again, as it was.
    await rc.openFilters(page);
    const again = await allScripts(config, uid);
    expect(again.active).toBe(ROUNDCUBE_SCRIPT);
    expect(again.texts[ROUNDCUBE_SCRIPT]).toBe(saved.texts[ROUNDCUBE_SCRIPT]);
    expect(problems).toEqual([]);
  }, 120_000);
});
