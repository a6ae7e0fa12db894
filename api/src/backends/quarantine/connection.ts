import type pg from 'pg';

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
