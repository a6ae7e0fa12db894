import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/load';
import { ManageSieveClient, isManageSieveConnectionLoss, type ManageSieveConnectOptions } from './managesieve';
import { ConnectionPool, type OpenContext } from './pool';

export function sieveConnectOptions(config: AppConfig, uid: string): ManageSieveConnectOptions {
  const transport = config.mailTransport;
  return {
    endpoints: config.directors.map((d) => ({ name: d.name, host: d.host, port: d.sievePort })),
    tls: transport.tls,
    tlsOptions: {
      rejectUnauthorized: transport.rejectUnauthorized,
      ...(transport.caFile ? { ca: readFileSync(transport.caFile) } : {}),
    },
    connectTimeoutMs: transport.connectTimeoutMs,
    commandTimeoutMs: transport.commandTimeoutMs,
    // Master-user login: authenticate as the master, act as the user.
    auth: { authcid: config.masterUser.name, password: config.masterUser.password, authzid: uid },
  };
}

/** Each signed-in user's ManageSieve connection, pooled (see pool.ts). */
export class SieveSessions {
  private readonly pool: ConnectionPool<ManageSieveClient>;

  constructor(config: AppConfig, connect: typeof ManageSieveClient.connect = (o) => ManageSieveClient.connect(o)) {
    this.pool = new ConnectionPool({
      maxConnections: config.pool.maxConnections,
      idleMs: config.pool.idleSeconds * 1000,
      open: (uid) => connect(sieveConnectOptions(config, uid)),
      isConnectionLoss: isManageSieveConnectionLoss,
    });
  }

  /** Runs `work` on `uid`'s connection, serialized with the user's other commands. */
  use<T>(uid: string, work: (client: ManageSieveClient) => Promise<T>, context?: OpenContext): Promise<T> {
    return this.pool.use(uid, work, context);
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
