// The HTTP API's shapes as the SPA sees them. Kept in step with api/ by hand: the two
// halves build with different tsconfigs (DOM vs Node), so neither imports the other.

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
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

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
