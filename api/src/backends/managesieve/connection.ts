/**
 * One socket and its response reader. Knows nothing about commands: it writes bytes and hands
 * back the next reply (data lines + final OK/NO/BYE). At most one reply is awaited at a time;
 * the client's queue guarantees that.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ManageSieveError, type ManageSieveErrorEndpoint } from './errors';
import { MAX_RESPONSE_OCTETS } from './limits';
import { ResponseReader, parseResponse, type ManageSieveResponse, type Token } from './parser';

export interface Reply {
  /** Data lines before the final response (capabilities, script list, a script literal). */
  lines: Token[][];
  response: ManageSieveResponse;
}

interface Waiter {
  lines: Token[][];
  octets: number;
  resolve: (reply: Reply) => void;
  reject: (error: ManageSieveError) => void;
}

export class Connection {
  private socket: net.Socket;
  private readonly reader = new ResponseReader();
  private waiter: Waiter | undefined;
  private closedWith: ManageSieveError | undefined;
  private readonly closeListeners: Array<(error: ManageSieveError) => void> = [];
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onError = (err: Error): void => {
    this.destroy(new ManageSieveError('CLOSED', `connection error: ${err.message}`, { endpoint: this.endpoint, cause: err }));
  };
  private readonly onClose = (): void => {
    this.destroy(new ManageSieveError('CLOSED', 'connection closed by the server', { endpoint: this.endpoint }));
  };

  constructor(
    socket: net.Socket,
    readonly endpoint: ManageSieveErrorEndpoint,
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Called once, with the reason, when the connection is gone. */
  onClosed(listener: (error: ManageSieveError) => void): void {
    this.closeListeners.push(listener);
  }

  /** Writes `bytes` (if any) and resolves with the reply. Rejects when the connection dies first. */
  request(bytes?: Buffer): Promise<Reply> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.waiter) {
      return Promise.reject(new ManageSieveError('PROTOCOL', 'internal: a reply is already awaited', { endpoint: this.endpoint }));
    }
    if (this.reader.buffered > 0) {
      // Part of a line arrived while no command was outstanding: the server is out of step.
      const error = new ManageSieveError('PROTOCOL', 'unsolicited data from the server', { endpoint: this.endpoint });
      this.destroy(error);
      return Promise.reject(error);
    }
    const promise = new Promise<Reply>((resolve, reject) => {
      this.waiter = { lines: [], octets: 0, resolve, reject };
    });
    if (bytes) this.socket.write(bytes);
    // Lines may already be buffered (e.g. the greeting arrived with the TCP connect).
    this.drain();
    return promise;
  }

  /**
   * Wraps the socket in TLS after the server's OK to STARTTLS and resolves with the reply the
   * server then sends unasked (RFC 5804 section 2.2: capabilities, then OK).
   */
  startTls(options: tls.ConnectionOptions): Promise<Reply> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.reader.buffered > 0) {
      // Bytes sent after OK but before the handshake would be trusted as if they came over TLS
      // (the STARTTLS response-injection attack); refuse.
      const error = new ManageSieveError('PROTOCOL', 'server sent data after the STARTTLS response', { endpoint: this.endpoint });
      this.destroy(error);
      return Promise.reject(error);
    }
    const plain = this.socket;
    this.detach(plain);
    const secure = tls.connect({ ...options, socket: plain });
    this.socket = secure;
    this.attach(secure);
    // The server speaks first once the handshake is done; handshake errors arrive as 'error'.
    return this.request();
  }

  /** Ends the connection now; the pending reply (if any) rejects with `reason`. Idempotent. */
  destroy(reason?: ManageSieveError): void {
    if (this.closedWith) return;
    const error = reason ?? new ManageSieveError('CLOSED', 'connection closed', { endpoint: this.endpoint });
    this.closedWith = error;
    this.detach(this.socket);
    // Keep a no-op error listener: a late socket error must not become an uncaught exception.
    this.socket.on('error', () => {});
    this.socket.destroy();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private detach(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }

  private receive(chunk: Buffer): void {
    if (this.closedWith) return;
    this.reader.push(chunk);
    this.drain();
  }

  private drain(): void {
    try {
      while (!this.closedWith) {
        if (!this.waiter) {
          // Data nobody asked for. An idle-timeout BYE is legitimate; anything else is not.
          const line = this.reader.next();
          if (line === null) return;
          const response = parseResponse(line);
          if (response?.kind === 'BYE') {
            const text = response.text === undefined ? '' : `: ${response.text}`;
            this.destroy(
              new ManageSieveError('BYE', `server closed the session${text}`, {
                responseCode: response.code?.name,
                serverText: response.text,
                endpoint: this.endpoint,
              }),
            );
          } else {
            this.destroy(new ManageSieveError('PROTOCOL', 'unsolicited data from the server', { endpoint: this.endpoint }));
          }
          return;
        }
        const before = this.reader.buffered;
        const line = this.reader.next();
        if (line === null) {
          if (this.waiter.octets + this.reader.buffered > MAX_RESPONSE_OCTETS) {
            throw new ManageSieveError('PROTOCOL', `response larger than ${MAX_RESPONSE_OCTETS} octets`);
          }
          return;
        }
        this.waiter.octets += before - this.reader.buffered;
        if (this.waiter.octets > MAX_RESPONSE_OCTETS) {
          throw new ManageSieveError('PROTOCOL', `response larger than ${MAX_RESPONSE_OCTETS} octets`);
        }
        const response = parseResponse(line);
        if (response === null) {
          this.waiter.lines.push(line);
          continue;
        }
        const waiter = this.waiter;
        this.waiter = undefined;
        waiter.resolve({ lines: waiter.lines, response });
        // Go on: a complete line already here was sent before our next command, so it is
        // unsolicited (an idle BYE, or a STARTTLS response-injection attempt).
      }
    } catch (e) {
      const error =
        e instanceof ManageSieveError
          ? new ManageSieveError(e.code, e.message, { endpoint: this.endpoint, cause: e.cause })
          : new ManageSieveError('PROTOCOL', String(e), { endpoint: this.endpoint, cause: e });
      this.destroy(error);
    }
  }
}
