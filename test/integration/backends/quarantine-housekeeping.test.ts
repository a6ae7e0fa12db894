// Expiry of the content filter's SQL log and quarantine (npm run housekeeping), on the
// stack's real PostgreSQL: only what is older than the retention goes, only the housekeeping
// role may delete, and a message the user released or deleted loses its stored copy.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireHeldMail } from '../../../api/src/backends/quarantine/housekeeping';
import { GTUBE, filterMessage, mailLogAs, sendThroughFilter, waitForLogged } from '../../support/content-filter';
import { loadUser, startPiece } from '../../support/stack';

// This file's own user.
const USER = loadUser(159);
let amavis: pg.Client;
let housekeeping: pg.Client;
let webapp: pg.Client;
let n = 0;

async function held(what: string) {
  const subject = `hk ${what} ${process.pid}-${Date.now()}-${++n}`;
  const raw = filterMessage({ from: 'tester@example.org', to: USER.mail, subject, body: GTUBE });
  expect((await sendThroughFilter({ from: 'tester@example.org', to: USER.mail, raw })).outcome).toBe('held');
  return waitForLogged(webapp, USER.mail, subject);
}

const rowsOf = async (mailId: string) => {
  const { rows } = await amavis.query<{ msgs: string; rcpt: string; chunks: string }>(
    `SELECT (SELECT count(*) FROM msgs WHERE mail_id = convert_to($1, 'UTF8')) AS msgs,
            (SELECT count(*) FROM msgrcpt WHERE mail_id = convert_to($1, 'UTF8')) AS rcpt,
            (SELECT count(*) FROM quarantine WHERE mail_id = convert_to($1, 'UTF8')) AS chunks`,
    [mailId],
  );
  const row = rows[0] as { msgs: string; rcpt: string; chunks: string };
  return { msgs: Number(row.msgs), rcpt: Number(row.rcpt), chunks: Number(row.chunks) };
};

beforeAll(async () => {
  for (const piece of ['ldap', 'backend', 'pg', 'amavis'] as const) await startPiece(piece);
  [amavis, housekeeping, webapp] = await Promise.all([mailLogAs('amavis'), mailLogAs('housekeeping'), mailLogAs('webapp')]);
});

afterAll(async () => {
  await Promise.all([amavis?.end(), housekeeping?.end(), webapp?.end()]);
});

describe('housekeeping', () => {
  it('deletes messages past the retention with their recipients and stored copy, and keeps younger ones', async () => {
    const [old, young, released] = await Promise.all([held('old'), held('young'), held('released')]);
    // amavisd stamps mail with the time it arrived; age two of them as amavisd's own role can.
    await amavis.query(`UPDATE msgs SET time_iso = now() - interval '31 days' WHERE mail_id = convert_to($1, 'UTF8')`, [old.mailId]);
    await amavis.query(`UPDATE msgs SET time_iso = now() - interval '29 days' WHERE mail_id = convert_to($1, 'UTF8')`, [young.mailId]);
    // The app marks a release in msgrcpt.rs (amavisd does not).
    await webapp.query(`UPDATE msgrcpt SET rs = 'R' WHERE mail_id = convert_to($1, 'UTF8')`, [released.mailId]);
    expect((await rowsOf(old.mailId)).chunks).toBeGreaterThan(0);

    const counts = await expireHeldMail(housekeeping, 30);
    expect(counts.messages).toBeGreaterThanOrEqual(1);
    expect(await rowsOf(old.mailId)).toEqual({ msgs: 0, rcpt: 0, chunks: 0 });
    expect((await rowsOf(young.mailId)).chunks).toBeGreaterThan(0);
    expect(await rowsOf(released.mailId)).toMatchObject({ msgs: 1, rcpt: 1, chunks: 0 });
  });

  it('is the housekeeping role’s job: the app’s role cannot delete anything', async () => {
    await expect(webapp.query(`DELETE FROM msgs WHERE false`)).rejects.toThrow(/permission denied/);
    await expect(webapp.query(`DELETE FROM quarantine WHERE false`)).rejects.toThrow(/permission denied/);
    await expect(expireHeldMail(webapp, 30)).rejects.toThrow(/permission denied/);
  });
});
