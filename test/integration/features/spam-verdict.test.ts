// The spam page's choices reach the site's content filter: saved through the API with the local
// stack's default config (spam.amavisLdap on), they are the amavis attributes amavisd-new reads
// for the next message sent in through it (SMTP 127.0.0.1:10024), and mail lands where the
// page says. The test rule of deploy/amavis/sa-local.cf scores a token 8.0, between the levels.
import { describe, expect, it } from 'vitest';
import { GTUBE, SCORE_8_TOKEN, filterMessage, sendThroughFilter } from '../../support/content-filter';
import { featureTestContext } from '../../support/feature';
import { loadUser, mailboxMessages } from '../../support/stack';

const USER = loadUser(39);
const ctx = featureTestContext(USER);
const SENDER = 'newsletter@example.org';

const standard = { level: 'standard', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' };

let n = 0;
function uniqueSubject(what: string): string {
  n += 1;
  return `verdict ${what} ${process.pid}-${Date.now()}-${n}`;
}

async function saveSpam(body: Record<string, unknown>): Promise<void> {
  const etag = (await ctx.api.request('GET', '/api/spam')).body.etag as string;
  const saved = await ctx.api.request('PUT', '/api/spam', { json: { ...standard, ...body }, headers: { 'if-match': etag } });
  expect(saved.status).toBe(200);
}

async function sendIn(what: string, body: string): Promise<{ subject: string; outcome: string }> {
  const subject = uniqueSubject(what);
  const raw = filterMessage({ from: SENDER, to: USER.mail, subject, body });
  const result = await sendThroughFilter({ from: SENDER, to: USER.mail, raw });
  return { subject, outcome: result.outcome };
}

async function folderOf(subject: string): Promise<string | null> {
  for (const folder of ['INBOX', 'SPAM']) {
    if ((await mailboxMessages(USER.uid, folder)).some((text) => text.includes(subject))) return folder;
  }
  return null;
}

describe('the spam level chosen on the page is the filter’s verdict for the next message', () => {
  it('holds a message scoring 8 when "hold above" is 7, and delivers the next one to SPAM once it is off', async () => {
    await saveSpam({ level: 'strict', discardAbove: 7 });
    const held = await sendIn('held', `Cheap watches ${SCORE_8_TOKEN}`);
    expect(held.outcome).toBe('held');
    expect(await folderOf(held.subject)).toBeNull();
    const list = await ctx.api.request('GET', `/api/quarantine?search=${encodeURIComponent(held.subject)}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);

    await saveSpam({ level: 'strict', discardAbove: null });
    const passed = await sendIn('passed', `Cheap watches ${SCORE_8_TOKEN}`);
    expect(passed.outcome).toBe('passed');
    expect(await folderOf(passed.subject)).toBe('SPAM');
  });

  it('flags and files the same message for Strict (4) and keeps it in the Inbox for Lenient (10)', async () => {
    await saveSpam({ level: 'strict' });
    const strict = await sendIn('strict', `Cheap watches ${SCORE_8_TOKEN}`);
    expect(strict.outcome).toBe('passed');
    expect(await folderOf(strict.subject)).toBe('SPAM');
    const flagged = (await mailboxMessages(USER.uid, 'SPAM')).find((text) => text.includes(strict.subject)) ?? '';
    expect(flagged).toMatch(/^X-Spam-Flag: YES/im);

    await saveSpam({ level: 'lenient' });
    const lenient = await sendIn('lenient', `Cheap watches ${SCORE_8_TOKEN}`);
    expect(lenient.outcome).toBe('passed');
    expect(await folderOf(lenient.subject)).toBe('INBOX');
    const kept = (await mailboxMessages(USER.uid)).find((text) => text.includes(lenient.subject)) ?? '';
    expect(kept).not.toMatch(/^X-Spam-Flag: YES/im);
  });

  it('lets a GTUBE from an allowed sender through the filter to the Inbox', async () => {
    await saveSpam({ level: 'standard', allow: [SENDER] });
    const allowed = await sendIn('allowed', `Please ignore: ${GTUBE}`);
    expect(allowed.outcome).toBe('passed');
    expect(await folderOf(allowed.subject)).toBe('INBOX');

    await saveSpam({ level: 'standard', allow: [] });
    const notAllowed = await sendIn('not allowed', `Please ignore: ${GTUBE}`);
    expect(notAllowed.outcome).toBe('held');
  });
});
