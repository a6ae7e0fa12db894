import { describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { activeScript, scriptNamed } from '../support/feature';
import { DOMAIN, deliverMessage, mailboxMessages, makeMessage, resetUser, waitForOutbox } from '../support/stack';
import { watchPage } from './helpers';
import { filterBox, roundcubeCreate, roundcubeSave, takeOverInApp, useRoundcubeSuite } from './roundcube-support';

// Issue 7's last "must show": a rule made with Roundcube's own managesieve plugin opens in the
// app's filters page as an editable rule, and after the app has edited it Roundcube still reads
// it back. Roundcube 1.6 (Debian's packages, PHP's built-in server) runs its managesieve plugin
// against the director theano (127.0.0.2:14190, plain on loopback) beside our emailng_settings
// plugin; the app is the real API with the built SPA, opened in Roundcube's Mail settings frame
// (single sign-on). Delivery over LMTP proves the edited rule is the one that runs.
// Users load140 (desktop) and load141 (phone) are this suite's own.

const PASSWORD = 'load-pass';
/** Roundcube's own script (managesieve_script_name): never the app's `emailng`. */
const ROUNDCUBE_SCRIPT = 'roundcube';

const rc = useRoundcubeSuite('roundcube-filters', {
  // deploy/roundcube/README.md, "Reading the app's script back in Roundcube": its own script
  // name, the app's history hidden, no second vacation/forwarding page, no set (de)activation.
  managesieve: {
    scriptName: ROUNDCUBE_SCRIPT,
    filenameExceptions: ['emailng.history'],
    vacation: 0,
    forward: 0,
    disabledActions: ['new_set', 'delete_set', 'enable_disable_set'],
  },
});

const newPage = (width: number, height: number): Promise<Page> => rc.newPage({ width, height });
const signInToRoundcube = (page: Page, uid: string): Promise<void> => rc.signIn(page, uid, PASSWORD);

const createFolder = (uid: string, name: string): Promise<void> => rc.createFolder(uid, PASSWORD, name);

async function appRuleNames(frame: Frame): Promise<string[]> {
  return (await frame.locator('.filter-item .filter-item__name > :first-child').allTextContents()).map((s) => s.trim());
}

/** Roundcube's own form: From contains newsletter@example.org → Move message to Newsletters. */
async function createRuleInRoundcube(page: Page, name: string): Promise<void> {
  await rc.openFilters(page);
  const form = await roundcubeCreate(page);
  await form.locator('#_name').fill(name);
  await form.locator('#header0').selectOption('from');
  await form.locator('#rule_op0').selectOption('contains');
  await form.locator('input[name="_rule_target[0][]"]').first().fill('newsletter@example.org');
  await form.locator('#action_type0').selectOption('fileinto');
  await form.locator('#action_mailbox0').selectOption('Newsletters');
  await roundcubeSave(page, form);
  await page.locator('#filterslist tr', { hasText: name }).waitFor({ state: 'attached' });
}

/** Roundcube's Filters again: the filter sets it lists (active first) and the named filter's form. */
async function readBackInRoundcube(page: Page, name: string): Promise<{ sets: string[]; inactive: string[]; form: Frame }> {
  await rc.openFilters(page);
  const sets = (await page.locator('#filtersetslist td.name').allTextContents()).map((x) => x.trim());
  const inactive = (await page.locator('#filtersetslist tr.disabled td.name').allTextContents()).map((x) => x.trim());
  await page.locator('#filterslist tr', { hasText: name }).click();
  return { sets, inactive, form: await filterBox(page, /_action=plugin\.managesieve-action/) };
}

const CASES = [
  { uid: 'load140', width: 1280, height: 800, edit: 'folder' },
  { uid: 'load141', width: 360, height: 740, edit: 'condition' },
] as const;

describe('a Roundcube rule, edited in the app, read back by Roundcube', () => {
  for (const c of CASES) {
    it(`${c.width} px: made with Roundcube's form, taken over and edited in the app (${c.edit}), read back by Roundcube with its name and new content; delivery follows the edit`, async () => {
      const config = rc.server.services.config;
      const name = 'Example newsletter';
      await resetUser(c.uid);
      await createFolder(c.uid, 'Newsletters');
      await createFolder(c.uid, 'Bulletins');
      const page = await newPage(c.width, c.height);
      const problems = watchPage(page);
      await signInToRoundcube(page, c.uid);

      // 1. Roundcube's own form writes and activates its own script.
      await createRuleInRoundcube(page, name);
      const written = await activeScript(config, c.uid);
      expect(written).toBe(await scriptNamed(config, c.uid, ROUNDCUBE_SCRIPT));
      expect(written).toBe(
        ['require ["fileinto"];', `# rule:[${name}]`, 'if allof (header :contains "from" "newsletter@example.org")', '{', '\tfileinto "Newsletters";', '}', ''].join('\r\n'),
      );

      // 2. The app in Roundcube's Mail settings frame (single sign-on): Roundcube's script is
      //    the active one, so the app offers to take it over; after that the rule is the app's.
      const app = await rc.openMailSettings(page);
      await takeOverInApp(app, ROUNDCUBE_SCRIPT);
      await expect.poll(() => appRuleNames(app)).toEqual([name]);
      expect(await app.locator('.filter-item--custom').count()).toBe(0);
      await app.locator('#filter-item-0').click();
      expect(await app.locator('#rule-name').inputValue()).toBe(name);
      expect(await app.locator('#rule-match-all').isChecked()).toBe(true);
      // Roundcube's "From contains" is a header test: it matches the name and the address.
      expect(await app.locator('#rule-conditions-0-type').inputValue()).toBe('from-header');
      expect(await app.locator('#rule-conditions-0-operator').inputValue()).toBe('contains');
      expect(await app.locator('#rule-conditions-0-value').inputValue()).toBe('newsletter@example.org');
      expect(await app.locator('#rule-actions-0-type').inputValue()).toBe('move');
      // The folder picker shows the folder once the folder list has loaded.
      await expect.poll(() => app.locator('#rule-actions-0-mailbox').inputValue()).toBe('Newsletters');

      // 3. Edit it in the app's rule editor and save.
      if (c.edit === 'folder') {
        await app.locator('#rule-actions-0-mailbox').selectOption('Bulletins');
      } else {
        await app.locator('#rule-add-condition').click();
        await app.locator('#rule-conditions-1-type').selectOption('subject');
        await app.locator('#rule-conditions-1-value').fill('Weekly');
      }
      await app.locator('#rule-save').click();
      await app.locator('.save-bar__status').filter({ hasText: /\S/ }).waitFor();
      expect(await app.getByRole('alert').filter({ hasText: /\S/ }).count()).toBe(0);
      expect(await appRuleNames(app)).toEqual([name]);
      if (c.width === 360) expect(await app.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

      // Over ManageSieve: the app's script is active, in Roundcube's format, and apart from the
      // edit it is byte for byte what Roundcube wrote. Roundcube's own script is untouched.
      const edited = await activeScript(config, c.uid);
      expect(edited).toBe(await scriptNamed(config, c.uid, config.sieve.scriptName));
      expect(edited).toBe(
        c.edit === 'folder'
          ? written.replace('fileinto "Newsletters";', 'fileinto "Bulletins";')
          : written.replace(
              'if allof (header :contains "from" "newsletter@example.org")',
              'if allof (header :contains "from" "newsletter@example.org", header :contains "subject" "Weekly")',
            ),
      );
      expect(await scriptNamed(config, c.uid, ROUNDCUBE_SCRIPT)).toBe(written);

      // 4. Roundcube reads it back: the app's set is the active one it opens, the rule has its
      //    name and the new content.
      const back = await readBackInRoundcube(page, name);
      expect(back.sets).toEqual([config.sieve.scriptName, ROUNDCUBE_SCRIPT]);
      expect(back.inactive).toEqual([ROUNDCUBE_SCRIPT]);
      expect(await page.locator('#filterslist td.name').allTextContents()).toEqual([name]);
      expect(await back.form.locator('#_name').inputValue()).toBe(name);
      expect(await back.form.locator('#fenabled').isChecked()).toBe(true);
      expect(await back.form.locator('#_join').inputValue()).toBe('allof');
      expect(await back.form.locator('#header0').inputValue()).toBe('from');
      expect(await back.form.locator('#rule_op0').inputValue()).toBe('contains');
      expect(await back.form.locator('input[name="_rule_target[0][]"]').first().inputValue()).toBe('newsletter@example.org');
      expect(await back.form.locator('#action_type0').inputValue()).toBe('fileinto');
      if (c.edit === 'folder') {
        expect(await back.form.locator('#action_mailbox0').inputValue()).toBe('Bulletins');
      } else {
        expect(await back.form.locator('#header1').inputValue()).toBe('subject');
        expect(await back.form.locator('#rule_op1').inputValue()).toBe('contains');
        expect(await back.form.locator('input[name="_rule_target[1][]"]').first().inputValue()).toBe('Weekly');
        expect(await back.form.locator('#action_mailbox0').inputValue()).toBe('Newsletters');
      }

      // 5. LMTP delivery follows the edited rule.
      const to = `${c.uid}@${DOMAIN}`;
      await deliverMessage({ to: c.uid, raw: makeMessage({ from: 'News <newsletter@example.org>', to, subject: 'Weekly issue 1' }) });
      await deliverMessage({ to: c.uid, raw: makeMessage({ from: 'News <newsletter@example.org>', to, subject: 'Daily issue 2' }) });
      await deliverMessage({ to: c.uid, raw: makeMessage({ from: 'Someone <someone@example.org>', to, subject: 'Weekly hello' }) });
      const subjects = async (box: string) => (await mailboxMessages(c.uid, box)).map((m) => /^Subject: (.*)$/m.exec(m)?.[1]);
      if (c.edit === 'folder') {
        expect(await subjects('Bulletins')).toEqual(['Weekly issue 1', 'Daily issue 2']);
        expect(await subjects('Newsletters')).toEqual([]);
        expect(await subjects('INBOX')).toEqual(['Weekly hello']);
      } else {
        expect(await subjects('Newsletters')).toEqual(['Weekly issue 1']);
        expect((await subjects('INBOX')).sort()).toEqual(['Daily issue 2', 'Weekly hello']);
      }
      expect(problems).toEqual([]);
    }, 120_000);
  }
});

describe("Roundcube re-saving the app's script (what a site must not allow, deploy/roundcube/README.md)", () => {
  it("drops the app's section markers: nothing of the user's is lost — the vacation section comes back as custom Sieve that still replies, the rule stays an editable rule", async () => {
    const config = rc.server.services.config;
    const uid = 'load142';
    const name = 'Example newsletter';
    await resetUser(uid);
    await createFolder(uid, 'Newsletters');
    await createFolder(uid, 'Bulletins');
    const page = await newPage(1280, 800);
    await signInToRoundcube(page, uid);
    await createRuleInRoundcube(page, name);

    // The app takes the script over and adds its own vacation section.
    let app = await rc.openMailSettings(page);
    await takeOverInApp(app, ROUNDCUBE_SCRIPT);
    await expect.poll(() => appRuleNames(app)).toEqual([name]);
    await app.getByRole('navigation').getByRole('link', { name: 'Vacation' }).click();
    await app.locator('#vacation-enabled').check();
    await app.locator('#vacation-message').fill('Away until Monday.');
    await app.locator('.save-bar button[type=submit]').click();
    await app.getByRole('status').filter({ hasText: /\S/ }).waitFor();
    const before = await activeScript(config, uid);
    expect(before).toContain('# emailng:begin vacation');
    expect(before).toContain('# emailng:end vacation');

    // Roundcube opens the app's set: the section is an unnamed filter ("#1") before the rule.
    await rc.openFilters(page);
    expect(await page.locator('#filterslist td.name').allTextContents()).toEqual(['#1', name]);
    // The user changes the rule in Roundcube: Roundcube rewrites the whole script from its model.
    await page.locator('#filterslist tr', { hasText: name }).click();
    const form = await filterBox(page, /_action=plugin\.managesieve-action/);
    await form.locator('#action_mailbox0').selectOption('Bulletins');
    await roundcubeSave(page, form);
    await expect.poll(() => activeScript(config, uid)).toContain('fileinto "Bulletins";');
    const after = await activeScript(config, uid);
    expect(after).not.toContain('# emailng:');
    expect(after).toMatch(/^\s*vacation :days 7 .*"Away until Monday\.";$/m);
    expect(after).toContain(`# rule:[${name}]`);

    // The app: the rule is still an editable rule; the former section is a custom block, kept
    // as Roundcube wrote it. It is not re-created as the app's section: the Vacation page shows
    // the reply as off although the custom block still sends it (see the README).
    app = await rc.openMailSettings(page);
    await app.getByRole('navigation').getByRole('link', { name: 'Filters' }).click();
    await expect.poll(() => app.locator('.filter-item').count()).toBe(2);
    expect(await app.locator('.filter-item').nth(0).getAttribute('class')).toContain('filter-item--custom');
    expect(await app.locator('.filter-item').nth(0).locator('pre').textContent()).toContain('vacation :days 7');
    expect(await app.locator('.filter-item').nth(1).locator('.filter-item__name > :first-child').textContent()).toContain(name);
    await app.getByRole('navigation').getByRole('link', { name: 'Vacation' }).click();
    await app.locator('#vacation-enabled').waitFor();
    expect(await app.locator('#vacation-enabled').isChecked()).toBe(false);

    // Delivery: the rule Roundcube edited files the newsletter; the reply still goes out.
    const sender = `someone-${Date.now()}@example.org`;
    await deliverMessage({ to: uid, from: sender, raw: makeMessage({ from: `Someone <${sender}>`, to: `${uid}@${DOMAIN}`, subject: 'Are you there?' }) });
    const reply = await waitForOutbox((m) => m.recipients.includes(sender));
    expect(reply.raw).toContain('Away until Monday.');
    await deliverMessage({ to: uid, raw: makeMessage({ from: 'News <newsletter@example.org>', to: `${uid}@${DOMAIN}`, subject: 'Issue 3' }) });
    expect((await mailboxMessages(uid, 'Bulletins')).map((m) => /^Subject: (.*)$/m.exec(m)?.[1])).toEqual(['Issue 3']);
  }, 120_000);
});
