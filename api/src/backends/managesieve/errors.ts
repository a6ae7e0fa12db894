import type { ManageSieveResponse } from './response';

/**
 * Stable codes callers branch on. The server's own response code (e.g. `QUOTA/MAXSIZE`) is kept
 * beside it in `responseCode`.
 *
 * - CONNECT_FAILED: TCP connect or TLS failed, or the endpoint's greeting was unusable.
 * - TIMEOUT: connect (TCP + greeting + auth) or a command took too long; the socket is destroyed.
 * - AUTH_FAILED: the server refused SASL PLAIN (wrong password, unknown authzid, no PLAIN offered).
 * - COMMAND_FAILED: a `NO` without a response code we map (e.g. a CHECKSCRIPT/PUTSCRIPT syntax
 *   error: the server's full text, with line numbers, is in `serverText`).
 * - QUOTA, NONEXISTENT, ACTIVE, ALREADYEXISTS, TRYLATER: the RFC 5804 response codes.
 * - BYE: the server closed the session (at greeting, after a command, or unsolicited).
 * - PROTOCOL: the server sent something we cannot parse or did not expect.
 * - CLOSED: the connection is gone (closed by us or the peer) or the client is unusable.
 * - BAD_ARGUMENT: a script name or size that must not be sent; nothing was sent.
 * - ALL_ENDPOINTS_FAILED: connect tried every endpoint; the per-endpoint errors are in `attempts`.
 */
export type ManageSieveErrorCode =
  | 'CONNECT_FAILED'
  | 'TIMEOUT'
  | 'AUTH_FAILED'
  | 'COMMAND_FAILED'
  | 'QUOTA'
  | 'NONEXISTENT'
  | 'ACTIVE'
  | 'ALREADYEXISTS'
  | 'TRYLATER'
  | 'BYE'
  | 'PROTOCOL'
  | 'CLOSED'
  | 'BAD_ARGUMENT'
  | 'ALL_ENDPOINTS_FAILED';

/** The endpoint an error happened on, as `name (host:port)` data rather than a string. */
export interface ManageSieveErrorEndpoint {
  name: string;
  host: string;
  port: number;
}

export interface ManageSieveErrorOptions {
  /** Raw response code as the server sent it, upper-cased: `QUOTA/MAXSIZE`, `NONEXISTENT`. */
  responseCode?: string;
  /** The human text from the server's OK/NO/BYE, exactly as sent (may span lines). */
  serverText?: string;
  endpoint?: ManageSieveErrorEndpoint;
  /** For ALL_ENDPOINTS_FAILED: what went wrong on each endpoint, in the order tried. */
  attempts?: readonly ManageSieveError[];
  cause?: unknown;
}

export class ManageSieveError extends Error {
  override readonly name = 'ManageSieveError';
  readonly code: ManageSieveErrorCode;
  readonly responseCode: string | undefined;
  readonly serverText: string | undefined;
  readonly endpoint: ManageSieveErrorEndpoint | undefined;
  readonly attempts: readonly ManageSieveError[] | undefined;

  constructor(code: ManageSieveErrorCode, message: string, options: ManageSieveErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.responseCode = options.responseCode;
    this.serverText = options.serverText;
    this.endpoint = options.endpoint;
    this.attempts = options.attempts;
  }
}

/** RFC 5804 response codes that have a code of their own; `QUOTA/…` sub-codes map to QUOTA. */
function codeFor(kind: ManageSieveResponse['kind'], responseCode: string | undefined): ManageSieveErrorCode {
  if (kind === 'BYE') return responseCode === 'TRYLATER' ? 'TRYLATER' : 'BYE';
  if (responseCode === undefined) return 'COMMAND_FAILED';
  const top = responseCode.split('/')[0];
  switch (top) {
    case 'QUOTA':
      return 'QUOTA';
    case 'NONEXISTENT':
      return 'NONEXISTENT';
    case 'ACTIVE':
      return 'ACTIVE';
    case 'ALREADYEXISTS':
      return 'ALREADYEXISTS';
    case 'TRYLATER':
      return 'TRYLATER';
    default:
      return 'COMMAND_FAILED';
  }
}

/** Turns a NO or BYE answer to `command` into a typed error carrying the server's words. */
export function errorFromResponse(
  command: string,
  response: ManageSieveResponse,
  endpoint: ManageSieveErrorEndpoint | undefined,
): ManageSieveError {
  const responseCode = response.code?.name;
  const code = codeFor(response.kind, responseCode);
  const detail = response.text === undefined ? '' : `: ${response.text.trim()}`;
  const codePart = responseCode === undefined ? '' : ` (${responseCode})`;
  return new ManageSieveError(code, `${command} answered ${response.kind}${codePart}${detail}`, {
    responseCode,
    serverText: response.text,
    endpoint,
  });
}

/** Codes that mean the mail server could not be reached or dropped the connection: not a
 *  refusal of what was sent, so callers answer "unavailable" (or try another director). */
const UNAVAILABLE_CODES: readonly ManageSieveErrorCode[] = ['ALL_ENDPOINTS_FAILED', 'CONNECT_FAILED', 'TIMEOUT', 'CLOSED', 'BYE', 'TRYLATER'];

export function isManageSieveUnavailable(error: unknown): error is ManageSieveError {
  return error instanceof ManageSieveError && UNAVAILABLE_CODES.includes(error.code);
}

/** The connection broke under a command (closed, BYE, timed out): the same work may run once
 *  more on a fresh connection, which goes through whichever director answers. */
export function isManageSieveConnectionLoss(error: unknown): error is ManageSieveError {
  return error instanceof ManageSieveError && (['CLOSED', 'BYE', 'TIMEOUT'] as ManageSieveErrorCode[]).includes(error.code);
}
