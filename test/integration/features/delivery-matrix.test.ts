// The delivery matrix (issue 14, item 12): one user per combination of settings, messages
// designed at each boundary, delivered through real LMTP. For every message two things are
// checked against what Dovecot really did (folders and flags over IMAP, replies and redirects
// in the outbox): the outcome the table's author wrote down, and the outcome predicted from the
// structured "what happens" values the API gives the pages their sentences from
// (test/support/delivery-prediction.ts). The second check is what keeps the words honest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSieveUtc, zonedToUtc } from '../../../api/src/shared/zoned-time';
import { assembleScript, type ScriptSettings } from '../../../api/src/sieve/assemble';
import { predictOutcome, type ArrivingMessage, type DeliverySaid, type Outcome, type RuleSaid, type StoredCopy } from '../../support/delivery-prediction';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { SCORE_8_TOKEN, filterMessage, sendThroughFilter } from '../../support/content-filter';
import { deliverMessage, loadUser, mailboxMessages, readOutbox, resetUser, type DemoUser } from '../../support/stack';
import { folderMessages, newRule, subjectContains, withSieve } from './filters-support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

// ---------------------------------------------------------------------------------------
// Settings, as the pages send them

const SITE_TAG_LEVEL = 6.31;
const FORWARD_TO = 'matrix-away@example.net';

function spam(level: string, extra: Record<string, unknown> = {}) {
  return { level, threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard', ...extra };
}

function nicosiaDay(days: number): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Nicosia', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
  return `${day}T00:00`;
}

function vacation(extra: Record<string, unknown> = {}) {
  return {
    enabled: true, start: null, end: nicosiaDay(5), timeZone: 'Europe/Nicosia',
    subject: 'Εκτός γραφείου / Away', message: 'Λείπω. Back soon.', intervalDays: 7, from: null, ...extra,
  };
}

interface Settings {
  /** A script already active before the pages are used: sections written by an earlier version. */
  script?: (user: DemoUser) => ScriptSettings;
  spam?: Record<string, unknown>;
  forwarding?: { addresses: string[]; keepCopy: boolean };
  vacation?: Record<string, unknown>;
  filters?: unknown[];
}

// ---------------------------------------------------------------------------------------
// Messages

interface Probe {
  label: string;
  /** From header; `{n}` becomes a number unique to the message (so each sender is new to vacation). */
  from?: string;
  /** Envelope sender; default: the From address. */
  sender?: string;
  /** The To header: the user's login address (default), her default alias, or another address (a Bcc). */
  to?: 'mail' | 'alias' | string;
  subject?: string;
  /** X-Spam-Score; null (default): not scanned. */
  score?: number | null;
  /** X-Spam-Flag: YES; default: the site's filter flags from its tag level up. */
  flag?: boolean;
  headers?: Record<string, string>;
  expect: Outcome;
}

const copy = (folder: string, flags: Partial<Omit<StoredCopy, 'folder'>> = {}): StoredCopy => ({ folder, seen: false, flagged: false, ...flags });
/** Expected outcome: stored in these folders (unflagged unless given as copies), replied or not, sent on to. */
function lands(where: Array<string | StoredCopy>, more: { replied?: boolean; forwardedTo?: string[] } = {}): Outcome {
  const copies = where.map((w) => (typeof w === 'string' ? copy(w) : w)).sort((a, b) => a.folder.localeCompare(b.folder));
  return { copies, replied: more.replied ?? false, forwardedTo: [...(more.forwardedTo ?? [])].sort() };
}
const GONE: Outcome = lands([]);

let sent = 0;
const RUN = `${process.pid}-${Date.now().toString(36)}`;

interface Sent {
  probe: Probe;
  token: string;
  message: ArrivingMessage;
}

function compose(user: DemoUser, probe: Probe): { raw: string; sent: Sent } {
  sent += 1;
  const token = `dm-${RUN}-${sent}`;
  const from = (probe.from ?? 'Sender {n} <sender{n}@example.org>').replaceAll('{n}', `${RUN}-${sent}`);
  const fromAddress = (/<([^<>]*)>\s*$/.exec(from)?.[1] ?? from).trim();
  const sender = probe.sender === undefined ? fromAddress : probe.sender.replaceAll('{n}', `${RUN}-${sent}`);
  const to = probe.to === 'alias' ? user.alias : probe.to === undefined || probe.to === 'mail' ? user.mail : probe.to;
  const subject = `${probe.subject ?? 'Hello'} [${token}]`;
  const score = probe.score ?? null;
  const relayFlag = probe.flag ?? (score !== null && score >= SITE_TAG_LEVEL);
  const headers: Record<string, string> = {
    ...(score !== null ? { 'X-Spam-Score': score.toFixed(3) } : {}),
    ...(relayFlag ? { 'X-Spam-Flag': 'YES' } : score !== null ? { 'X-Spam-Flag': 'NO' } : {}),
    ...probe.headers,
  };
  const flagged = /^yes$/i.test(headers['X-Spam-Flag'] ?? '');
  const lines = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${token}@example.org>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return {
    raw: `${lines.join('\n')}\n\nΚαλημέρα, hello.\n`,
    sent: { probe, token, message: { from, sender, to, subject, score, flagged, headers, at: new Date() } },
  };
}

// ---------------------------------------------------------------------------------------
// What the API gives the pages

async function said(api: ApiClient): Promise<DeliverySaid> {
  const get = async (path: string) => {
    const res = await api.request('GET', path);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    return res.body as View;
  };
  type View = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const [overview, spamView, vacationView, forwardingView, filters] = (await Promise.all(
    ['/api/overview', '/api/spam', '/api/vacation', '/api/forwarding', '/api/filters'].map(get),
  )) as [View, View, View, View, View];
  const v = vacationView.vacation;
  const instant = (local: string | null) => (local === null ? null : zonedToUtc(local, v.timeZone));
  return {
    spam: overview.spam.delivery,
    senders: { allow: spamView.spam.allow, block: spamView.spam.block, blockAction: spamView.spam.blockAction, folder: spamView.spam.folder },
    exits: overview.exits.items,
    stillFiledIn: forwardingView.stillFiledIn ?? [],
    vacation: {
      enabled: v.enabled,
      start: instant(v.start),
      end: instant(v.end),
      addresses: vacationView.addresses.map((a: { address: string }) => a.address),
      neverAnswered: vacationView.neverAnswered,
    },
    rules: filters.items.filter((i: { kind: string }) => i.kind === 'rule').map((i: { rule: RuleSaid }) => i.rule),
  };
}

async function configure(user: DemoUser, settings: Settings): Promise<ApiClient> {
  await resetUser(user.uid);
  if (settings.script) {
    const written = settings.script(user);
    await withSieve(server, user.uid, async (client) => {
      const options = { capabilities: client.capabilities.sieve, spamtestMaxValue: 20 };
      await client.putScript('emailng', assembleScript(null, written, options));
      await client.setActive('emailng');
    });
  }
  const api = new ApiClient(server.url);
  expect((await api.signIn(user.uid, user.password)).status).toBe(200);
  const put = async (path: string, json: unknown) => {
    const etag = ((await api.request('GET', path)).body.etag as string) ?? '';
    const res = await api.request('PUT', path, { json, headers: { 'if-match': etag } });
    expect(res.status, `${path}: ${res.text}`).toBe(200);
  };
  if (settings.spam) await put('/api/spam', settings.spam);
  if (settings.forwarding) await put('/api/forwarding', settings.forwarding);
  if (settings.vacation) await put('/api/vacation', settings.vacation);
  if (settings.filters) await put('/api/filters', { items: settings.filters });
  return api;
}

const FOLDERS = ['INBOX', 'SPAM', 'Junk', 'Blocked', 'Reports', 'Later', 'Flagged stop'];

/** What really happened to each message: copies over IMAP, replies and redirects in the outbox. */
async function observe(user: DemoUser, messages: Sent[]): Promise<Outcome[]> {
  const byFolder = new Map<string, Array<{ subject: string; flags: string[] }>>();
  for (const folder of FOLDERS) byFolder.set(folder, await folderMessages(server, user.uid, folder).catch(() => []));
  const outbox = await readOutbox();
  return messages.map(({ token, message }) => {
    const copies: StoredCopy[] = [];
    for (const [folder, list] of byFolder) {
      for (const m of list.filter((x) => x.subject.includes(`[${token}]`))) copies.push({ folder, seen: m.flags.includes('\\Seen'), flagged: m.flags.includes('\\Flagged') });
    }
    const replies = outbox.filter((o) => o.sender === '' && message.sender !== '' && o.recipients.includes(message.sender) && o.raw.includes(`<${token}@example.org>`));
    const onward = outbox.filter((o) => o.sender !== '' && o.raw.includes(`<${token}@example.org>`));
    return {
      copies: copies.sort((a, b) => a.folder.localeCompare(b.folder)),
      replied: replies.length > 0,
      forwardedTo: onward.flatMap((o) => o.recipients).map((r) => r.toLowerCase()).sort(),
    };
  });
}

interface Combination {
  name: string;
  user: DemoUser;
  settings: Settings;
  probes: Probe[];
  /** What the overview must call the spam filing, as a check that the combination is the one meant. */
  filing: DeliverySaid['spam']['filing'];
}

async function runCombination(c: Combination): Promise<void> {
  const api = await configure(c.user, c.settings);
  const promise = await said(api);
  expect(promise.spam.filing).toBe(c.filing);
  const messages: Sent[] = [];
  for (const probe of c.probes) {
    const { raw, sent: s } = compose(c.user, probe);
    await deliverMessage({ to: c.user.mail, raw, from: s.message.sender });
    messages.push(s);
  }
  const actual = await observe(c.user, messages);
  messages.forEach((m, i) => {
    expect(actual[i], `${c.name} / ${m.probe.label}: what happened`).toEqual(m.probe.expect);
    expect(predictOutcome(promise, m.message), `${c.name} / ${m.probe.label}: what the pages say`).toEqual(actual[i]);
  });
}

// ---------------------------------------------------------------------------------------
// The table

const u = loadUser;
/** The users the matrix may use (others test on the same stack at the same time). */
const OWN_USERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 15, 16, 17, 18, 40, 41, 42, 43, 44].map((n) => u(n).uid);

/** A vacation section as the app wrote it before it guarded against machines and flagged spam. */
const earlierVacation = (user: DemoUser): ScriptSettings => ({
  spam: { enabled: false, threshold: null, folder: 'SPAM' },
  vacation: {
    body: 'Away.',
    addresses: [user.mail, user.alias],
    days: 7,
    end: toSieveUtc(new Date(Date.now() + 5 * 86_400_000)),
    timeZone: 'Europe/Nicosia',
  },
});

const combinations: Combination[] = [
  {
    name: 'no script of her own (the site default)',
    user: u(1),
    settings: {},
    filing: 'flagged',
    probes: [
      { label: 'unscanned', expect: lands(['INBOX']) },
      { label: 'just below the tag level, not flagged', score: 6.309, expect: lands(['INBOX']) },
      { label: 'at the tag level, flagged', score: 6.31, expect: lands(['SPAM']) },
      { label: 'flagged with a low score', score: 1, flag: true, expect: lands(['SPAM']) },
      { label: 'a high score the relay did not flag', score: 15, flag: false, expect: lands(['INBOX']) },
      { label: 'Greek subject, flagged', subject: 'ΠΡΟΣΦΟΡΑ προσφορά', score: 8, expect: lands(['SPAM']) },
    ],
  },
  {
    name: 'Off',
    user: u(2),
    settings: { spam: spam('off') },
    filing: 'none',
    probes: [
      { label: 'flagged, 19.9', score: 19.9, expect: lands(['INBOX']) },
      { label: 'unscanned', expect: lands(['INBOX']) },
    ],
  },
  {
    name: 'Lenient',
    user: u(3),
    settings: { spam: spam('lenient') },
    filing: 'score',
    // The server's scale is coarse: the spam page says where filing really starts (delivery.from).
    probes: [
      { label: 'unscanned', expect: lands(['INBOX']) },
      { label: 'flagged at the tag level, below lenient', score: 6.31, expect: lands(['INBOX']) },
      { label: 'score 9.999', score: 9.999, expect: lands(['INBOX']) },
      { label: 'score 10', score: 10, expect: lands(['SPAM']) },
      { label: 'score 8.8', score: 8.8, expect: lands(['INBOX']) },
    ],
  },
  {
    name: 'Standard',
    user: u(4),
    settings: { spam: spam('standard') },
    filing: 'flagged',
    probes: [
      { label: 'X-Spam-Flag YES with a score of 0.5', score: 0.5, flag: true, expect: lands(['SPAM']) },
      { label: 'flag written in lower case', score: 7, flag: false, headers: { 'X-Spam-Flag': 'yes' }, expect: lands(['SPAM']) },
      { label: 'score 6.309 not flagged', score: 6.309, expect: lands(['INBOX']) },
      { label: 'unscanned', expect: lands(['INBOX']) },
    ],
  },
  {
    name: 'Strict',
    user: u(5),
    settings: { spam: spam('strict') },
    filing: 'score',
    probes: [
      { label: 'unscanned', expect: lands(['INBOX']) },
      { label: 'X-Spam-Flag YES with a score of 1', score: 1, flag: true, expect: lands(['INBOX']) },
      { label: 'score 3.5', score: 3.5, expect: lands(['INBOX']) },
      { label: 'score 4', score: 4, expect: lands(['SPAM']) },
      { label: 'score 0 scanned', score: 0, expect: lands(['INBOX']) },
      { label: 'a negative score', score: -2.5, expect: lands(['INBOX']) },
    ],
  },
  {
    name: 'Custom 6.31 into Junk, deleting from 15',
    user: u(6),
    settings: { spam: spam('custom', { threshold: 6.31, folder: 'Junk', discardAbove: 15 }) },
    filing: 'score',
    probes: [
      { label: 'unscanned', expect: lands(['INBOX']) },
      { label: 'score 5', score: 5, expect: lands(['INBOX']) },
      { label: 'score 6.31', score: 6.31, expect: lands(['Junk']) },
      { label: 'score 14', score: 14, expect: lands(['Junk']) },
      { label: 'score 15', score: 15, expect: GONE },
      { label: 'score 19.9', score: 19.9, expect: GONE },
      { label: 'score 1000 (over the scale)', score: 1000, expect: GONE },
    ],
  },
  {
    name: 'Strict with allow and block lists (address, domain, domain with subdomains), blocked mail deleted',
    user: u(7),
    settings: {
      spam: spam('strict', {
        allow: ['friend@pals.example', 'allowed.example', '.trusted.example'],
        block: ['pest@spam.example', 'blocked.example', '.evil.example'],
      }),
    },
    filing: 'score',
    probes: [
      { label: 'allowed address, spam score', from: 'Friend <friend@pals.example>', sender: 'friend+{n}@pals.example', score: 12, expect: lands(['INBOX']) },
      { label: 'allowed address in capitals', from: 'FRIEND@PALS.EXAMPLE', sender: 'x{n}@pals.example', score: 12, expect: lands(['INBOX']) },
      { label: 'another address of the allowed address’s domain', from: 'stranger{n}@pals.example', score: 12, expect: lands(['SPAM']) },
      { label: 'allowed domain', from: 'a{n}@allowed.example', score: 12, expect: lands(['INBOX']) },
      { label: 'subdomain of a plain allowed domain', from: 'a{n}@mail.allowed.example', score: 12, expect: lands(['SPAM']) },
      { label: 'subdomain of an allowed domain-with-subdomains', from: 'a{n}@deep.mail.trusted.example', score: 12, expect: lands(['INBOX']) },
      { label: 'a domain that only ends like it', from: 'a{n}@untrusted.example', score: 12, expect: lands(['SPAM']) },
      { label: 'display name naming the allowed address', from: '"friend@pals.example" <crook{n}@crooks.example>', score: 12, expect: lands(['SPAM']) },
      { label: 'blocked address, clean', from: 'Pest <pest@spam.example>', sender: 'p{n}@spam.example', expect: GONE },
      { label: 'blocked domain', from: 'x{n}@blocked.example', expect: GONE },
      { label: 'subdomain of a plain blocked domain', from: 'x{n}@sub.blocked.example', expect: lands(['INBOX']) },
      { label: 'subdomain of a blocked domain-with-subdomains', from: 'Ελένη <x{n}@a.evil.example>', expect: GONE },
      { label: 'display name naming the blocked address', from: '"pest@spam.example" <ok{n}@fine.example>', expect: lands(['INBOX']) },
      { label: 'blocked domain in capitals', from: 'X{n}@BLOCKED.Example', expect: GONE },
      { label: 'blocked domain behind an encoded Greek display name', from: '=?UTF-8?B?zpXOu86tzr3OtyDOoM6xz4DOsc60zr/PgM6/z43Ou86/z4U=?= <x{n}@blocked.example>', expect: GONE },
      { label: 'two From addresses, one blocked', from: 'a{n}@fine.example, b{n}@blocked.example', sender: 'a{n}@fine.example', expect: GONE },
    ],
  },
  {
    name: 'Standard, blocked mail filed into a folder',
    user: u(8),
    settings: { spam: spam('standard', { block: ['blocked.example'], blockAction: 'folder', allow: ['friend@pals.example'] }) },
    filing: 'flagged',
    probes: [
      { label: 'blocked sender', from: 'x{n}@blocked.example', expect: lands(['SPAM']) },
      { label: 'blocked sender, flagged', from: 'x{n}@blocked.example', score: 9, expect: lands(['SPAM']) },
      { label: 'allowed sender, flagged', from: 'friend@pals.example', sender: 'f{n}@pals.example', score: 9, expect: lands(['INBOX']) },
    ],
  },
  {
    name: 'forwarding with a copy kept',
    user: u(9),
    settings: { spam: spam('standard'), forwarding: { addresses: [FORWARD_TO], keepCopy: true } },
    filing: 'flagged',
    probes: [
      { label: 'clean mail', expect: lands(['INBOX'], { forwardedTo: [FORWARD_TO] }) },
      { label: 'flagged spam is not forwarded', score: 9, expect: lands(['SPAM']) },
      { label: 'mail to her alias', to: 'alias', subject: 'Θέμα με ΣΊΓΜΑ ς', expect: lands(['INBOX'], { forwardedTo: [FORWARD_TO] }) },
    ],
  },
  {
    name: 'forwarding without a copy',
    user: u(14),
    settings: { spam: spam('strict'), forwarding: { addresses: [FORWARD_TO, 'second@example.com'], keepCopy: false } },
    filing: 'score',
    probes: [
      { label: 'clean mail leaves no copy', expect: lands([], { forwardedTo: ['second@example.com', FORWARD_TO] }) },
      { label: 'spam stays in SPAM, not forwarded', score: 5, expect: lands(['SPAM']) },
    ],
  },
  {
    name: 'vacation on, Standard spam',
    user: u(15),
    settings: { spam: spam('standard'), vacation: vacation() },
    filing: 'flagged',
    probes: [
      { label: 'a person', expect: lands(['INBOX'], { replied: true }) },
      { label: 'a person writing to her alias', to: 'alias', expect: lands(['INBOX'], { replied: true }) },
      { label: 'a Greek display name and subject', from: 'Γιώργος Ανδρέου <g{n}@example.org>', subject: 'Ερώτηση για το μάθημα', expect: lands(['INBOX'], { replied: true }) },
      { label: 'noreply', from: 'Bank <noreply@bank{n}.example>', expect: lands(['INBOX']) },
      { label: 'No-Reply in capitals with +detail', from: 'No-Reply+Alerts@shop{n}.example', expect: lands(['INBOX']) },
      { label: 'machine envelope, person From', from: 'Jane <jane{n}@example.org>', sender: 'do-not-reply@bounce{n}.example', expect: lands(['INBOX']) },
      { label: 'notifications', from: 'notifications@git{n}.example', expect: lands(['INBOX']) },
      // The page names whole local parts: one that only starts with a name is answered.
      { label: 'noreply-billing (only starts with a name)', from: 'noreply-billing@bank{n}.example', expect: lands(['INBOX'], { replied: true }) },
      { label: 'a mailing list (List-Id)', headers: { 'List-Id': '<staff.example.org>' }, expect: lands(['INBOX']) },
      { label: 'bulk (Precedence)', headers: { Precedence: 'bulk' }, expect: lands(['INBOX']) },
      { label: 'automatic (Auto-Submitted)', headers: { 'Auto-Submitted': 'auto-generated' }, expect: lands(['INBOX']) },
      { label: 'null sender', sender: '', expect: lands(['INBOX']) },
      { label: 'a Bcc (not addressed to her)', to: 'someone@example.org', expect: lands(['INBOX']) },
      { label: 'flagged spam is filed, not answered', score: 8, expect: lands(['SPAM']) },
      { label: 'her own address', from: `Me <${u(15).mail}>`, sender: `${u(15).uid}+x{n}@example.org`, expect: lands(['INBOX']) },
    ],
  },
  {
    name: 'vacation on, spam Off: flagged mail stays and is never answered',
    user: u(16),
    settings: { spam: spam('off'), vacation: vacation() },
    filing: 'none',
    probes: [
      { label: 'flagged spam', score: 12, expect: lands(['INBOX']) },
      { label: 'flagged with a low score', score: 2, flag: true, expect: lands(['INBOX']) },
      { label: 'a person', score: 1, expect: lands(['INBOX'], { replied: true }) },
    ],
  },
  {
    name: 'vacation on, Lenient: flagged below the user’s level stays, unanswered',
    user: u(17),
    settings: { spam: spam('lenient', { block: ['blocked.example'] }), vacation: vacation() },
    filing: 'score',
    probes: [
      { label: 'flagged at 7', score: 7, expect: lands(['INBOX']) },
      { label: 'score 12', score: 12, expect: lands(['SPAM']) },
      { label: 'a blocked sender gets nothing', from: 'x{n}@blocked.example', expect: GONE },
      { label: 'a person', score: 2, expect: lands(['INBOX'], { replied: true }) },
    ],
  },
  {
    name: 'vacation saved by an earlier version, without the guards of today',
    user: u(16),
    settings: { script: earlierVacation },
    filing: 'none',
    probes: [
      { label: 'flagged spam', score: 12, expect: lands(['INBOX'], { replied: true }) },
      { label: 'noreply', from: 'noreply@bank{n}.example', expect: lands(['INBOX'], { replied: true }) },
      { label: 'a person', expect: lands(['INBOX'], { replied: true }) },
    ],
  },
  {
    name: 'vacation that starts in two days',
    user: u(18),
    settings: { vacation: vacation({ start: nicosiaDay(2) }) },
    filing: 'flagged',
    probes: [{ label: 'a person, before the start', expect: lands(['INBOX']) }],
  },
  {
    name: 'forwarding without a copy, and vacation',
    user: u(40),
    settings: { forwarding: { addresses: [FORWARD_TO], keepCopy: false }, vacation: vacation() },
    filing: 'flagged',
    probes: [
      { label: 'a person: sent on and answered', expect: lands([], { replied: true, forwardedTo: [FORWARD_TO] }) },
      { label: 'noreply: sent on, not answered', from: 'noreply@x{n}.example', expect: lands([], { forwardedTo: [FORWARD_TO] }) },
    ],
  },
  {
    name: 'a filter that files (marking read) and one that stops',
    user: u(41),
    settings: {
      spam: spam('standard'),
      filters: [
        newRule({ name: 'Reports', conditions: [subjectContains('report')], actions: [{ type: 'fileinto', mailbox: 'Reports', copy: false, create: true, flags: ['\\Seen'] }] }),
        newRule({ name: 'Urgent', conditions: [subjectContains('urgent')], actions: [{ type: 'addflag', flags: ['\\Flagged'] }], stop: true }),
        newRule({ name: 'Later', conditions: [subjectContains('later')], actions: [{ type: 'fileinto', mailbox: 'Later', copy: true, create: true }] }),
      ],
    },
    filing: 'flagged',
    probes: [
      { label: 'a report', subject: 'Weekly REPORT', expect: lands([copy('Reports', { seen: true })]) },
      { label: 'urgent and later: the stop wins', subject: 'urgent, later', expect: lands([copy('INBOX', { flagged: true })]) },
      { label: 'later: a copy, the Inbox one unread', subject: 'later please', expect: lands(['INBOX', 'Later']) },
      { label: 'a flagged report is spam first', subject: 'report', score: 9, expect: lands(['SPAM']) },
      { label: 'neither', subject: 'Ανακοίνωση', expect: lands(['INBOX']) },
    ],
  },
  {
    name: 'a filter that stops does not stop forwarding or vacation',
    user: u(42),
    settings: {
      forwarding: { addresses: [FORWARD_TO], keepCopy: true },
      vacation: vacation(),
      filters: [newRule({ name: 'Stop all', match: 'always', conditions: [], actions: [{ type: 'fileinto', mailbox: 'Later', copy: false, create: true }], stop: true })],
    },
    filing: 'flagged',
    probes: [{ label: 'a person', expect: lands(['Later'], { replied: true, forwardedTo: [FORWARD_TO] }) }],
  },
  {
    name: 'forwarding without a copy, and a filter that files',
    user: u(43),
    settings: {
      forwarding: { addresses: [FORWARD_TO], keepCopy: false },
      filters: [newRule({ name: 'Reports', conditions: [subjectContains('report')], actions: [{ type: 'fileinto', mailbox: 'Reports', copy: false, create: true }] })],
    },
    filing: 'flagged',
    probes: [
      { label: 'a report', subject: 'report', expect: lands(['Reports'], { forwardedTo: [FORWARD_TO] }) },
      { label: 'anything else', expect: lands([], { forwardedTo: [FORWARD_TO] }) },
    ],
  },
  {
    name: 'Custom at the lowest accepted threshold',
    user: u(44),
    settings: { spam: spam('custom', { threshold: 1.1 }) },
    filing: 'score',
    probes: [
      { label: 'unscanned', expect: lands(['INBOX']) },
      { label: 'scanned at 0', score: 0, expect: lands(['INBOX']) },
      { label: 'score 1.1', score: 1.1, expect: lands(['SPAM']) },
    ],
  },
];

describe('delivery matrix: what the pages say is what delivery does', () => {
  it.each(combinations.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await runCombination(c);
  }, 60_000);

  it('uses this file\'s users only', () => {
    for (const c of combinations) expect(OWN_USERS).toContain(c.user.uid);
  });
});

// The hold happens before delivery, at the site's content filter (amavisd reads the user's
// "delete above" score as her kill level): these messages go in through it, not straight to LMTP.
describe('delivery matrix through the content filter: what the spam page says is held is held', () => {
  const user = u(44);
  const SENDER = 'shop@offers.example';

  async function sendIn(api: ApiClient, discardAbove: number): Promise<{ held: { from: number } | null; delivery: DeliverySaid['spam']; outcome: string; token: string }> {
    const etag = (await api.request('GET', '/api/spam')).body.etag as string;
    const res = await api.request('PUT', '/api/spam', { json: spam('strict', { discardAbove }), headers: { 'if-match': etag } });
    expect(res.status, res.text).toBe(200);
    const view = (await api.request('GET', '/api/spam')).body as { held: { from: number } | null; delivery: DeliverySaid['spam'] };
    sent += 1;
    const token = `dm-${RUN}-${sent}`;
    const raw = filterMessage({ from: SENDER, to: user.mail, subject: `Cheap watches [${token}]`, body: `Buy now ${SCORE_8_TOKEN}` });
    const result = await sendThroughFilter({ from: SENDER, to: user.mail, raw });
    return { held: view.held, delivery: view.delivery, outcome: result.outcome, token };
  }

  it('a message scoring between the two levels passes below the first and is held from the second', async () => {
    const api = await configure(user, {});
    // Above the message's score: it passes, and its score is read off the delivered copy.
    const passed = await sendIn(api, 12);
    expect(passed.outcome).toBe('passed');
    const copy = (await mailboxMessages(user.uid, 'SPAM')).find((m) => m.includes(`[${passed.token}]`));
    const score = Number(/^X-Spam-Score:\s*(-?[\d.]+)/im.exec(copy ?? '')?.[1]);
    expect(score).toBeGreaterThan(4);
    expect(score).toBeLessThan(12);
    expect(passed.held?.from).toBe(12);
    // Filed where the page's spam sentence says (Strict: from 4), below where it says mail is held.
    expect(passed.delivery).toMatchObject({ filing: 'score', folder: 'SPAM' });
    expect(score >= (passed.delivery as { from: number }).from && score < passed.held!.from).toBe(true);

    // The same message, the hold level now below its score: held, never delivered.
    const held = await sendIn(api, 7);
    expect(held.held?.from).toBe(7);
    expect(score >= held.held!.from).toBe(true);
    expect(held.outcome).toBe('held');
    for (const folder of ['INBOX', 'SPAM']) expect((await mailboxMessages(user.uid, folder)).some((m) => m.includes(`[${held.token}]`))).toBe(false);
  }, 60_000);
});
