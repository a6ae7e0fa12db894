// The scripts really act: a script the app assembles (sender lists, spam threshold, user
// filters) is stored through a director, messages are delivered through LMTP so Pigeonhole
// runs it at delivery, and IMAP through the other director (master user, as the app) shows
// which folder each message landed in, with which flags.
//
// Run: bash deploy/stack/up.sh && npx vitest run --project integration test/integration/sieve/delivery.test.ts
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManageSieveClient } from '../../../api/src/backends/managesieve';
import { connectImap, type ImapConnection } from '../../../api/src/backends/imap/sessions';
import { loadConfig } from '../../../api/src/config/load';
import { assembleScript } from '../../../api/src/sieve/assemble.js';
import { parseDocument } from '../../../api/src/sieve/document/parse-document.js';
import { printDocument } from '../../../api/src/sieve/document/print-document.js';
import type { Rule } from '../../../api/src/sieve/rules/model.js';
import { spamThresholdTest } from '../../../api/src/sieve/spam.js';
import { DIRECTORS, MASTER, SIEVE, deliverMessage, loadUser, makeMessage, resetUser } from '../../support/stack';

const USER = loadUser(151);
const SCRIPT = 'emailng';
const THRESHOLD = 6.31;
const WORK = 'Εργασία';

const rule = (name: string, r: Partial<Rule>): Rule => ({ id: 'new', name, enabled: true, match: 'any', conditions: [], actions: [], stop: false, ...r });

/** The user's filters, in order. */
const FILTERS: Rule[] = [
  rule('Δουλειά', {
    conditions: [{ type: 'from', operator: 'contains', negate: false, value: 'boss@uni.example' }],
    actions: [{ type: 'fileinto', mailbox: WORK, copy: false, create: true }],
    stop: true,
  }),
  rule('Seminar list', {
    conditions: [{ type: 'list-id', operator: 'contains', negate: false, value: 'seminar.cs.ucy.ac.cy' }],
    actions: [{ type: 'fileinto', mailbox: 'Lists', copy: false, create: true }],
    stop: true,
  }),
  rule('Invoices, read', {
    conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'Τιμολόγιο' }],
    actions: [{ type: 'addflag', flags: ['\\Seen'] }, { type: 'fileinto', mailbox: 'Invoices', copy: false, create: true }],
    stop: true,
  }),
  rule('Urgent header', {
    conditions: [{ type: 'header', header: 'X-Priority-Class', operator: 'is', negate: false, value: 'urgent' }],
    actions: [{ type: 'addflag', flags: ['\\Flagged'] }, { type: 'fileinto', mailbox: 'Urgent', copy: false, create: true }],
    stop: true,
  }),
  rule('Large', {
    conditions: [{ type: 'size', negate: false, comparison: 'over', size: 100, unit: 'K' }],
    actions: [{ type: 'fileinto', mailbox: 'Large', copy: false, create: true }],
    stop: true,
  }),
  rule('Archive a copy', {
    conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'copy-me' }],
    actions: [{ type: 'fileinto', mailbox: 'Archive', copy: true, create: true }],
  }),
  rule('Disabled: would discard', {
    enabled: false,
    conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'ignored' }],
    actions: [{ type: 'discard' }],
    stop: true,
  }),
];

interface Seen {
  folder: string;
  flags: string[];
}
/** Subject tag → where the message is (every folder, so "nowhere else" can be checked). */
const where = new Map<string, Seen[]>();
let script = '';
let stored = '';
let boundary = 0;

const config = loadConfig('deploy/config/local.yaml', {});
let imap: ImapConnection | undefined;

async function deliver(tag: string, opts: { from?: string; headers?: Record<string, string>; body?: string; subject?: string }): Promise<void> {
  const raw = makeMessage({ from: opts.from ?? 'Sender <sender@example.org>', to: USER.mail, subject: `${opts.subject ?? ''} [${tag}]`, headers: opts.headers, body: opts.body });
  const [result] = await deliverMessage({ to: USER.uid, raw, from: (opts.from ?? 'sender@example.org').replace(/^.*<|>$/g, '') });
  expect(result?.data.code).toBe(250);
}

async function readEverything(client: ImapFlow): Promise<void> {
  for (const box of await client.list()) {
    const lock = await client.getMailboxLock(box.path);
    try {
      for await (const msg of client.fetch('1:*', { envelope: true, flags: true })) {
        // \Recent only says which session saw the message first; rules cannot set it.
        const tag = /\[([^\]]+)\]$/.exec(msg.envelope?.subject ?? '')?.[1];
        if (!tag) continue;
        where.set(tag, [...(where.get(tag) ?? []), { folder: box.path, flags: [...(msg.flags ?? [])].filter((f) => f !== '\\Recent').sort() }]);
      }
    } finally {
      lock.release();
    }
  }
}

const folders = (tag: string) => (where.get(tag) ?? []).map((s) => s.folder).sort();

beforeAll(async () => {
  await resetUser(USER.uid);
  const [theano, elysso] = DIRECTORS;
  const sieve = await ManageSieveClient.connect({
    endpoints: [{ name: theano!.name, host: theano!.host, port: theano!.sievePort }],
    tls: 'none',
    connectTimeoutMs: 5000,
    commandTimeoutMs: 10_000,
    auth: { authcid: MASTER.name, password: MASTER.password, authzid: USER.uid },
  });
  try {
    const capabilities = sieve.capabilities.sieve;
    const filters = printDocument({ ...parseDocument(''), items: FILTERS.map((r) => ({ kind: 'rule' as const, rule: r })) }, { capabilities });
    script = assembleScript(
      filters,
      { senders: { allow: ['friend@example.org'], block: ['pest@example.com'] }, spam: { threshold: THRESHOLD, folder: 'SPAM' } },
      { capabilities, spamtestMaxValue: SIEVE.spamtestMaxValue },
    );
    boundary = spamThresholdTest(THRESHOLD, { maxValue: SIEVE.spamtestMaxValue, capabilities }).effectiveThreshold;
    await sieve.checkScript(script);
    await sieve.putScript(SCRIPT, script);
    await sieve.setActive(SCRIPT);
    stored = await sieve.getScript(SCRIPT);
  } finally {
    await sieve.logout();
  }

  const score = (s: string) => ({ 'X-Spam-Score': s });
  const below = (boundary - 0.001).toFixed(3);
  await deliver('spam-below', { headers: score(below) });
  await deliver('spam-at', { headers: score(boundary.toFixed(3)) });
  await deliver('spam-threshold', { headers: score(String(THRESHOLD)) });
  await deliver('spam-high', { headers: score('19.5') });
  await deliver('spam-over-max', { headers: score('35.2') });
  await deliver('spam-negative', { headers: score('-3.5') });
  await deliver('spam-decimal', { headers: score('2.75') });
  await deliver('spam-none', {});
  await deliver('allowed-high', { from: 'Friend <friend@example.org>', headers: score('15.0') });
  await deliver('blocked', { from: 'Pest <pest@example.com>' });
  await deliver('blocked-spam', { from: 'Pest <pest@example.com>', headers: score('15.0') });
  await deliver('boss', { from: 'The Boss <boss@uni.example>', subject: 'Τιμολόγιο Q3' });
  await deliver('boss-spam', { from: 'The Boss <boss@uni.example>', headers: score('12') });
  await deliver('list', { headers: { 'List-Id': 'CS seminar <seminar.cs.ucy.ac.cy>' } });
  await deliver('list-other', { headers: { 'List-Id': 'Other <other.example.org>' } });
  await deliver('invoice', { subject: '=?UTF-8?B?' + Buffer.from('Τιμολόγιο 2026').toString('base64') + '?=' });
  await deliver('urgent', { headers: { 'X-Priority-Class': 'urgent' } });
  await deliver('not-urgent', { headers: { 'X-Priority-Class': 'urgent-ish' } });
  await deliver('large', { body: 'x'.repeat(120 * 1024) });
  await deliver('small', { body: 'x'.repeat(90 * 1024) });
  await deliver('copy', { subject: 'please copy-me' });
  await deliver('disabled', { subject: 'this is ignored' });

  imap = await connectImap({ ...config, directors: config.directors.filter((d) => d.name === elysso!.name) }, USER.uid);
  await readEverything(imap.client);
}, 60_000);

afterAll(async () => {
  await imap?.logout();
});

describe('an assembled script, stored through a director, acts at LMTP delivery', () => {
  it('is stored and read back byte-identical', () => {
    expect(stored).toBe(script);
    expect(script).toContain(`# rule:[Δουλειά]`);
  });

  it(`files spam at and above the threshold's real boundary into SPAM, and keeps what is below it`, () => {
    // 6.31 on Pigeonhole's percent scale (max 20) is level 31, reached from a score of 6.2.
    expect(boundary).toBe(6.2);
    expect(folders('spam-below')).toEqual(['INBOX']);
    expect(folders('spam-at')).toEqual(['SPAM']);
    expect(folders('spam-threshold')).toEqual(['SPAM']);
    expect(folders('spam-high')).toEqual(['SPAM']);
    expect(folders('spam-over-max')).toEqual(['SPAM']);
  });

  it('keeps negative, low decimal and missing scores in INBOX', () => {
    expect(folders('spam-negative')).toEqual(['INBOX']);
    expect(folders('spam-decimal')).toEqual(['INBOX']);
    expect(folders('spam-none')).toEqual(['INBOX']);
  });

  it('delivers an allow-listed sender with a high score to INBOX', () => {
    expect(folders('allowed-high')).toEqual(['INBOX']);
  });

  it('delivers a block-listed sender nowhere, spam or not', () => {
    expect(folders('blocked')).toEqual([]);
    expect(folders('blocked-spam')).toEqual([]);
  });

  it('files by From into a Greek folder it creates, and stop keeps later filters from acting', () => {
    // "Τιμολόγιο" would match the Invoices filter too; the Work filter stops first.
    expect(folders('boss')).toEqual([WORK]);
    expect(where.get('boss')?.[0]?.flags).toEqual([]);
  });

  it('runs the spam section before the user filters', () => {
    expect(folders('boss-spam')).toEqual(['SPAM']);
  });

  it('files by List-Id, by a custom header and by size, and leaves near misses in INBOX', () => {
    expect(folders('list')).toEqual(['Lists']);
    expect(folders('list-other')).toEqual(['INBOX']);
    expect(folders('urgent')).toEqual(['Urgent']);
    expect(folders('not-urgent')).toEqual(['INBOX']);
    expect(folders('large')).toEqual(['Large']);
    expect(folders('small')).toEqual(['INBOX']);
  });

  it('sets the flags the rules add (\\Seen on an RFC 2047-encoded Greek subject, \\Flagged)', () => {
    expect(where.get('invoice')).toEqual([{ folder: 'Invoices', flags: ['\\Seen'] }]);
    expect(where.get('urgent')).toEqual([{ folder: 'Urgent', flags: ['\\Flagged'] }]);
    expect(where.get('list')).toEqual([{ folder: 'Lists', flags: [] }]);
  });

  it('fileinto :copy without stop files a copy and keeps the message', () => {
    expect(folders('copy')).toEqual(['Archive', 'INBOX']);
  });

  it('a disabled rule does not act', () => {
    expect(folders('disabled')).toEqual(['INBOX']);
  });
});
