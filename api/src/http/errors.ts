import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error the API answers with has one of these codes; the SPA translates them. */
export const errorStatus = {
  validation: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf: 403,
  forbidden: 403,
  /** Helpdesk: a member looked for or at their own account (they use their own pages). */
  helpdesk_own_account: 403,
  not_found: 404,
  /** The site has no content filter quarantine configured. */
  quarantine_not_configured: 404,
  /** The site sends no mail of its own (no outbound path configured): no held-mail digests. */
  digests_not_configured: 404,
  /** DELETE /api/sessions/{id}: not a live session of this user (made up, another's, ended). */
  session_not_found: 404,
  /** POST /api/security/alerts/{id}/…: the user has no such alert (made up, another's, expired). */
  alert_not_found: 404,
  /** The site has no helpdesk configured. */
  helpdesk_not_configured: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** Another Sieve script than the app's is active; the user must take it over first. */
  foreign_script_active: 409,
  /** Held mail: released before (amavisd would deliver a second copy), or already deleted. */
  already_released: 409,
  /** Held mail: a release the helpdesk must approve was already requested. */
  already_requested: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** The server (CHECKSCRIPT/PUTSCRIPT) refused the script; the old one stays active. */
  script_rejected: 422,
  /** A save without If-Match: saves must say which version they change. */
  precondition_required: 428,
  rate_limited: 429,
  /** A folder scan (rule test, apply, emptying a folder) is running or too many ran lately. */
  scan_limited: 429,
  internal: 500,
  /** The content filter refused to deliver a released message; it stays held. */
  release_failed: 502,
  directory_unavailable: 503,
  mail_unavailable: 503,
  quarantine_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  code: ErrorCode;
  /** English, for developers and logs; the UI shows its own translation of `code`. */
  message: string;
  requestId: string;
  /** Seconds to wait before trying again (rate_limited). */
  retryAfter?: number;
  /** Per-field validation codes, e.g. { username: 'too_long' }. */
  fields?: Record<string, string>;
  /** On a conflict: the current state, so the UI can show what changed. */
  current?: unknown;
  /** On script_rejected: the server's own words, with line numbers. */
  serverText?: string;
  /** On script_rejected: the server's words split per problem, for the raw editor. */
  errors?: Array<{ line: number | null; column?: number; message: string }>;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Pick<ErrorBody, 'retryAfter' | 'fields' | 'current' | 'serverText' | 'errors'> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code];
  }
}

export function errorResponse(c: Context, error: ApiError): Response {
  const body: ErrorBody = {
    code: error.code,
    message: error.message,
    requestId: (c.get('requestId') as string | undefined) ?? '',
    ...error.extra,
  };
  if (error.extra.retryAfter !== undefined) c.header('Retry-After', String(error.extra.retryAfter));
  c.header('Cache-Control', 'no-store');
  return c.json(body, error.status);
}
