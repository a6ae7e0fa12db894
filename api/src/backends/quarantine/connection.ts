import pg from 'pg';

/**
 * pg connection settings for `postgres://user@host[:port]/database` and a password given
 * apart. Spelt out field by field: given a connection string, pg would take the string's
 * (absent) password over `password`.
 */
export function pgConnection(databaseUrl: string, password: string): pg.ClientConfig {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: url.port === '' ? 5432 : Number(url.port),
    database: decodeURIComponent(url.pathname.slice(1)),
    user: decodeURIComponent(url.username),
    password,
  };
}

export interface PoolOptions {
  /** postgres://user@host:port/database, without the password. */
  connectionString: string;
  password: string;
  /** Per statement. */
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  maxConnections: number;
}

/** A pool on amavisd's database; an idle client losing its server must not crash the process (the next query reports it). */
export function pgPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    ...pgConnection(options.connectionString, options.password),
    max: options.maxConnections,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => undefined);
  return pool;
}
