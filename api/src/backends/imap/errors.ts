export type ImapErrorCode =
  /** No director answered (refused, timed out). */
  | 'UNAVAILABLE'
  /** The master-user login was refused. */
  | 'AUTH_FAILED'
  /** A command failed (NO/BAD) on a working connection. */
  | 'COMMAND_FAILED';

export class ImapError extends Error {
  constructor(
    readonly code: ImapErrorCode,
    message: string,
    /** The server's response code, e.g. OVERQUOTA, NONEXISTENT. */
    readonly serverResponseCode?: string,
  ) {
    super(message);
    this.name = 'ImapError';
  }
}

/** imapflow errors carry `authenticationFailed`, `serverResponseCode` or a socket `code`. */
export function toImapError(error: unknown): ImapError {
  if (error instanceof ImapError) return error;
  const e = (error ?? {}) as { authenticationFailed?: boolean; serverResponseCode?: string; code?: string; message?: string };
  if (e.authenticationFailed) return new ImapError('AUTH_FAILED', 'IMAP login refused');
  if (e.serverResponseCode) return new ImapError('COMMAND_FAILED', e.message ?? 'IMAP command failed', e.serverResponseCode);
  if (typeof e.code === 'string' && /^E[A-Z]+|Timeout|NoConnection/i.test(e.code)) {
    return new ImapError('UNAVAILABLE', `IMAP unavailable: ${e.code}`);
  }
  return new ImapError('COMMAND_FAILED', e.message ?? 'IMAP command failed');
}
