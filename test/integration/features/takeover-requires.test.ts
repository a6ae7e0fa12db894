// A script the user had before (written by Roundcube, with its own `require`) is taken over;
// vacation and a new rule are added through the API. What the server holds afterwards: the
// script's own `require` and rules byte for byte, one `require` of the app's below them with
// only what they lack, each extension required once; the server checks it clean, and LMTP
// delivery follows both the old rules and the new ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScript } from '../../../api/src/sieve/parser.js';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { deliverMessage, loadUser, makeMessage, readOutbox, resetUser } from '../../support/stack';
import { activeScript, asInput, folderMessages, getFilters, newRule, putFilters, subjectContains, withSieve } from './filters-support';

// Users of this file only.
const USER = loadUser(50);

const ROUNDCUBE_REQUIRE = 'require ["fileinto","imap4flags","date","relational"];\r\n';
const ROUNDCUBE_RULES =
  '# rule:[Newsletters]\r\nif header :contains "list-id" "newsletter.example.org"\r\n{\r\n\tfileinto "Newsletters";\r\n\tstop;\r\n}\r\n' +
  '# rule:[Boss]\r\nif header :is "from" "boss@uni.example"\r\n{\r\n\taddflag "\\\\Flagged";\r\n}\r\n' +
  '# rule:[Millennium]\r\nif currentdate :value "lt" "date" "2000-01-01"\r\n{\r\n\tdiscard;\r\n}\r\n';
const ROUNDCUBE = ROUNDCUBE_REQUIRE + ROUNDCUBE_RULES;

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  await resetUser(USER.uid);
  api = new ApiClient(server.url);
  expect((await api.signIn(USER.uid, USER.password)).status).toBe(200);
});
afterAll(async () => {
  await server.close();
});

/** The extensions of every `require` of a script, statement by statement. */
function requireLists(text: string): string[][] {
  return parseScript(text)
    .commands.filter((c) => c.name === 'require')
    .map((c) => c.arguments.flatMap((a) => (a.type === 'string' ? [a.value] : a.type === 'string-list' ? a.items : [])));
}

async function deliverFrom(from: string, subject: string, headers: Record<string, string> = {}) {
  await deliverMessage({ to: USER.uid, from, raw: makeMessage({ from, to: USER.mail, subject, headers }) });
}

describe('a Roundcube script taken over, then vacation and a rule added', () => {
  it('has one clean require set, passes the server’s check, and delivery follows every rule', async () => {
    await withSieve(server, USER.uid, async (c) => {
      await c.putScript('roundcube', ROUNDCUBE);
      await c.setActive('roundcube');
    });
    expect((await api.request('POST', '/api/script/take-over', { json: {} })).status).toBe(200);
    expect((await api.request('POST', '/api/folders', { json: { name: 'Newsletters' } })).status).toBe(201);

    const vacationView = await api.request('GET', '/api/vacation');
    const vacation = { enabled: true, start: null, end: null, timeZone: 'Europe/Nicosia', subject: 'Away', message: 'Back next week.', intervalDays: 7, from: null };
    const savedVacation = await api.request('PUT', '/api/vacation', { json: vacation, headers: { 'if-match': vacationView.body.etag as string } });
    expect(savedVacation.status, savedVacation.text).toBe(200);
    const afterVacation = await activeScript(server, USER.uid);
    expect(requireLists(afterVacation)).toEqual([
      ['fileinto', 'imap4flags', 'date', 'relational'],
      ['envelope', 'vacation'], // the vacation section tests the envelope sender (machine senders)
    ]);

    const view = await getFilters(api);
    const archive = newRule({ name: 'Archive a copy', conditions: [subjectContains('archive-me')], actions: [{ type: 'fileinto', mailbox: 'Archive', copy: true, create: true }] });
    const savedRule = await putFilters(api, [...asInput(view), archive], view.etag);
    expect(savedRule.status, savedRule.text).toBe(200);

    const script = await activeScript(server, USER.uid);
    // Roundcube's require first and unchanged, then the app's one, rewritten rather than added to.
    expect(script.startsWith(`${ROUNDCUBE_REQUIRE}# emailng:require\r\nrequire ["copy", "envelope", "mailbox", "vacation"];\r\n# emailng:begin vacation\r\n`)).toBe(true);
    const lists = requireLists(script);
    expect(lists).toHaveLength(2);
    const all = lists.flat();
    expect(new Set(all).size).toBe(all.length);
    // Roundcube's rules byte for byte, the new rule after them.
    expect(script).toContain(ROUNDCUBE_RULES + '# rule:[Archive a copy]\r\n');
    // The server took it (PUTSCRIPT) and finds nothing to say about it (CHECKSCRIPT).
    await withSieve(server, USER.uid, async (c) => {
      const active = (await c.listScripts()).find((s) => s.active);
      expect(active?.name).toBe(server.services.config.sieve.scriptName);
      expect(await c.checkScript(script)).toEqual({});
    });

    const stranger = `stranger-${process.pid}-${Date.now()}@example.net`;
    await deliverFrom('boss@uni.example', 'Budget');
    await deliverFrom('news@shop.example', 'This week', { 'List-Id': '<newsletter.example.org>' });
    await deliverFrom(stranger, 'please archive-me');

    const inbox = await folderMessages(server, USER.uid, 'INBOX');
    expect(inbox.find((m) => m.subject === 'Budget')?.flags).toContain('\\Flagged');
    expect((await folderMessages(server, USER.uid, 'Newsletters')).map((m) => m.subject)).toEqual(['This week']);
    expect(inbox.some((m) => m.subject === 'This week')).toBe(false);
    expect((await folderMessages(server, USER.uid, 'Archive')).map((m) => m.subject)).toEqual(['please archive-me']);
    expect(inbox.some((m) => m.subject === 'please archive-me')).toBe(true);
    // Vacation answered the stranger (and, being a list, not the newsletter).
    const replies = (await readOutbox()).filter((m) => m.recipients.includes(stranger));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.raw).toContain('Back next week.');
  });
});
