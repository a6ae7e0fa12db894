import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error the API answers with has one of these codes; the SPA translates them. */
export const errorStatus = {
  validation: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf: 403,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  directory_unavailable: 503,
  mail_unavailable: 503,
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
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Pick<ErrorBody, 'retryAfter' | 'fields'> = {},
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
