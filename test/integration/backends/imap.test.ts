import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../api/src/config/load';
import { ImapError } from '../../../api/src/backends/imap/errors';
import { ImapSessions, connectImap } from '../../../api/src/backends/imap/sessions';

const config = loadConfig('deploy/config/local.yaml', {});
const sessions = new ImapSessions(config);

afterAll(async () => {
  await sessions.close();
});

describe('IMAP through the directors as the master user', () => {
  it('opens alice’s mailbox through each director without her password', async () => {
    for (const director of config.directors) {
      const connection = await connectImap({ ...config, directors: [director] }, 'alice', { clientAddress: '192.0.2.10' });
      try {
        expect(connection.director).toBe(director.name);
        const folders = (await connection.client.list()).map((f) => f.path);
        expect(folders).toEqual(expect.arrayContaining(['INBOX', 'SPAM', 'Junk', 'Trash', 'Sent', 'Drafts']));
      } finally {
        await connection.logout();
      }
    }
  });

  it('reads the quota limit from the directory (alice: 100 MiB)', async () => {
    const quota = await sessions.use('alice', (client) => client.getQuota('INBOX'));
    expect(quota && quota.storage?.limit).toBe(100 * 1024 * 1024);
  });

  it('reuses the pooled connection across uses', async () => {
    const first = await sessions.use('bob', async (client) => client.id);
    const second = await sessions.use('bob', async (client) => client.id);
    expect(second).toBe(first);
  });

  it('goes through the second director when the first does not answer, and says so when none does', async () => {
    const [, elysso] = config.directors;
    const deadFirst = { ...config, directors: [{ name: 'dead', host: '127.0.0.9', imapPort: 9, sievePort: 9 }, elysso!] };
    const connection = await connectImap(deadFirst, 'alice');
    expect(connection.director).toBe('elysso');
    await connection.logout();
    const allDead = { ...config, directors: [{ name: 'dead', host: '127.0.0.9', imapPort: 9, sievePort: 9 }] };
    const error = await connectImap(allDead, 'alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImapError);
    expect((error as ImapError).code).toBe('UNAVAILABLE');
  });
});
