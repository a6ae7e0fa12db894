// The HTTP API's shapes as the SPA sees them. The error codes are checked against the
// server's own list at compile time (type-only import: nothing of api/ is bundled).
import type { ErrorCode as ServerErrorCode } from '../../../api/src/http/errors';

export type AddressKind = 'login' | 'default' | 'alias';

export interface Address {
  address: string;
  kind: AddressKind;
}

export interface Me {
  uid: string;
  displayName: string;
  addresses: Address[];
}

export interface SessionResponse {
  me: Me;
  csrfToken: string;
}

/** Error codes the API returns in `{ code, message, requestId }`. */
export const API_ERROR_CODES = [
  'invalid_credentials',
  'rate_limited',
  'directory_unavailable',
  'mail_unavailable',
  'validation',
  'csrf',
  'unauthenticated',
  'internal',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

// Fails to compile when the server gains or loses an error code the UI does not know.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const errorCodesMatchServer: Exactly<ApiErrorCode, ServerErrorCode> = true;

/** Codes the client adds for failures that never produced an API error body. */
export type ClientErrorCode = 'network' | 'unexpected';

export type ErrorCode = ApiErrorCode | ClientErrorCode;

/** Per-field validation codes (`validation` errors carry `fields: { name: code }`). */
export type FieldErrorCode = 'required' | 'too_long' | 'invalid';

export interface ApiErrorBody {
  code: string;
  message: string;
  requestId: string;
  retryAfter?: number;
  fields?: Record<string, string>;
}
