/**
 * ManageSieve client (RFC 5804) for the app's back-end sessions: connects through the first
 * director that answers, upgrades to TLS when configured, authenticates with SASL PLAIN
 * (master user + authzid), and runs commands one at a time through an internal queue.
 *
 * Any protocol error, timeout or BYE destroys the socket and leaves the client unusable;
 * a NO leaves it usable. Callers open a new client to carry on (see sieve-sessions.ts).
 */
import * as net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import * as commands from './commands';
import { parseCapabilitiesRecord, type ManageSieveCapabilities } from './capabilities';
import { Connection, type Reply } from './connection';
import { ManageSieveError, errorFromResponse } from './errors';

export { ManageSieveError, type ManageSieveErrorCode } from './errors';
export type { ManageSieveCapabilities } from './capabilities';

export interface ManageSieveEndpoint {
  name: string;
  host: string;
  port: number;
}

export interface ManageSieveConnectOptions {
  /**
   * Tried in order (the two directors). The next one is tried when one refuses, times out,
   * fails TLS, or answers TRYLATER/BYE at the greeting or at login. A refused login
   * (AUTH_FAILED) is not retried elsewhere: the directory behind both is the same.
   */
  endpoints: ManageSieveEndpoint[];
  /**
   * 'none': never STARTTLS. 'starttls-if-offered': STARTTLS when the server advertises it.
   * 'starttls-required': an endpoint that does not offer STARTTLS counts as failed.
   */
  tls: 'none' | 'starttls-if-offered' | 'starttls-required';
  /** Passed to tls.connect (ca, rejectUnauthorized, servername). Default servername: the host, unless it is an IP. */
  tlsOptions?: ConnectionOptions;
  /** Per endpoint; covers TCP connect + greeting + STARTTLS + authentication. */
  connectTimeoutMs: number;
  /** Per command, from when it is sent; on expiry the connection is destroyed. */
  commandTimeoutMs: number;
  /** SASL PLAIN. `authzid` is the user to act as when `authcid` is a master user. */
  auth: { authcid: string; password: string; authzid?: string };
  /** Told about each endpoint that failed (the next one is tried after it): for metrics. */
  onEndpointFailure?: (endpoint: ManageSieveEndpoint, error: ManageSieveError) => void;
}

/** Connection states, imapflow-style: a small constant set. */
export const ClientState = {
  NOT_AUTHENTICATED: 'NOT_AUTHENTICATED',
  AUTHENTICATED: 'AUTHENTICATED',
  LOGOUT: 'LOGOUT',
  CLOSED: 'CLOSED',
} as const;
export type ClientState = (typeof ClientState)[keyof typeof ClientState];

function describe(endpoint: ManageSieveEndpoint): string {
  return `${endpoint.name} (${endpoint.host}:${endpoint.port})`;
}

export class ManageSieveClient {
  readonly endpoint: ManageSieveEndpoint;
  private caps: ManageSieveCapabilities;
  private state: ClientState = ClientState.AUTHENTICATED;
  private readonly conn: Connection;
  private readonly commandTimeoutMs: number;
  /** Tail of the command queue; each command starts when the previous one settled. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly closeListeners: Array<() => void> = [];

  private constructor(conn: Connection, endpoint: ManageSieveEndpoint, caps: ManageSieveCapabilities, commandTimeoutMs: number) {
    this.conn = conn;
    this.endpoint = endpoint;
    this.caps = caps;
    this.commandTimeoutMs = commandTimeoutMs;
    conn.onClosed(() => {
      this.state = ClientState.CLOSED;
      for (const fn of this.closeListeners.splice(0)) {
        try {
          fn();
        } catch {
          // A listener's failure is its own; the connection is gone either way.
        }
      }
    });
  }

  /**
   * Opens an authenticated session on the first endpoint that works. Rejects with
   * ALL_ENDPOINTS_FAILED (per-endpoint errors in `attempts`) when none does, or with
   * AUTH_FAILED as soon as an endpoint refuses the credentials.
   */
  static async connect(opts: ManageSieveConnectOptions): Promise<ManageSieveClient> {
    if (opts.endpoints.length === 0) throw new ManageSieveError('BAD_ARGUMENT', 'no ManageSieve endpoints configured');
    for (const ms of [opts.connectTimeoutMs, opts.commandTimeoutMs]) {
      if (!Number.isFinite(ms) || ms <= 0) throw new ManageSieveError('BAD_ARGUMENT', `timeout must be a positive number of ms, got ${ms}`);
    }
    const attempts: ManageSieveError[] = [];
    for (const endpoint of opts.endpoints) {
      try {
        return await ManageSieveClient.open(endpoint, opts);
      } catch (e) {
        const error =
          e instanceof ManageSieveError
            ? e
            : new ManageSieveError('CONNECT_FAILED', String(e), { endpoint, cause: e });
        if (error.code === 'AUTH_FAILED') throw error;
        opts.onEndpointFailure?.(endpoint, error);
        attempts.push(error);
      }
    }
    const summary = opts.endpoints
      .map((endpoint, i) => {
        const where = describe(endpoint);
        const message = attempts[i]?.message ?? 'not tried';
        return message.startsWith(where) ? message : `${where}: ${message}`;
      })
      .join('; ');
    throw new ManageSieveError('ALL_ENDPOINTS_FAILED', `no ManageSieve endpoint could be used: ${summary}`, {
      attempts,
      cause: attempts[attempts.length - 1],
    });
  }

  /** One endpoint: TCP, greeting, optional STARTTLS, AUTHENTICATE, CAPABILITY — within connectTimeoutMs. */
  private static async open(endpoint: ManageSieveEndpoint, opts: ManageSieveConnectOptions): Promise<ManageSieveClient> {
    const where = describe(endpoint);
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    socket.setNoDelay(true);
    const conn = new Connection(socket, endpoint);
    const timer = setTimeout(() => {
      conn.destroy(new ManageSieveError('TIMEOUT', `${where}: no session within ${opts.connectTimeoutMs} ms`, { endpoint }));
    }, opts.connectTimeoutMs);

    // A failure before the greeting is a failed connect, not a closed session.
    const asConnectFailure = (e: unknown): never => {
      if (e instanceof ManageSieveError && e.code !== 'CLOSED') throw e;
      const reason = e instanceof ManageSieveError && e.cause instanceof Error ? e.cause.message : String(e instanceof Error ? e.message : e);
      throw new ManageSieveError('CONNECT_FAILED', `${where}: ${reason}`, { endpoint, cause: e });
    };
    const exec: commands.Exec = async (verb, request) => {
      const reply = await conn.request(request);
      return expectOk(verb, reply, endpoint, conn);
    };

    try {
      const greeting = await conn.request().catch(asConnectFailure);
      let caps = commands.parseGreeting(expectOk('greeting', greeting, endpoint, conn, where));

      const wantTls = opts.tls !== 'none' && caps.starttls;
      if (opts.tls === 'starttls-required' && !caps.starttls) {
        throw new ManageSieveError('CONNECT_FAILED', `${where}: STARTTLS is required but not offered`, { endpoint });
      }
      if (wantTls) {
        await exec('STARTTLS', commands.startTlsRequest());
        const tlsOptions: ConnectionOptions = { ...(net.isIP(endpoint.host) ? {} : { servername: endpoint.host }), ...opts.tlsOptions };
        const afterTls = await conn.startTls(tlsOptions).catch((e: unknown) => {
          if (e instanceof ManageSieveError && e.code === 'CLOSED') {
            throw new ManageSieveError('CONNECT_FAILED', `${where}: TLS negotiation failed: ${e.message}`, { endpoint, cause: e });
          }
          throw e;
        });
        // RFC 5804 section 2.2: the server re-issues its capabilities after the handshake.
        caps = commands.parseGreeting(expectOk('STARTTLS', afterTls, endpoint, conn, where));
      }

      if (!caps.sasl.includes('PLAIN')) {
        throw new ManageSieveError(
          'AUTH_FAILED',
          `${where}: server does not offer SASL PLAIN (offers: ${caps.sasl.join(' ') || 'none'})`,
          { endpoint },
        );
      }
      try {
        await commands.authenticatePlain(exec, opts.auth);
      } catch (e) {
        if (e instanceof ManageSieveError && e.code === 'COMMAND_FAILED') {
          throw new ManageSieveError('AUTH_FAILED', `${where}: authentication refused${e.serverText ? `: ${e.serverText}` : ''}`, {
            responseCode: e.responseCode,
            serverText: e.serverText,
            endpoint,
          });
        }
        throw e;
      }
      // Re-read after login: behind a director the session is now with the back end, whose
      // capabilities (SIEVE extensions, MAXREDIRECTS) are the ones that count. Dovecot leaves
      // SASL and STARTTLS out after login, so those are kept from before it.
      caps = mergeCapabilities(caps, await commands.capability(exec));
      clearTimeout(timer);
      return new ManageSieveClient(conn, endpoint, caps, opts.commandTimeoutMs);
    } catch (e) {
      clearTimeout(timer);
      conn.destroy();
      throw e;
    }
  }

  get capabilities(): ManageSieveCapabilities {
    return this.caps;
  }

  /** False after close, logout, BYE, timeout or a protocol error. */
  get usable(): boolean {
    return this.state === ClientState.AUTHENTICATED && !this.conn.closed;
  }

  on(event: 'close', fn: () => void): this {
    if (event !== 'close') return this;
    if (this.state === ClientState.CLOSED) queueMicrotask(fn);
    else this.closeListeners.push(fn);
    return this;
  }

  listScripts(): Promise<commands.ScriptListEntry[]> {
    return this.enqueue((exec) => commands.listScripts(exec));
  }

  getScript(name: string): Promise<string> {
    return this.enqueue((exec) => commands.getScript(exec, name));
  }

  putScript(name: string, content: string): Promise<commands.ScriptResult> {
    return this.enqueue((exec) => commands.putScript(exec, name, content));
  }

  checkScript(content: string): Promise<commands.ScriptResult> {
    return this.enqueue((exec) => commands.checkScript(exec, content));
  }

  /** '' deactivates. */
  setActive(name: string): Promise<void> {
    return this.enqueue((exec) => commands.setActive(exec, name));
  }

  deleteScript(name: string): Promise<void> {
    return this.enqueue((exec) => commands.deleteScript(exec, name));
  }

  renameScript(oldName: string, newName: string): Promise<void> {
    return this.enqueue((exec) => commands.renameScript(exec, oldName, newName));
  }

  /** Resolves when the server has room; rejects with code QUOTA when it has not. */
  haveSpace(name: string, sizeOctets: number): Promise<void> {
    return this.enqueue((exec) => commands.haveSpace(exec, name, sizeOctets));
  }

  noop(): Promise<void> {
    return this.enqueue((exec) => commands.noop(exec));
  }

  /** Polite LOGOUT after the queued commands, then close. Never throws. */
  async logout(): Promise<void> {
    if (!this.usable) {
      this.close();
      return;
    }
    try {
      await this.enqueue(async (exec) => {
        this.state = ClientState.LOGOUT;
        await exec('LOGOUT', commands.logoutRequest());
      });
    } catch {
      // Best effort: the session ends either way.
    } finally {
      this.close();
    }
  }

  /** Destroys the connection now; queued and running commands reject with CLOSED. */
  close(): void {
    this.conn.destroy(new ManageSieveError('CLOSED', 'connection closed by the client', { endpoint: this.endpoint }));
  }

  /** Runs `work` after every earlier command has settled, with the per-command timeout. */
  private enqueue<T>(work: (exec: commands.Exec) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (!this.usable) {
        throw new ManageSieveError('CLOSED', `ManageSieve client for ${describe(this.endpoint)} is no longer usable`, {
          endpoint: this.endpoint,
        });
      }
      try {
        return await work((verb, request) => this.send(verb, request));
      } catch (e) {
        // A reply we could not read leaves us out of step with the server: end the session.
        if (e instanceof ManageSieveError && e.code === 'PROTOCOL') this.conn.destroy(e);
        throw e;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async send(verb: string, request: Buffer): Promise<Reply> {
    const timer = setTimeout(() => {
      this.conn.destroy(
        new ManageSieveError('TIMEOUT', `${verb} got no answer within ${this.commandTimeoutMs} ms from ${describe(this.endpoint)}`, {
          endpoint: this.endpoint,
        }),
      );
    }, this.commandTimeoutMs);
    try {
      const reply = await this.conn.request(request);
      return expectOk(verb, reply, this.endpoint, this.conn);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The post-login capabilities, completed with what only the pre-login ones listed. */
function mergeCapabilities(before: ManageSieveCapabilities, after: ManageSieveCapabilities): ManageSieveCapabilities {
  return parseCapabilitiesRecord({ ...before.raw, ...after.raw });
}

/**
 * Returns the reply when it is OK. A NO becomes a typed error (connection stays usable); a BYE
 * becomes a typed error and ends the connection.
 */
function expectOk(verb: string, reply: Reply, endpoint: ManageSieveEndpoint, conn: Connection, where?: string): Reply {
  if (reply.response.kind === 'OK') return reply;
  const error = errorFromResponse(where ? `${where}: ${verb}` : verb, reply.response, endpoint);
  if (reply.response.kind === 'BYE') conn.destroy(error);
  throw error;
}
