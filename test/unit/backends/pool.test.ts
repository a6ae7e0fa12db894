import { describe, expect, it } from 'vitest';
import { ConnectionPool, type PooledConnection } from '../../../api/src/backends/pool';

class FakeConnection implements PooledConnection {
  usable = true;
  closed = false;
  loggedOut = false;
  constructor(readonly key: string, readonly serial: number) {}
  async logout() {
    this.loggedOut = true;
    this.usable = false;
  }
  close() {
    this.closed = true;
    this.usable = false;
  }
}

function poolWith(options: { max?: number; idleMs?: number; failOpen?: boolean; isConnectionLoss?: (e: unknown) => boolean } = {}) {
  const opened: FakeConnection[] = [];
  const clock = { now: 0 };
  const pool = new ConnectionPool<FakeConnection>({
    maxConnections: options.max ?? 10,
    idleMs: options.idleMs ?? 60_000,
    now: () => clock.now,
    isConnectionLoss: options.isConnectionLoss,
    open: async (key) => {
      if (options.failOpen) throw new Error('refused');
      const c = new FakeConnection(key, opened.length);
      opened.push(c);
      return c;
    },
  });
  return { pool, opened, clock };
}

describe('connection pool', () => {
  it('reuses one connection per key across uses', async () => {
    const { pool, opened } = poolWith();
    await pool.use('alice', async () => 1);
    await pool.use('alice', async () => 2);
    await pool.use('bob', async () => 3);
    expect(opened.map((c) => c.key)).toEqual(['alice', 'bob']);
    await pool.closeAll();
  });

  it('runs one key’s work strictly one after another', async () => {
    const { pool } = poolWith();
    const events: string[] = [];
    const job = (name: string, ms: number) =>
      pool.use('alice', async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
      });
    await Promise.all([job('a', 20), job('b', 1), job('c', 5)]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    await pool.closeAll();
  });

  it('drops a connection that broke during work and opens a new one next time', async () => {
    const { pool, opened } = poolWith();
    await expect(
      pool.use('alice', async (c) => {
        c.usable = false;
        throw new Error('protocol error');
      }),
    ).rejects.toThrow('protocol error');
    await pool.use('alice', async () => undefined);
    expect(opened).toHaveLength(2);
    expect(opened[0]!.closed).toBe(true);
    await pool.closeAll();
  });

  it('retries once on a fresh connection after a connection loss', async () => {
    const { pool, opened } = poolWith({ isConnectionLoss: (e) => (e as Error).message === 'closed' });
    let attempts = 0;
    const result = await pool.use('alice', async (c) => {
      attempts += 1;
      if (attempts === 1) {
        c.usable = false;
        throw new Error('closed');
      }
      return c.serial;
    });
    expect(result).toBe(1);
    expect(opened).toHaveLength(2);
    await pool.closeAll();
  });

  it('evicts the least recently used connection beyond the bound', async () => {
    const { pool, opened } = poolWith({ max: 2 });
    await pool.use('a', async () => undefined);
    await pool.use('b', async () => undefined);
    await pool.use('a', async () => undefined);
    await pool.use('c', async () => undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(pool.size).toBe(2);
    expect(opened.find((c) => c.key === 'b')!.usable).toBe(false);
    expect(opened.find((c) => c.key === 'a')!.usable).toBe(true);
    await pool.closeAll();
  });

  it('closes idle connections after the idle window', async () => {
    const { pool, opened, clock } = poolWith({ idleMs: 500 });
    await pool.use('a', async () => undefined);
    clock.now = 1000;
    await new Promise((r) => setTimeout(r, 400));
    expect(pool.size).toBe(0);
    expect(opened[0]!.loggedOut).toBe(true);
    await pool.closeAll();
  });

  it('does not keep a failed open, and release logs out', async () => {
    const failing = poolWith({ failOpen: true });
    await expect(failing.pool.use('a', async () => undefined)).rejects.toThrow('refused');
    expect(failing.pool.size).toBe(0);
    const { pool, opened } = poolWith();
    await pool.use('a', async () => undefined);
    await pool.release('a');
    expect(opened[0]!.loggedOut).toBe(true);
    expect(pool.size).toBe(0);
    await failing.pool.closeAll();
    await pool.closeAll();
  });
});
