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
  'precondition_required',
  'script_rejected',
  'foreign_script_active',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

// Fails to compile when the server gains or loses an error code the UI does not know.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const errorCodesMatchServer: Exactly<ApiErrorCode, ServerErrorCode> = true;

/** Codes the client adds for failures that never produced an API error body. */
export type ClientErrorCode = 'network' | 'unexpected';

export type ErrorCode = ApiErrorCode | ClientErrorCode;

/** Per-field validation codes (`validation` errors carry `fields: { name: code }`). */
export const FIELD_ERROR_CODES = [
  'required',
  'too_long',
  'invalid',
  // vacation, spam, forwarding
  'end_before_start',
  'end_in_past',
  'line_break',
  'not_own_address',
  'out_of_range',
  'not_a_number',
  'not_address_or_domain',
  'duplicate',
  'discard_below_threshold',
  'own_address',
  'too_many',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface ApiErrorBody {
  code: string;
  message: string;
  requestId: string;
  retryAfter?: number;
  fields?: Record<string, string>;
}

// ---- Settings kept in the user's Sieve script (vacation, spam, forwarding) -------------

/** Another Sieve script is active (set up elsewhere); saving needs a take-over first. */
export interface ForeignScript {
  name: string;
}

/** What every script-backed setting answers besides its own data. */
export interface ScriptState {
  /** Sent back as If-Match on save. */
  etag: string;
  /** The app's block in the script was edited by hand since the app last wrote it. */
  handEdited: boolean;
  foreignScript: ForeignScript | null;
}

export interface Vacation {
  enabled: boolean;
  /** Wall-clock `YYYY-MM-DDTHH:mm` in `timeZone`; replies from start (inclusive)… */
  start: string | null;
  /** …until end (exclusive). */
  end: string | null;
  timeZone: string;
  subject: string;
  message: string;
  intervalDays: number;
  from: string | null;
}

export interface VacationResponse extends ScriptState {
  vacation: Vacation;
  addresses: Address[];
  limits: { subjectMaxLength: number; messageMaxLength: number; intervalDaysMin: number; intervalDaysMax: number };
}

export type SpamLevel = 'off' | 'lenient' | 'standard' | 'strict' | 'custom';
export type SpamFolder = 'SPAM' | 'Junk';

export interface Spam {
  level: SpamLevel;
  threshold: number | null;
  folder: SpamFolder;
  discardAbove: number | null;
  allow: string[];
  block: string[];
  blockAction: 'discard' | 'folder';
}

export interface SpamResponse extends ScriptState {
  spam: Spam;
  presets: Array<{ level: SpamLevel; threshold: number | null }>;
  siteThreshold: number;
  quarantineScore: number;
  /** The lowest score the server really files, given its coarse spamtest scale. */
  effectiveThreshold?: number | null;
  maxListEntries?: number;
}

export interface Forwarding {
  addresses: string[];
  keepCopy: boolean;
}

export interface ForwardingResponse extends ScriptState {
  forwarding: Forwarding;
  limits: { maxAddresses: number };
  store: 'sieve' | 'ldap';
}
