import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionPool, type PooledConnection } from '../../../api/src/backends/pool';

class FakeConnection implements PooledConnection {
  usable = true;
  closed = false;
  loggedOut = false;
  private markEnded!: () => void;
  /** Settles when the pool logged this connection out or closed it: tests wait for that, not for time. */
  readonly ended = new Promise<void>((resolve) => (this.markEnded = resolve));
  constructor(readonly key: string, readonly serial: number) {}
  async logout() {
    this.loggedOut = true;
    this.usable = false;
    this.markEnded();
  }
  close() {
    this.closed = true;
    this.usable = false;
    this.markEnded();
  }
}

/** A promise the test settles when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

afterEach(() => {
  vi.useRealTimers();
});

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
    const gates = { a: gate(), b: gate(), c: gate() };
    const started = { a: gate(), b: gate(), c: gate() };
    const job = (name: 'a' | 'b' | 'c') =>
      pool.use('alice', async () => {
        events.push(`start ${name}`);
        started[name].open();
        await gates[name].opened;
        events.push(`end ${name}`);
      });
    const all = Promise.all([job('a'), job('b'), job('c')]);
    await started.a.opened;
    // c may finish first and b second: the pool still starts neither before a has ended.
    gates.c.open();
    gates.b.open();
    // One turn of the event loop: work the pool had (wrongly) started would run to its end now.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(events).toEqual(['start a']);
    gates.a.open();
    await all;
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
    await opened.find((c) => c.key === 'b')!.ended;
    expect(pool.size).toBe(2);
    expect(opened.find((c) => c.key === 'b')!.usable).toBe(false);
    expect(opened.find((c) => c.key === 'a')!.usable).toBe(true);
    await pool.closeAll();
  });

  it('closes idle connections after the idle window', async () => {
    vi.useFakeTimers();
    const { pool, opened, clock } = poolWith({ idleMs: 500 });
    await pool.use('a', async () => undefined);
    clock.now = 499;
    await vi.advanceTimersByTimeAsync(250);
    expect(pool.size).toBe(1);
    clock.now = 1000;
    await vi.advanceTimersByTimeAsync(250);
    await opened[0]!.ended;
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
