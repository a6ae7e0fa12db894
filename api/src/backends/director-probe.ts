import { connect } from 'node:net';

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** Longest greeting we read before giving up: a greeting is a few lines. */
const MAX_GREETING_BYTES = 8192;

/**
 * Opens a TCP connection and waits for the service's greeting: an IMAP `* OK` line, or the
 * ManageSieve capability list ending in an `OK` line. No authentication: health checks must
 * not count as failed logins anywhere.
 */
export function probeGreeting(host: string, port: number, done: RegExp, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    const finish = (ok: boolean, error?: string) => {
      socket.destroy();
      clearTimeout(timer);
      resolve({ ok, latencyMs: Math.round((performance.now() - started) * 10) / 10, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish(false, 'timeout'), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (done.test(received)) finish(true);
      else if (received.length > MAX_GREETING_BYTES) finish(false, 'unexpected greeting');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => finish(false, e.code ?? 'connection error'));
    socket.on('close', () => finish(false, 'closed before greeting'));
  });
}

export const IMAP_GREETING = /^\* OK[^\r\n]*\r\n/;
export const SIEVE_GREETING = /(^|\r\n)OK[^\r\n]*\r\n$/;
