// The one place that sends a command imapflow has no method for (backends/imap/raw-command.ts)
// relies on imapflow's internal command runner: this runs a real UID FILTER through it against
// the stack's Dovecot, so an imapflow that changes that runner fails here, not in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapError } from '../../../api/src/backends/imap/errors';
import { runImapCommand, type UntaggedResponse } from '../../../api/src/backends/imap/raw-command';
import { connectImap, type ImapConnection } from '../../../api/src/backends/imap/sessions';
import { loadConfig } from '../../../api/src/config/load';
import { probeScript } from '../../../api/src/features/filters/tester';
import { deliverMessage, loadUser, makeMessage, resetUser } from '../../support/stack';

const USER = loadUser(105);
const config = loadConfig('deploy/config/local.yaml', {});
let connection: ImapConnection;
let uids: number[];

beforeAll(async () => {
  await resetUser(USER.uid);
  for (const subject of ['Πρόσκληση σε σεμινάριο', 'Lunch?']) {
    await deliverMessage({ to: USER.uid, raw: makeMessage({ to: USER.mail, subject }) });
  }
  connection = await connectImap(config, USER.uid);
  await connection.client.mailboxOpen('INBOX', { readOnly: true });
  uids = (await connection.client.search({ all: true }, { uid: true })) || [];
  expect(uids).toHaveLength(2);
});

afterAll(async () => {
  await connection?.logout();
});

const filter = (script: string, handlers: Record<string, (r: UntaggedResponse) => void>) =>
  runImapCommand(
    connection.client,
    'UID FILTER',
    [
      { type: 'ATOM', value: 'SIEVE' },
      { type: 'ATOM', value: 'SCRIPT' },
      { type: 'LITERAL', value: script },
      { type: 'ATOM', value: 'UID' },
      { type: 'SEQUENCE', value: uids.join(',') },
    ],
    handlers,
  );

describe('a command imapflow has no method for, through its command runner', () => {
  it('sends a literal with Greek in it and hands the command’s untagged responses to its handler', async () => {
    const marker = 'adapter-check';
    const script = probeScript(
      { id: 'probe', name: 'probe', enabled: true, match: 'all', conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'σεμινάριο' }], actions: [], stop: false },
      marker,
    );
    const seen: UntaggedResponse[] = [];
    await filter(script, { FILTERED: (r) => seen.push(r) });
    expect(seen).toHaveLength(1);
    const values = seen[0]!.attributes.map((a) => (Buffer.isBuffer(a?.value) ? a.value.toString('utf8') : String(a?.value ?? '')));
    expect(values).toContain(String(uids[0]));
    expect(values.join(' ')).toContain(marker);
    // The connection is still in step: an ordinary imapflow command works after it.
    expect(await connection.client.search({ all: true }, { uid: true })).toEqual(uids);
  });

  it('turns the server’s refusal into an ImapError', async () => {
    const error = await filter('require "no-such-extension";\r\nkeep;\r\n', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImapError);
    expect((error as ImapError).code).toBe('COMMAND_FAILED');
    expect(connection.usable).toBe(true);
  });
});
