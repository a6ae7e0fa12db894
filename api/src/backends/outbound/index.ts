import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { AppConfig } from '../../config/load';

/**
 * How the app's own mail leaves: handed to the local sendmail(1) (the local stack's captures it
 * into its outbox) or to the site's relay over SMTP, by nodemailer's transports. The message is
 * already composed (shared/mail-composer.ts); this only submits it with its envelope.
 */

/**
 * - REFUSED: the relay or sendmail answered and did not take the message (it was not sent).
 * - UNAVAILABLE: nobody answered (connection refused, timeout, sendmail missing).
 */
export type OutboundErrorCode = 'REFUSED' | 'UNAVAILABLE';

export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Envelope {
  /** Envelope sender; '' for the null sender. */
  from: string;
  to: string[];
}

export interface Outbound {
  send(envelope: Envelope, message: Buffer): Promise<void>;
  close(): void;
}

type OutboundConfig = NonNullable<AppConfig['outbound']>;

const NOT_ANSWERING = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'EDNS', 'ENOENT', 'EACCES']);

function toOutboundError(error: unknown): OutboundError {
  const e = error as { code?: string; message?: string };
  const down = e.code !== undefined && NOT_ANSWERING.has(e.code);
  return new OutboundError(down ? 'UNAVAILABLE' : 'REFUSED', `outbound mail: ${e.message ?? String(error)}`, { cause: error });
}

export function createOutbound(config: OutboundConfig): Outbound {
  const t = config.transport;
  const transport =
    t.kind === 'sendmail'
      ? nodemailer.createTransport({ sendmail: true, path: t.path, newline: 'unix' })
      : nodemailer.createTransport({
          host: t.host,
          port: t.port,
          secure: t.tls === 'implicit',
          ignoreTLS: t.tls === 'none',
          requireTLS: t.tls === 'starttls-required',
          ...(t.caFile ? { tls: { ca: readFileSync(t.caFile) } } : {}),
          connectionTimeout: config.timeoutMs,
          greetingTimeout: config.timeoutMs,
          socketTimeout: config.timeoutMs,
        });
  return {
    async send(envelope, message) {
      try {
        await transport.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw: message });
      } catch (error) {
        throw toOutboundError(error);
      }
    },
    close: () => transport.close(),
  };
}
