import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ImapError } from '../backends/imap/errors';
import { DirectoryError } from '../backends/ldap/errors';
import { isManageSieveUnavailable } from '../backends/managesieve';
import { isQuarantineDown } from '../backends/quarantine';
import type { Logger } from '../logging';
import { ApiError, errorResponse, type ErrorCode } from './errors';

/** Hono's own refusals (body parsing, method, size) by status. */
const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

const NOTHING_CHANGED = 'nothing was changed, try again in a few minutes';

/**
 * A typed back-end error as the API's answer, or null when it is not one we know.
 * Only "the back end is not answering" has an answer here: anything else a back end raises
 * should have been handled by the feature that called it, so it stays a defect (500).
 */
export function backendErrorToApiError(error: unknown): ApiError | null {
  // A wrong password is the sign-in route's business; every other directory failure means it cannot answer now.
  if (error instanceof DirectoryError && error.code !== 'INVALID_CREDENTIALS') {
    return new ApiError('directory_unavailable', `the directory (LDAP) is not answering; ${NOTHING_CHANGED}`);
  }
  if (isManageSieveUnavailable(error) || (error instanceof ImapError && error.code === 'UNAVAILABLE')) {
    return new ApiError('mail_unavailable', `the mail servers are not answering; ${NOTHING_CHANGED}`);
  }
  if (isQuarantineDown(error)) {
    return new ApiError('quarantine_unavailable', `the content filter’s quarantine is not answering; ${NOTHING_CHANGED}`);
  }
  return null;
}

/** The one place an error becomes an answer (`app.onError`): `{ code, message, requestId }`. */
export function errorMapper(logger: Logger): ErrorHandler {
  return function mapError(error, c) {
    if (error instanceof ApiError) return errorResponse(c, error);
    const fromBackend = backendErrorToApiError(error);
    if (fromBackend) return errorResponse(c, fromBackend);
    if (error instanceof HTTPException) {
      const code = STATUS_CODES[error.status] ?? 'validation';
      return errorResponse(c, new ApiError(code, error.message || code));
    }
    logger.error({ requestId: c.get('requestId'), err: { name: error.name, message: error.message, stack: error.stack } }, 'unhandled error');
    return errorResponse(c, new ApiError('internal', 'something went wrong on our side; the request id identifies it in our logs'));
  };
}
