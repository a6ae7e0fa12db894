import { API_ERROR_CODES, type ApiErrorBody, type ErrorCode } from './types';

/** Every failed request rejects with this: an API error body, or a client-side stand-in. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;
  readonly fields: Readonly<Record<string, string>>;

  constructor(init: {
    code: ErrorCode;
    status: number;
    message?: string;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
    fields?: Record<string, string> | undefined;
  }) {
    super(init.message ?? init.code);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
    this.fields = init.fields ?? {};
  }
}

function isApiErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (API_ERROR_CODES as readonly string[]).includes(code);
}

/**
 * Turns a non-2xx response body into an ApiError. Bodies that do not follow the contract
 * (a proxy's HTML 502 page, an unknown code) become `unexpected`, keeping the status.
 */
export function errorFromBody(status: number, body: unknown, retryAfterHeader?: string | null): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Partial<ApiErrorBody>;
  const headerSeconds = retryAfterHeader != null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
  const retryAfter = typeof b.retryAfter === 'number' && b.retryAfter >= 0 ? b.retryAfter : headerSeconds;
  const fields: Record<string, string> = {};
  if (typeof b.fields === 'object' && b.fields !== null) {
    for (const [name, code] of Object.entries(b.fields)) {
      if (typeof code === 'string') fields[name] = code;
    }
  }
  return new ApiError({
    code: isApiErrorCode(b.code) ? b.code : 'unexpected',
    status,
    message: typeof b.message === 'string' ? b.message : `HTTP ${status}`,
    requestId: typeof b.requestId === 'string' ? b.requestId : undefined,
    retryAfter,
    fields,
  });
}

/** Translation key and parameters for showing an error to the user. */
export interface ErrorDescription {
  key: string;
  /** Plural count, when the message has one (rate limiting). */
  count?: number;
  params: Record<string, string | number>;
}

/**
 * What to tell the user about a failure. The server's English `message` is for logs and
 * developers; the UI shows its own translated text per code.
 */
export function describeError(err: unknown): ErrorDescription {
  if (!(err instanceof ApiError)) return { key: 'errors.unexpected', params: { code: 'client' } };
  const params: Record<string, string | number> = { code: err.code, requestId: err.requestId ?? '—' };
  if (err.code === 'rate_limited' || err.code === 'scan_limited') {
    const seconds = Math.max(1, Math.ceil(err.retryAfter ?? 60));
    // Under two minutes, seconds read better than "1 minute" for a wait of 61–119 s.
    if (seconds < 120) return { key: `errors.${err.code}_seconds`, count: seconds, params: { ...params, count: seconds } };
    const minutes = Math.ceil(seconds / 60);
    return { key: `errors.${err.code}_minutes`, count: minutes, params: { ...params, count: minutes } };
  }
  if (err.code === 'unexpected') params.code = String(err.status || 'client');
  return { key: `errors.${err.code}`, params };
}
