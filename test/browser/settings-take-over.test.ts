import { describe, expect, it } from 'vitest';
import { DOMAIN, deliverMessage, loadUser, makeMessage, mailboxMessages, waitForOutbox } from '../support/stack';
import { activeScript, putActiveScript, scriptNamed } from '../support/feature';
import { seriousAxeViolations } from './helpers';
import { saveFails, screenshot, useSettingsSuite } from './settings-support';

// A settings page meeting another active script: "Take over and save" on the vacation page,
// for a user whose app script was there already, switched off when another program activated
// its own. The save lands on top of the other script's rules, the app's earlier script goes
// to the history, and the page says where to find it. Users load075…load076 are this suite's.

const USER = loadUser(75).uid;
const suite = useSettingsSuite({ users: [USER], hash: '#/vacation' });

const OTHER = `require ["fileinto", "mailbox"];
# rule:[Reports]
if header :contains "subject" "weekly report" { fileinto :create "Reports"; }
`;

describe('settings page: take over and save', () => {
  it('saves the vacation reply over the other script’s rules and points to the history for what the app had before', async () => {
    const config = suite.server.services.config;
    const before = 'require ["fileinto"];\n# rule:[Old app rule]\nif header :contains "subject" "old" {\n\tfileinto "INBOX";\n}\n';
    await putActiveScript(config, USER, config.sieve.scriptName, before);
    await putActiveScript(config, USER, 'other', OTHER);

    const { page, problems } = await suite.open(USER);
    const subject = `At a workshop ${Date.now()}`;
    await page.locator('#vacation-enabled').check();
    await page.locator('#vacation-subject').fill(subject);
    expect(await saveFails(page)).toContain('Another filter script is active');
    await page.locator('#take-over').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('#take-over button').click();

    const status = page.getByRole('status').filter({ hasText: 'Your changes are saved.' });
    await status.waitFor();
    expect(await status.textContent()).toContain('Your changes are saved. What this app had saved before the take-over is kept in Filters → History');
    await screenshot(page, 'vacation-take-over-saved');

    const active = await activeScript(config, USER);
    expect(active).toContain('# rule:[Reports]');
    expect(active).toContain(subject);
    expect(await scriptNamed(config, USER, 'other')).toBe(OTHER);
    const history = await suite.server.services.scripts.history(USER);
    expect(history.map((h) => h.summary)).toContain('replaced by taking over script "other"');

    // On real mail: the other script's rule and the new reply both run.
    const sender = `organiser-${Date.now()}@example.org`;
    await deliverMessage({ to: USER, from: sender, raw: makeMessage({ from: sender, to: `${USER}@${DOMAIN}`, subject: 'Your weekly report' }) });
    expect((await waitForOutbox((m) => m.recipients.includes(sender))).raw).toContain(`Subject: ${subject}`);
    expect((await mailboxMessages(USER, 'Reports')).length).toBe(1);
    expect(problems).toEqual([]);
  });
});
