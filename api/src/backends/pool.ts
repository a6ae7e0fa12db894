/**
 * Keeps each signed-in user's authenticated back-end connection open across requests.
 *
 * A fresh ManageSieve connection + authentication through a director costs ~26 ms on
 * loopback, more than a whole request should; so connections are kept for an idle window,
 * at most `maxConnections` of them, the least recently used evicted first. One user's
 * commands on one connection run one after another. A connection that became unusable
 * (protocol error, timeout, server closed it) is dropped, never handed out again.
 */
export interface PooledConnection {
  readonly usable: boolean;
  /** Polite close (e.g. LOGOUT); must not throw. */
  logout(): Promise<void>;
  close(): void;
}

/** What a request knows that a new connection should carry (e.g. the user's address). */
export interface OpenContext {
  clientAddress?: string;
}

export interface PoolOptions<C extends PooledConnection> {
  maxConnections: number;
  idleMs: number;
  /** Opens `key`'s connection; `context` is what the use() that needed it passed along. */
  open: (key: string, context: OpenContext) => Promise<C>;
  /** Errors after which the work may run once more on a fresh connection (the old one broke
   *  under it, e.g. its director went down). Default: none. */
  isConnectionLoss?: (error: unknown) => boolean;
  now?: () => number;
}

interface Entry<C> {
  connection: Promise<C>;
  /** Tail of this key's queue: the next command waits for it. */
  tail: Promise<unknown>;
  busy: number;
  lastUsed: number;
}

export class ConnectionPool<C extends PooledConnection> {
  private readonly entries = new Map<string, Entry<C>>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: PoolOptions<C>) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweepIdle(), Math.max(250, Math.floor(options.idleMs / 2)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Runs `work` on `key`'s connection, after any work already queued for that key. */
  async use<T>(key: string, work: (connection: C) => Promise<T>, context: OpenContext = {}): Promise<T> {
    try {
      return await this.runQueued(key, work, context);
    } catch (error) {
      if (!this.options.isConnectionLoss?.(error)) throw error;
      return this.runQueued(key, work, context);
    }
  }

  private runQueued<T>(key: string, work: (connection: C) => Promise<T>, context: OpenContext): Promise<T> {
    if (this.closed) return Promise.reject(new Error('connection pool is closed'));
    const entry = this.entryFor(key, context);
    entry.busy += 1;
    const run = entry.tail.then(async () => {
      let connection = await entry.connection;
      if (!connection.usable) {
        this.drop(key, entry);
        return this.runQueued(key, work, context);
      }
      try {
        return await work(connection);
      } finally {
        connection = await entry.connection;
        if (!connection.usable) this.drop(key, entry);
      }
    });
    entry.tail = run.catch(() => undefined);
    return run.finally(() => {
      entry.busy -= 1;
      entry.lastUsed = this.now();
    }) as Promise<T>;
  }

  private entryFor(key: string, context: OpenContext): Entry<C> {
    const existing = this.entries.get(key);
    if (existing) {
      // Map order is recency order: move to the end.
      this.entries.delete(key);
      this.entries.set(key, existing);
      return existing;
    }
    const connection = this.options.open(key, context);
    const entry: Entry<C> = { connection, tail: connection.catch(() => undefined), busy: 0, lastUsed: this.now() };
    // A failed open must not stay in the pool for the next request.
    connection.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    this.evictOverflow();
    return entry;
  }

  private evictOverflow(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxConnections) return;
      if (entry.busy === 0) this.drop(key, entry, true);
    }
  }

  private sweepIdle(): void {
    const cutoff = this.now() - this.options.idleMs;
    for (const [key, entry] of this.entries) {
      if (entry.busy === 0 && entry.lastUsed <= cutoff) this.drop(key, entry, true);
    }
  }

  private drop(key: string, entry: Entry<C>, polite = false): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
    void entry.connection.then(
      (c) => (polite && c.usable ? c.logout() : c.close()),
      () => undefined,
    );
  }

  /** Closes `key`'s connection (sign-out), after the work already queued on it. */
  async release(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    await entry.tail;
    await entry.connection.then((c) => c.logout(), () => undefined);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.connection.then((c) => c.logout(), () => undefined)));
  }
}
