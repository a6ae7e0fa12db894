import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { resetUser, startPiece, stopPiece } from '../../support/stack';
import { allRunning, saveVacation, signedIn } from './support';

// One director (theano, the first in the config) stopped in the middle of a load run: no user
// request fails. Pooled connections through theano break under their next command; the pool
// runs that command again once on a fresh connection, which goes to elysso — for reads (GET)
// and for writes (PUT, a whole read-modify-write). Stops theano for the 30 answers after it.

const USERS = Array.from({ length: 8 }, (_, i) => `load${178 + i}`);
let server: TestServer;
let clients: ApiClient[];

beforeAll(async () => {
  await allRunning();
  await Promise.all(USERS.map((u) => resetUser(u)));
  server = await startTestServer();
  clients = await Promise.all(USERS.map((u) => signedIn(server.url, u)));
}, 60_000);
afterAll(async () => {
  await allRunning();
  await server?.close();
});

describe('one director down during load', () => {
  it('every read and write succeeds while theano stops; new connections go to elysso', async () => {
    // Every pooled connection starts on theano.
    for (const u of USERS) expect(await server.services.sieve.use(u, async (c) => c.endpoint.name)).toBe('theano');

    const failures: string[] = [];
    let answered = 0;
    // Moves on after a count of answers, not after a time: a busy machine answers more slowly.
    const waiting: Array<{ count: number; resolve: () => void }> = [];
    const untilAnswered = (count: number) => new Promise<void>((resolve) => waiting.push({ count, resolve }));
    let stop = false;
    let n = 0;
    const loops = clients.map(async (client, i) => {
      while (!stop) {
        n += 1;
        const kind = n % 3;
        const res =
          kind === 0
            ? await client.request('GET', '/api/overview')
            : kind === 1
              ? await client.request('GET', '/api/spam')
              : await saveVacation(client, `load test ${i} ${n}`);
        answered += 1;
        for (const w of waiting.filter((x) => answered >= x.count)) w.resolve();
        if (res.status !== 200) failures.push(`${USERS[i]} ${kind}: ${res.status} ${res.text}`);
      }
    });
    try {
      await untilAnswered(16);
      await stopPiece('theano');
      // 30 answers after theano went away, each through a connection that had to fail over.
      await untilAnswered(answered + 30);
    } finally {
      stop = true;
      await Promise.all(loops);
      await startPiece('theano');
    }
    expect(failures).toEqual([]);
    // Requests went on during the stop. How much latency the failover adds (budget in docs/ARCHITECTURE.md: ≤ 1 s) is
    // measured by `npm run bench -- failover`, not asserted here.
    expect(answered).toBeGreaterThan(40);
    for (const u of USERS) expect(await server.services.sieve.use(u, async (c) => c.endpoint.name)).toBe('elysso');
    for (const u of USERS) expect(await server.services.imap.use(u, async () => 'ok')).toBe('ok');
    // The saves landed: each user's vacation subject is the last one written.
    for (const client of clients) {
      const view = await client.request('GET', '/api/vacation');
      expect((view.body.vacation as { subject: string }).subject).toMatch(/^load test/);
    }
  }, 60_000);

});
