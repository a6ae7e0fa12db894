// The AM.PDP release client (api/src/backends/quarantine) against the stack's real amavisd:
// a GTUBE message is held in the SQL quarantine, then released with the ids from SQL.
// Run: bash deploy/stack/up.sh && npx vitest run --project integration test/integration/backends/quarantine.test.ts
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarantineError, releaseMessage } from '../../../api/src/backends/quarantine';
import { GTUBE, RELEASE_ENDPOINT, assertAmavisCanReadDirectory, filterMessage, mailLogAs, sendThroughFilter, waitForLogged, type LoggedMessage } from '../../support/content-filter';
import { loadUser, mailboxMessages, resetUser, startPiece } from '../../support/stack';

// This file's own user (no LDAP settings: site levels).
const USER = loadUser(184);
const SUBJECT = `quarantine client ${process.pid}-${Date.now()}`;

let db: pg.Client;
let held: LoggedMessage;

beforeAll(async () => {
  for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
  await assertAmavisCanReadDirectory();
  await resetUser(USER.uid);
  db = await mailLogAs('webapp');
  const raw = filterMessage({ from: 'tester@example.org', to: USER.mail, subject: SUBJECT, body: GTUBE });
  const sent = await sendThroughFilter({ from: 'tester@example.org', to: USER.mail, raw });
  expect(sent.outcome, sent.reply.text).toBe('held');
  held = await waitForLogged(db, USER.mail, SUBJECT);
});

afterAll(async () => {
  await db?.end();
});

const inInbox = async () => (await mailboxMessages(USER.uid)).filter((m) => m.includes(SUBJECT)).length;

describe('releaseMessage with the real amavisd', () => {
  it('refuses a wrong secret_id and an unknown mail_id with RELEASE_FAILED; nothing is delivered', async () => {
    for (const request of [
      { mailId: held.mailId, secretId: 'AAAAAAAAAAAA' },
      { mailId: 'AAAAAAAAAAAA', secretId: held.secretId },
    ]) {
      const error = await releaseMessage(RELEASE_ENDPOINT, { ...request, requestedBy: USER.mail }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QuarantineError);
      expect((error as QuarantineError).code).toBe('RELEASE_FAILED');
      expect((error as QuarantineError).replies[0]).toMatch(/^[45]\d\d /);
    }
    expect(await inInbox()).toBe(0);
  });

  it('releases with the right secret_id: one 250 reply, the message in INBOX', async () => {
    const { replies } = await releaseMessage(RELEASE_ENDPOINT, { mailId: held.mailId, secretId: held.secretId, requestedBy: USER.mail });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(new RegExp(`^250 2\\.0\\.0 .*<${USER.mail}>.* Saved`));
    expect(await inInbox()).toBe(1);
  });
});
