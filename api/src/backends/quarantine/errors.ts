/**
 * Errors of the content filter's quarantine: its release port (AM.PDP) and its SQL log.
 * Stable codes callers branch on.
 *
 * - CONNECT_FAILED: the TCP connection to amavisd's AM.PDP port failed.
 * - TIMEOUT: no complete answer in time; the socket is destroyed.
 * - CLOSED: amavisd closed the connection before its answer ended (it does so, without a
 *   word, for a client outside its policy bank's `inet_acl`).
 * - PROTOCOL: the answer is not `name=value` lines, or lacks what the request needs.
 * - BAD_ARGUMENT: a mail_id, secret_id or address that must not be sent; nothing was sent.
 * - UNAVAILABLE: amavisd's SQL log (PostgreSQL) cannot be reached or failed a query.
 * - RELEASE_FAILED: amavisd answered, but not every recipient's `setreply` is 2xx (wrong
 *   secret_id, unknown mail_id, the back end refused the delivery); the replies are kept.
 */
export type QuarantineErrorCode = 'CONNECT_FAILED' | 'TIMEOUT' | 'CLOSED' | 'PROTOCOL' | 'BAD_ARGUMENT' | 'RELEASE_FAILED' | 'UNAVAILABLE';

export class QuarantineError extends Error {
  override readonly name = 'QuarantineError';

  constructor(
    readonly code: QuarantineErrorCode,
    message: string,
    /** RELEASE_FAILED: amavisd's per-recipient replies (`setreply`), decoded. */
    readonly replies: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The quarantine (its database or its release port) did not answer, as opposed to refusing. */
export function isQuarantineDown(error: unknown): boolean {
  return error instanceof QuarantineError && ['UNAVAILABLE', 'CONNECT_FAILED', 'TIMEOUT', 'CLOSED'].includes(error.code);
}
