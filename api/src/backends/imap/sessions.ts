import { readFileSync } from 'node:fs';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { AppConfig } from '../../config/load';
import { ConnectionPool, type OpenContext, type PooledConnection } from '../pool';
import { ImapError, toImapError } from './errors';

/** An authenticated imapflow client, as the pool keeps it. */
export class ImapConnection implements PooledConnection {
  constructor(
    readonly client: ImapFlow,
    /** The director this connection goes through. */
    readonly director: string,
  ) {}

  get usable(): boolean {
    return this.client.usable;
  }

  async logout(): Promise<void> {
    await this.client.logout().catch(() => this.client.close());
  }

  close(): void {
    this.client.close();
  }
}

function imapOptions(config: AppConfig, director: AppConfig['directors'][number], uid: string, context: OpenContext): ImapFlowOptions {
  const transport = config.mailTransport;
  return {
    host: director.host,
    port: director.imapPort,
    secure: false,
    doSTARTTLS: transport.tls === 'none' ? false : transport.tls === 'starttls-required' ? true : undefined,
    tls: { rejectUnauthorized: transport.rejectUnauthorized, ...(transport.caFile ? { ca: readFileSync(transport.caFile) } : {}) },
    // Master-user login: SASL PLAIN as the master, authorized as the user.
    auth: { user: config.masterUser.name, pass: config.masterUser.password, authzid: uid, loginMethod: 'AUTH=PLAIN' },
    // Dovecot accepts x-originating-ip from login_trusted_networks, so its logs and login
    // penalties see the user's address rather than ours.
    clientInfo: { name: 'EmailNG Settings', ...(context.clientAddress ? { 'x-originating-ip': context.clientAddress } : {}) },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: transport.connectTimeoutMs,
    greetingTimeout: transport.connectTimeoutMs,
    socketTimeout: transport.commandTimeoutMs * 4,
  };
}

/** Opens an IMAP session for `uid` through the first director that answers. */
export async function connectImap(
  config: AppConfig,
  uid: string,
  context: OpenContext = {},
  onDirectorFailure?: (director: AppConfig['directors'][number], error: ImapError) => void,
): Promise<ImapConnection> {
  const failures: string[] = [];
  for (const director of config.directors) {
    const client = new ImapFlow(imapOptions(config, director, uid, context));
    client.on('error', () => undefined); // surfaced through the failing command instead
    try {
      await client.connect();
      return new ImapConnection(client, director.name);
    } catch (error) {
      client.close();
      const mapped = toImapError(error);
      if (mapped.code === 'AUTH_FAILED') throw mapped; // another director would refuse too
      onDirectorFailure?.(director, mapped);
      failures.push(`${director.name}: ${mapped.message}`);
    }
  }
  throw new ImapError('UNAVAILABLE', `no director answered (${failures.join('; ')})`);
}

function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === 'NoConnection' || e?.code === 'EConnectionClosed' || e?.code === 'ECONNRESET';
}

/**
 * A pooled connection may still have a mailbox selected from an earlier request. Dovecot then
 * answers STATUS for that mailbox from the session's own view, which misses mail delivered
 * since; a NOOP brings the view up to date first. (CLOSE would deselect, but it also expunges
 * messages another client flagged \Deleted, so it is not used.)
 */
async function syncSelected(client: ImapFlow): Promise<void> {
  if (client.mailbox) await client.noop();
}

/** Each signed-in user's IMAP connection, pooled like ManageSieve's (see pool.ts). */
export class ImapSessions {
  private readonly pool: ConnectionPool<ImapConnection>;

  constructor(config: AppConfig, options: { onDirectorFailure?: (director: AppConfig['directors'][number], error: ImapError) => void } = {}) {
    this.pool = new ConnectionPool({
      maxConnections: config.pool.maxConnections,
      idleMs: config.pool.idleSeconds * 1000,
      open: (uid, context) => connectImap(config, uid, context, options.onDirectorFailure),
      isConnectionLoss,
    });
  }

  /** Runs `work` on `uid`'s IMAP connection; imapflow errors become ImapError. */
  async use<T>(uid: string, work: (client: ImapFlow) => Promise<T>, context?: OpenContext): Promise<T> {
    try {
      return await this.pool.use(uid, (connection) => syncSelected(connection.client).then(() => work(connection.client)), context);
    } catch (error) {
      throw toImapError(error);
    }
  }

  release(uid: string): Promise<void> {
    return this.pool.release(uid);
  }

  get size(): number {
    return this.pool.size;
  }

  close(): Promise<void> {
    return this.pool.closeAll();
  }
}
