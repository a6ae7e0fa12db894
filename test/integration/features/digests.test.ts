// Held-mail digests on the real stack: mail sent in through amavisd is held in its SQL
// quarantine; the digest runner (npm run digests) sends each user a digest of it through the
// outbound path (the stack's sendmail stand-in, which captures it in the outbox), parsed back
// here with postal-mime. The runner takes its clock as an argument: no test waits for time.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutbound } from '../../../api/src/backends/outbound';
import { DigestStore } from '../../../api/src/backends/quarantine/digest-store';
import { CLAIM_LEASE_MS, SETTLE_MS, type DigestRunner } from '../../../api/src/features/quarantine/digests';
import { digestRunnerFor } from '../../../api/src/ops/digest-runner';
import { appMailTo, headerBlock, outboxIds, type AppMail } from '../../support/app-mail';
import { GTUBE, filterMessage, mailLogAs, sendThroughFilter } from '../../support/content-filter';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { STACK_DIR, loadUser, startPiece, type DemoUser } from '../../support/stack';

// This file's own users: others test on the same stack at the same time.
const GREEK = loadUser(33);
const ENGLISH = loadUser(34);
const WEEKLY = loadUser(35);
const NEVER = loadUser(36);
const HOSTILE = loadUser(37);

let server: TestServer;
let runner: DigestRunner;
let db: pg.Client;
let before: Set<string>;
let n = 0;
const token = `dg${process.pid}x${Date.now()}`;
const subjectFor = (what: string) => `${what} ${token}-${++n}`;

/** A clock just far enough ahead that what was held until now is settled (SETTLE_MS). */
const at = (offsetMs = 0) => new Date(Date.now() + SETTLE_MS + 1000 + offsetMs);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Sends spam in through the filter; it is held for `user`. */
async function hold(user: DemoUser, subject: string): Promise<void> {
  const raw = filterMessage({ from: 'Offers <offers@example.org>', to: user.mail, subject, body: `Buy now.\n${GTUBE}\n` });
  const result = await sendThroughFilter({ from: 'offers@example.org', to: user.mail, raw });
  expect(result.outcome, result.reply.text).toBe('held');
}

/** Sends a message whose Subject header is these bytes exactly. */
async function holdRaw(user: DemoUser, subjectBytes: Buffer): Promise<void> {
  const marker = 'SUBJECT-PLACEHOLDER';
  const text = filterMessage({ from: 'Offers <offers@example.org>', to: user.mail, subject: marker, body: `Buy now.\n${GTUBE}\n` });
  const [head, tail] = text.split(marker) as [string, string];
  const result = await sendThroughFilter({ from: 'offers@example.org', to: user.mail, raw: Buffer.concat([Buffer.from(head), subjectBytes, Buffer.from(tail)]) });
  expect(result.outcome, result.reply.text).toBe('held');
}

/**
 * A user's digest state from scratch: her choice, and nothing held before now counted as new.
 * amavisd logs whole seconds: the watermark is the start of this one.
 */
async function freshState(user: DemoUser, schedule: 'never' | 'daily' | 'weekly', language: 'en' | 'el'): Promise<void> {
  await db.query(
    `INSERT INTO emailng_digest (uid, schedule, language, covered_until) VALUES ($1, $2, $3, date_trunc('second', now()))
     ON CONFLICT (uid) DO UPDATE SET schedule = $2, language = $3, covered_until = EXCLUDED.covered_until, covered_edge = '{}', last_sent_at = NULL,
       claim_token = NULL, claimed_at = NULL, claim_until = NULL`,
    [user.uid, schedule, language],
  );
}

const digestsTo = (user: DemoUser): Promise<AppMail[]> => appMailTo(user.mail, before);
const only = (...users: DemoUser[]) => new Set(users.map((u) => u.uid));

/** The ids the Held mail page gives the user's messages with these subjects. */
async function pageIds(user: DemoUser, subjects: string[]): Promise<string[]> {
  const api = new ApiClient(server.url);
  expect((await api.signIn(user.uid, user.password)).status).toBe(200);
  const ids: string[] = [];
  for (const subject of subjects) {
    const response = await api.request('GET', `/api/quarantine?search=${encodeURIComponent(subject)}`);
    const items = response.body.items as Array<{ id: string; subject: string }>;
    expect(items.map((i) => i.subject)).toEqual([subject]);
    ids.push((items[0] as { id: string }).id);
  }
  return ids;
}

beforeAll(async () => {
  for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
  server = await startTestServer();
  runner = digestRunnerFor(server.services) as DigestRunner;
  expect(runner).not.toBeNull();
  db = await mailLogAs('webapp');
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

beforeEach(async () => {
  // Each test's held mail is new from here; the state table's row is where the tests start.
  await freshState(GREEK, 'daily', 'el');
  await freshState(ENGLISH, 'daily', 'en');
  before = await outboxIds();
});

describe('a digest', () => {
  it('lists what was held for the user, and only for her, in her language, as multipart/alternative', async () => {
    const greekSubject = subjectFor('Προσφορά για εσάς, τελευταίες ώρες ς');
    const plainSubject = subjectFor('Cheap watches');
    const otherSubject = subjectFor('For the other user');
    await hold(GREEK, `=?UTF-8?B?${Buffer.from(greekSubject).toString('base64')}?=`);
    await hold(GREEK, plainSubject);
    await hold(ENGLISH, otherSubject);

    const outcome = await runner.run(at(), only(GREEK, ENGLISH));
    expect(outcome.failed).toEqual([]);
    expect(new Set(outcome.sent)).toEqual(only(GREEK, ENGLISH));

    const [greek, ...moreGreek] = await digestsTo(GREEK);
    expect(moreGreek).toEqual([]);
    const mail = (greek as AppMail).parsed;
    expect(mail.subject).toBe('Κρατημένη αλληλογραφία: 2 νέα μηνύματα');
    expect(headerBlock((greek as AppMail).captured.raw)).toMatch(/^Content-Type: multipart\/alternative;/im);
    expect(headerBlock((greek as AppMail).captured.raw)).toMatch(/^Auto-Submitted: auto-generated/im);
    expect((greek as AppMail).captured.recipients).toEqual([GREEK.mail]);
    expect(mail.from).toMatchObject({ address: 'no-reply@cs.ucy.ac.cy' });
    expect(mail.text).toContain(greekSubject);
    expect(mail.text).toContain(plainSubject);
    expect(mail.text).not.toContain(otherSubject);
    expect(mail.html).toContain('lang="el"');
    expect(mail.html).not.toContain(otherSubject);

    // Each item links to the page with that message open, by the id the page itself uses.
    const ids = await pageIds(GREEK, [greekSubject, plainSubject]);
    for (const id of ids) {
      expect(mail.text).toContain(`${server.url}/held?open=${id}`);
      expect(mail.html).toContain(`href="${server.url}/held?open=${id}"`);
    }
    // No link acts: every one opens the page, none names an action.
    const links = [...(mail.html ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(links.length).toBe(3);
    for (const link of links) expect(link.startsWith(`${server.url}/held`) && /^\/held(\?open=[A-Za-z0-9_-]+)?$/.test(link.slice(server.url.length)), link).toBe(true);

    const [english, ...moreEnglish] = await digestsTo(ENGLISH);
    expect(moreEnglish).toEqual([]);
    expect((english as AppMail).parsed.subject).toBe('Held mail: 1 new message');
    expect((english as AppMail).parsed.text).toContain(otherSubject);
    expect((english as AppMail).parsed.text).not.toContain(plainSubject);
  });

  it('is not sent when nothing new was held, nor before the day is over; then it lists only the new', async () => {
    const first = subjectFor('first');
    await hold(ENGLISH, first);
    expect((await runner.run(at(), only(ENGLISH))).sent).toEqual([ENGLISH.uid]);
    expect((await runner.run(at(2 * HOUR), only(ENGLISH))).sent).toEqual([]);
    expect((await runner.run(at(DAY), only(ENGLISH))).sent).toEqual([]);

    const second = subjectFor('second');
    await hold(ENGLISH, second);
    expect((await runner.run(at(HOUR), only(ENGLISH))).sent).toEqual([]);
    expect((await runner.run(at(DAY), only(ENGLISH))).sent).toEqual([ENGLISH.uid]);
    const digests = await digestsTo(ENGLISH);
    expect(digests).toHaveLength(2);
    expect(digests[1]?.parsed.text).toContain(second);
    expect(digests[1]?.parsed.text).not.toContain(first);
  });

  it('weekly waits a week; never sends none', async () => {
    await freshState(WEEKLY, 'weekly', 'en');
    await freshState(NEVER, 'never', 'en');
    await hold(WEEKLY, subjectFor('weekly one'));
    await hold(NEVER, subjectFor('never one'));
    expect((await runner.run(at(), only(WEEKLY, NEVER))).sent).toEqual([WEEKLY.uid]);
    await hold(WEEKLY, subjectFor('weekly two'));
    expect((await runner.run(at(2 * DAY), only(WEEKLY, NEVER))).sent).toEqual([]);
    expect((await runner.run(at(6 * DAY), only(WEEKLY, NEVER))).sent).toEqual([]);
    expect((await runner.run(at(7 * DAY), only(WEEKLY, NEVER))).sent).toEqual([WEEKLY.uid]);
    expect(await digestsTo(WEEKLY)).toHaveLength(2);
    expect(await digestsTo(NEVER)).toEqual([]);
  });
});

describe('several runners and failures', () => {
  it('two runners at once send one digest', async () => {
    await hold(GREEK, subjectFor('race'));
    const second = digestRunnerFor(server.services, { digests: new DigestStore({ connectionString: 'postgres://webapp@127.0.0.1:5433/mail_log', password: 'webapp-sql-secret', statementTimeoutMs: 5000, connectTimeoutMs: 5000, maxConnections: 2 }) }) as DigestRunner;
    const now = at();
    const outcomes = await Promise.all([runner.run(now, only(GREEK)), second.run(now, only(GREEK)), runner.run(now, only(GREEK))]);
    expect(outcomes.flatMap((o) => o.sent)).toEqual([GREEK.uid]);
    expect(outcomes.flatMap((o) => o.failed)).toEqual([]);
    expect(await digestsTo(GREEK)).toHaveLength(1);
  });

  it('an outbound path that refuses half-way: the next run sends what was not sent, once each', async () => {
    await hold(GREEK, subjectFor('half-way'));
    await hold(ENGLISH, subjectFor('half-way'));
    // A sendmail that takes one message and then refuses, as a relay that fills up would.
    const dir = await mkdtemp(path.join(tmpdir(), 'emailng-refusing-'));
    const script = path.join(dir, 'sendmail');
    await writeFile(
      script,
      `#!/bin/sh\nif mkdir "${dir}/taken" 2>/dev/null; then exec "${STACK_DIR}/bin/sendmail" "$@"; fi\ncat >/dev/null\necho "452 4.3.1 insufficient system storage" >&2\nexit 75\n`,
    );
    await chmod(script, 0o755);
    const refusing = createOutbound({ ...server.services.config.outbound!, transport: { kind: 'sendmail', path: script } });
    try {
      const halfway = await digestRunnerFor(server.services, { outbound: refusing })!.run(at(), only(GREEK, ENGLISH));
      expect(halfway.sent).toHaveLength(1);
      expect(halfway.failed.map((f) => f.uid)).toHaveLength(1);
      const again = await runner.run(at(), only(GREEK, ENGLISH));
      expect(again.sent).toEqual(halfway.failed.map((f) => f.uid));
      expect((await runner.run(at(), only(GREEK, ENGLISH))).sent).toEqual([]);
      expect(await digestsTo(GREEK)).toHaveLength(1);
      expect(await digestsTo(ENGLISH)).toHaveLength(1);
    } finally {
      refusing.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a runner that stopped between sending and recording: after the lease the digest counts as sent, never twice', async () => {
    await hold(ENGLISH, subjectFor('crashed'));
    const now = at();
    // What a runner leaves when it dies right after the send: its claim, and no watermark moved.
    await db.query(`UPDATE emailng_digest SET claim_token = gen_random_uuid(), claimed_at = $2, claim_until = $3, claim_edge = '{}' WHERE uid = $1`, [
      ENGLISH.uid,
      now,
      new Date(now.getTime() - SETTLE_MS),
    ]);
    expect((await runner.run(new Date(now.getTime() + CLAIM_LEASE_MS - 60_000), only(ENGLISH))).sent).toEqual([]);
    expect((await runner.run(new Date(now.getTime() + CLAIM_LEASE_MS + 60_000), only(ENGLISH))).sent).toEqual([]);
    expect(await digestsTo(ENGLISH)).toEqual([]);
    const { rows } = await db.query<{ covered_until: Date; claim_token: string | null }>('SELECT covered_until, claim_token FROM emailng_digest WHERE uid = $1', [ENGLISH.uid]);
    expect(rows[0]?.claim_token).toBeNull();
    expect(rows[0]?.covered_until.getTime()).toBe(now.getTime() - SETTLE_MS);
  });
});

describe('hostile held mail', () => {
  it('subjects of encoded-word garbage, invalid UTF-8 and encoded CR-LF neither inject headers nor break the digest', async () => {
    await freshState(HOSTILE, 'daily', 'en');
    const tag = subjectFor('hostile');
    await holdRaw(HOSTILE, Buffer.from(`=?UTF-8?B?////?= =?ISO-8859-7?Q?=E4=EF=EA?= =?garbage ${tag}-a`));
    await holdRaw(HOSTILE, Buffer.concat([Buffer.from(`bytes `), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(` ${tag}-b`)]));
    await holdRaw(HOSTILE, Buffer.from(`=?UTF-8?Q?${tag}-c=0D=0ABcc:_evil@example.org=0D=0A=0D=0A<script>alert(1)</script>?=`));
    await holdRaw(HOSTILE, Buffer.from(`=?UTF-8?B?${Buffer.from(`${tag}-d \u202Egpj.exe <img src=x onerror=alert(1)>`).toString('base64')}?=`));
    expect((await runner.run(at(), only(HOSTILE))).sent).toEqual([HOSTILE.uid]);

    const [digest, ...more] = await digestsTo(HOSTILE);
    expect(more).toEqual([]);
    const { parsed, captured } = digest as AppMail;
    expect(captured.recipients).toEqual([HOSTILE.mail]);
    expect(parsed.subject).toBe('Held mail: 4 new messages');
    expect(parsed.bcc ?? []).toEqual([]);
    expect(headerBlock(captured.raw)).not.toMatch(/^bcc:/im);
    expect(headerBlock(captured.raw)).not.toContain(tag);
    // Every item's subject is on one line of its own.
    const subjectLines = (parsed.text ?? '').split('\n').filter((line) => line.includes(tag));
    expect(subjectLines.map((line) => line.slice(line.indexOf(tag), line.indexOf(tag) + tag.length + 2)).sort()).toEqual(['a', 'b', 'c', 'd'].map((x) => `${tag}-${x}`));
    for (const line of subjectLines) expect(line).toMatch(/^ {2}Subject: /);
    expect(parsed.text).not.toContain('\u202E');
    expect(parsed.html).not.toMatch(/<script|<img/i);
    expect(parsed.html).toContain('&lt;script&gt;');
  });
});
