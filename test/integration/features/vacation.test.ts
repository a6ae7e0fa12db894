import { describe, expect, it } from 'vitest';
import { featureTestContext, putActiveScript, scriptNamed } from '../../support/feature';
import { ApiClient } from '../../support/http';
import { deliverMessage, loadUser, mailboxMessages, makeMessage, readOutbox, resetUser, type OutboxMessage } from '../../support/stack';

// Users of this file only: others test on the same stack at the same time.
const USER = loadUser(60);
const OTHER = loadUser(61);

const ctx = featureTestContext(USER);

interface VacationBody {
  enabled: boolean;
  start: string | null;
  end: string | null;
  timeZone: string;
  subject: string;
  message: string;
  intervalDays: number;
  from: string | null;
}

const NICOSIA = 'Europe/Nicosia';
const GREEK_SUBJECT = 'Εκτός γραφείου';
const GREEK_BODY = 'Λείπω μέχρι τις 6 Ιανουαρίου.\n.\nΓια επείγοντα: γραμματεία.';

/** Wall-clock `YYYY-MM-DDTHH:mm` in Nicosia, `days` from now. */
function nicosia(days: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: NICOSIA, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(Date.now() + days * 86_400_000))
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function on(overrides: Partial<VacationBody> = {}): VacationBody {
  return { enabled: true, start: nicosia(-1), end: nicosia(10), timeZone: NICOSIA, subject: GREEK_SUBJECT, message: GREEK_BODY, intervalDays: 7, from: null, ...overrides };
}

async function current(): Promise<{ etag: string; vacation: VacationBody; handEdited: boolean }> {
  const res = await ctx.api.request('GET', '/api/vacation');
  expect(res.status).toBe(200);
  return res.body as unknown as { etag: string; vacation: VacationBody; handEdited: boolean };
}

async function save(body: VacationBody, etag?: string) {
  return ctx.api.request('PUT', '/api/vacation', { json: body, headers: { 'if-match': etag ?? (await current()).etag } });
}

let sequence = 0;
/** A sender address no other test uses, so its replies are told apart in the shared outbox. */
function freshSender(): string {
  sequence += 1;
  return `traveller-${process.pid}-${Date.now()}-${sequence}@example.net`;
}

async function repliesTo(sender: string): Promise<OutboxMessage[]> {
  return (await readOutbox()).filter((m) => m.recipients.includes(sender));
}

async function deliverFrom(sender: string, headers: Record<string, string> = {}, to = USER.mail) {
  await deliverMessage({ to: USER.uid, from: sender, raw: makeMessage({ from: sender, to, subject: 'Question', headers }) });
}

describe('vacation (happy)', () => {
  it('starts off, with defaults and all the user’s addresses to choose from', async () => {
    const view = (await ctx.api.request('GET', '/api/vacation')).body;
    expect(view.vacation).toEqual({ enabled: false, start: null, end: null, timeZone: NICOSIA, subject: '', message: '', intervalDays: 7, from: null });
    expect((view.addresses as Array<{ address: string }>).map((a) => a.address)).toEqual([USER.mail, USER.alias]);
    expect(view.foreignScript).toBeNull();
  });

  it('replies exactly once per sender within the interval, with the Greek subject and body correctly encoded', async () => {
    const saved = await save(on());
    expect(saved.status).toBe(200);
    expect((saved.body.vacation as VacationBody).start).toBe(on().start);
    const sender = freshSender();
    await deliverFrom(sender);
    await deliverFrom(sender);
    const replies = await repliesTo(sender);
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(reply.sender).toBe(''); // the null sender: bounces of a reply go nowhere
    expect(reply.raw).toMatch(/^Auto-Submitted: auto-replied/m);
    // RFC 2047 encoded-word for the subject; decode it.
    const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(reply.raw)?.[1] ?? '';
    expect(decodeWords(subject)).toBe(GREEK_SUBJECT);
    expect(reply.raw).toMatch(/charset=utf-8/i);
    expect(decodeBody(reply.raw)).toContain('Λείπω μέχρι τις 6 Ιανουαρίου.\r\n.\r\nΓια επείγοντα');
    // Another sender gets a reply of their own.
    const second = freshSender();
    await deliverFrom(second);
    expect(await repliesTo(second)).toHaveLength(1);
  });

  it('answers mail sent to the user’s alias, because every address is in :addresses', async () => {
    await save(on());
    const sender = freshSender();
    await deliverFrom(sender, {}, USER.alias);
    expect(await repliesTo(sender)).toHaveLength(1);
  });

  it('does not reply outside the window, to mailing lists, bulk mail, spam or the user’s own address', async () => {
    await save(on({ start: nicosia(2), end: nicosia(5) }));
    const early = freshSender();
    await deliverFrom(early);
    expect(await repliesTo(early)).toHaveLength(0);

    await save(on());
    const list = freshSender();
    await deliverFrom(list, { 'List-Id': '<seminar.cs.ucy.ac.cy>' });
    const bulk = freshSender();
    await deliverFrom(bulk, { Precedence: 'bulk' });
    const spam = freshSender();
    await deliverFrom(spam, { 'X-Spam-Flag': 'YES', 'X-Spam-Score': '9.5' });
    await deliverMessage({ to: USER.uid, from: USER.alias, raw: makeMessage({ from: USER.alias, to: USER.mail, subject: 'note to self' }) });
    for (const s of [list, bulk, spam, USER.alias]) expect(await repliesTo(s), s).toHaveLength(0);
    // The spam was filed, not lost.
    expect((await mailboxMessages(USER.uid, 'SPAM')).some((m) => m.includes(spam))).toBe(true);
  });

  it('turned off: no replies, and the message is kept for next time', async () => {
    await save(on());
    const off = await save(on({ enabled: false }));
    expect(off.status).toBe(200);
    expect((off.body.vacation as VacationBody).message).toBe(GREEK_BODY);
    const sender = freshSender();
    await deliverFrom(sender);
    expect(await repliesTo(sender)).toHaveLength(0);
    expect(await ctx.script()).not.toMatch(/^\s*vacation /m);
  });

  it('writes the same script when the same range is saved again, across a DST change and at midnight', async () => {
    const range = { start: '2027-03-27T00:00', end: '2027-03-29T00:00' }; // spans the jump to EEST on 28 March
    await save(on(range));
    const first = await ctx.script();
    expect(first).toContain('"2027-03-26T22:00:00"'); // midnight EET = 22:00 UTC the day before
    expect(first).toContain('"2027-03-28T21:00:00"'); // midnight EEST = 21:00 UTC the day before
    for (let i = 0; i < 3; i++) {
      const view = await current();
      expect(view.vacation.start).toBe(range.start);
      expect(view.vacation.end).toBe(range.end);
      await save(view.vacation, view.etag);
      expect(await ctx.script()).toBe(first);
    }
  });

  it('keeps a filter the user wrote by hand, byte for byte, when saving vacation', async () => {
    const own = 'require ["fileinto"];\r\n# my own rule, keep it\r\nif header :contains "subject" "[cs101]" { fileinto "CS101"; }\r\n';
    await putActiveScript(ctx.server.services.config, USER.uid, 'emailng', own);
    await save(on());
    const after = await ctx.script();
    expect(after).toContain('# my own rule, keep it\r\nif header :contains "subject" "[cs101]" { fileinto "CS101"; }\r\n');
    expect(after.indexOf('# emailng:begin vacation')).toBeLessThan(after.indexOf('# my own rule'));
  });
});

/** An address with this local part at a domain no other test uses. */
function machine(localPart: string): string {
  sequence += 1;
  return `${localPart}@m-${process.pid}-${Date.now()}-${sequence}.example.net`;
}

/** Delivers with `envelope` as MAIL FROM and `fromHeader` (display name and all) as From. */
async function deliverAs(envelope: string, fromHeader: string, headers: Record<string, string> = {}) {
  await deliverMessage({ to: USER.uid, from: envelope, raw: makeMessage({ from: fromHeader, to: USER.mail, subject: 'Your notification', headers }) });
}

async function saveSpamLevel(level: 'off' | 'lenient') {
  const view = await ctx.api.request('GET', '/api/spam');
  const res = await ctx.api.request('PUT', '/api/spam', {
    json: { level, threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' },
    headers: { 'if-match': view.body.etag as string },
  });
  expect(res.status, res.text).toBe(200);
}

describe('vacation never answers machines or flagged spam', () => {
  it('shows whom it never answers: the site’s list of machine local parts, and flagged spam', async () => {
    const view = (await ctx.api.request('GET', '/api/vacation')).body as { neverAnswered: { localParts: string[]; flaggedSpam: boolean } };
    expect(view.neverAnswered.flaggedSpam).toBe(true);
    expect(view.neverAnswered.localParts).toEqual(expect.arrayContaining(['noreply', 'no-reply', 'do-not-reply', 'donotreply', 'notifications', 'bounces']));
  });

  it('stays silent for no-reply, notification and bounce senders, in any case, behind a display name or a +detail', async () => {
    expect((await save(on())).status).toBe(200);
    const silent: Array<[envelope: string, from: (envelope: string) => string]> = [
      [machine('noreply'), (e) => `"GitHub" <${e}>`],
      [machine('NoReply'), (e) => e],
      [machine('No-Reply'), (e) => `Τράπεζα Κύπρου <${e}>`],
      [machine('DO-NOT-REPLY'), (e) => `"Do Not Reply, Bank" <${e}>`],
      [machine('donotreply'), (e) => `=?utf-8?B?zpXOuc60zr/PgM6/zq/Ot8+Dzrc=?= <${e}>`],
      [machine('Notifications'), (e) => `"Notifications" <${e}>`],
      [machine('notifications+a1b2c3'), (e) => `Jira <${e}>`],
      [machine('bounces+12345-abcd=cs.ucy.ac.cy'), () => `"Newsletter" <news@shop.example>`], // a VERP envelope sender
    ];
    for (const [envelope, from] of silent) await deliverAs(envelope, from(envelope));
    for (const [envelope] of silent) expect(await repliesTo(envelope), envelope).toHaveLength(0);

    // A person's envelope sender, but the From is a robot: still no reply.
    const person = freshSender();
    await deliverAs(person, `"Moodle" <No_Reply@${person.split('@')[1]}>`);
    expect(await repliesTo(person)).toHaveLength(0);

    // People whose names only look like it still get their reply.
    for (const local of ['noreplyfan', 'no.reply.office', 'bouncer']) {
      const human = machine(local);
      await deliverAs(human, `"noreply" <${human}>`);
      expect(await repliesTo(human), human).toHaveLength(1);
    }
  });

  it.each(['off', 'lenient'] as const)('does not answer mail the site flagged as spam at level %s, which stays in the INBOX', async (level) => {
    await saveSpamLevel(level);
    expect((await save(on())).status).toBe(200);
    const flagged = freshSender();
    const subject = `flagged ${level} ${flagged}`;
    await deliverMessage({ to: USER.uid, from: flagged, raw: makeMessage({ from: flagged, to: USER.mail, subject, headers: { 'X-Spam-Flag': 'YES', 'X-Spam-Score': '7.2' } }) });
    const lowerCase = freshSender();
    await deliverFrom(lowerCase, { 'X-Spam-Flag': 'yes', 'X-Spam-Score': '6.5' });
    const clean = freshSender();
    await deliverFrom(clean, { 'X-Spam-Flag': 'NO', 'X-Spam-Score': '7.2' });
    expect((await mailboxMessages(USER.uid, 'INBOX')).some((m) => m.includes(subject))).toBe(true);
    expect(await repliesTo(flagged)).toHaveLength(0);
    expect(await repliesTo(lowerCase)).toHaveLength(0);
    expect(await repliesTo(clean)).toHaveLength(1);
  });
});

describe('vacation follows the user’s aliases', () => {
  it('adds a new alias to :addresses in the same operation, and removes it again', async () => {
    await save(on());
    const alias = `away-${process.pid}-${Date.now() % 100000}@cs.ucy.ac.cy`;
    const added = await ctx.api.request('PUT', '/api/aliases/additional', { json: { address: alias } });
    try {
      expect(added.status).toBe(200);
      expect(await ctx.script()).toMatch(new RegExp(`:addresses \\[[^\\]]*"${alias.replace(/[.]/g, '\\.')}"`));
      const sender = freshSender();
      await deliverFrom(sender, {}, alias);
      expect(await repliesTo(sender)).toHaveLength(1);
    } finally {
      expect((await ctx.api.request('DELETE', '/api/aliases/additional')).status).toBe(200);
    }
    expect(await ctx.script()).not.toContain(alias);
  });
});

describe('vacation (conflicts and other scripts)', () => {
  it('refuses a save without If-Match, and a save over someone else’s change, keeping theirs', async () => {
    expect((await ctx.api.request('PUT', '/api/vacation', { json: on() })).status).toBe(428);
    const seen = (await current()).etag;
    const otherTab = new ApiClient(ctx.server.url);
    await otherTab.signIn(USER.uid, USER.password);
    expect((await otherTab.request('PUT', '/api/vacation', { json: on({ subject: 'first' }), headers: { 'if-match': seen } })).status).toBe(200);
    const late = await save(on({ subject: 'second' }), seen);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('conflict');
    expect((late.body.current as { vacation: VacationBody }).vacation.subject).toBe('first');
    expect((await current()).vacation.subject).toBe('first');
  });

  it('asks to take over another active script, then keeps every rule of it', async () => {
    const roundcube = 'require ["fileinto"];\r\n# rule:[lists]\r\nif header :contains "list-id" "seminar" {\r\n\tfileinto "Lists";\r\n}\r\n';
    await putActiveScript(ctx.server.services.config, USER.uid, 'roundcube', roundcube);
    const view = await current();
    expect(view).toMatchObject({ foreignScript: { name: 'roundcube' } });
    const refused = await save(on(), view.etag);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('foreign_script_active');
    expect(await ctx.script()).toBe(roundcube);

    expect((await ctx.api.request('POST', '/api/script/take-over', { json: {} })).status).toBe(200);
    expect((await save(on())).status).toBe(200);
    const after = await ctx.script();
    expect(after).toContain('# rule:[lists]\r\nif header :contains "list-id" "seminar" {\r\n\tfileinto "Lists";\r\n}\r\n');
    expect(after).toContain('# emailng:begin vacation');
    // Roundcube's own script is still there, untouched.
    expect(await scriptNamed(ctx.server.services.config, USER.uid, 'roundcube')).toBe(roundcube);
  });
});

describe('vacation written elsewhere in the user’s Sieve', () => {
  it('refuses a second auto-reply (Pigeonhole would then run no filter at all) and says why', async () => {
    const own = 'require ["vacation", "fileinto"];\r\n# rule:[away]\r\nif true\r\n{\r\n\tvacation :days 3 "Gone fishing";\r\n}\r\n# rule:[work]\r\nif header :contains "subject" "work" { fileinto "Work"; }\r\n';
    await putActiveScript(ctx.server.services.config, USER.uid, 'emailng', own);
    const view = await current();
    expect((view as unknown as { vacationElsewhere: boolean }).vacationElsewhere).toBe(true);
    const refused = await save(on(), view.etag);
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ enabled: 'vacation_elsewhere' });
    expect(await ctx.script()).toBe(own);
    // Turning it off (keeping a message for later) is still allowed: it adds no reply.
    expect((await save(on({ enabled: false }), view.etag)).status).toBe(200);
  });
});

describe('vacation (bad input changes nothing)', () => {
  const cases: Array<[string, Partial<VacationBody> | Record<string, unknown>, Record<string, string>]> = [
    ['end before start', { start: nicosia(5), end: nicosia(2) }, { end: 'end_before_start' }],
    ['end in the past', { start: nicosia(-5), end: nicosia(-2) }, { end: 'end_in_past' }],
    ['impossible date', { start: '2027-02-30T10:00' }, { start: 'invalid' }],
    ['unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, { timeZone: 'invalid' }],
    ['header injection in the subject', { subject: 'Away\r\nBcc: victim@example.org' }, { subject: 'line_break' }],
    ['a 100 KB message', { message: 'x'.repeat(100_000) }, { message: 'too_long' }],
    ['an empty message while on', { message: '   ' }, { message: 'required' }],
    ['a NUL in the message', { message: 'a\u0000b' }, { message: 'invalid' }],
    ['interval of zero days', { intervalDays: 0 }, { intervalDays: 'out_of_range' }],
    ['interval that is not a number', { intervalDays: 'seven' }, { intervalDays: 'invalid' }],
    ['a From address that is not the user’s', { from: 'ceo@cs.ucy.ac.cy' }, { from: 'not_own_address' }],
    ['a From address with a line break', { from: `${USER.mail}\r\nBcc: victim@example.org` }, { from: 'not_own_address' }],
    ['a vertical tab in the subject', { subject: 'Away\u000bnow' }, { subject: 'control_character' }],
    ['a form feed in the subject', { subject: 'Away\u000c' }, { subject: 'control_character' }],
    ['DEL in the subject', { subject: 'Away\u007f' }, { subject: 'control_character' }],
    ['a C1 control (NEL) in the subject', { subject: 'Εκτός\u0085γραφείου' }, { subject: 'control_character' }],
    ['a right-to-left override in the subject', { subject: 'Away \u202Eelif.exe' }, { subject: 'format_character' }],
    ['a byte order mark in the subject', { subject: '\uFEFFAway' }, { subject: 'format_character' }],
    ['a zero-width space in the subject', { subject: 'Aw\u200Bay' }, { subject: 'format_character' }],
    ['a bell in the message', { message: 'Back soon\u0007' }, { message: 'control_character' }],
    ['an escape sequence in the message', { message: 'Back \u001b[31msoon' }, { message: 'control_character' }],
    ['a bidi isolate in the message', { message: 'Back \u2067soon\u2069' }, { message: 'format_character' }],
  ];

  it.each(cases)('%s', async (_name, change, fields) => {
    await save(on());
    const before = await current();
    const script = await ctx.script();
    const res = await ctx.api.request('PUT', '/api/vacation', { json: { ...on(), ...change }, headers: { 'if-match': before.etag } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation');
    expect(res.body.fields).toMatchObject(fields);
    expect((await current()).etag).toBe(before.etag);
    expect(await ctx.script()).toBe(script);
  });

  it('turns a TAB in the subject into a space and shows the result; keeps TABs, emoji joiners and Greek in every form in the message', async () => {
    const message = 'Στήλη\tτιμή\nΟδυσσέας 👩\u200D💻\nΑΝΑΚΟΙΝΩΣΗ, ανακοίνωση, ανακοι\u0301νωση, ΐ, ς σ Σ';
    const saved = await save(on({ subject: 'Εκτός\tγραφείου\t(ξανά)', message }));
    expect(saved.status, saved.text).toBe(200);
    expect((saved.body.vacation as VacationBody).subject).toBe('Εκτός γραφείου (ξανά)');
    expect((await current()).vacation).toMatchObject({ subject: 'Εκτός γραφείου (ξανά)', message });
    const sender = freshSender();
    await deliverFrom(sender);
    const [reply] = await repliesTo(sender);
    expect(decodeWords(/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(reply!.raw)?.[1] ?? '')).toBe('Εκτός γραφείου (ξανά)');
    expect(decodeBody(reply!.raw)).toContain('Στήλη\tτιμή\r\nΟδυσσέας 👩\u200D💻');
  });

  it('keeps a "." line in the message exactly (dot-stuffing)', async () => {
    await save(on({ message: 'one\n.\n..\ntwo' }));
    expect((await current()).vacation.message).toBe('one\n.\n..\ntwo');
  });

  it('does not let another user’s session read or change this user’s vacation', async () => {
    await save(on({ subject: 'mine' }));
    await resetUser(OTHER.uid); // benchmarks use the load users too
    const other = new ApiClient(ctx.server.url);
    await other.signIn(OTHER.uid, OTHER.password);
    expect(((await other.request('GET', '/api/vacation')).body.vacation as VacationBody).subject).toBe('');
    expect((await current()).vacation.subject).toBe('mine');
  });
});

/** Decodes RFC 2047 encoded-words (B and Q) in a header value. */
function decodeWords(value: string): string {
  return value
    .replace(/\r\n[ \t]/g, ' ')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** The body of a single-part message, transfer-decoded. */
function decodeBody(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const encoding = /^Content-Transfer-Encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    return Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return body;
}
