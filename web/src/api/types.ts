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
  'vacation_elsewhere',
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
  /** The user's own Sieve already sends an automatic reply: turning this one on is refused. */
  vacationElsewhere: boolean;
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

// ---- Aliases, mailing lists, quota ------------------------------------------------------

export interface AliasPolicy {
  domain: string;
  minLocalPartLength: number;
  maxLocalPartLength: number;
  maxAdditional: number;
  /** Allowed besides ASCII letters and digits, e.g. ".-". */
  punctuation: string;
}

export interface Aliases {
  /** The login address (`mail`): fixed. */
  login: string;
  /** The central default alias (first.last): read-only here. */
  default: string | null;
  additional: string[];
  policy: AliasPolicy;
}

export interface AliasChange extends Aliases {
  /** False when the request changed nothing (already so). */
  changed: boolean;
}

/** `fields.address` of a failed alias request, and `reason` of an availability answer. */
export const ALIAS_FIELD_CODES = [
  'required',
  'too_long',
  'too_short',
  'invalid_characters',
  'bad_punctuation',
  'wrong_domain',
  'own_address',
  'reserved',
  // 409 conflict
  'taken',
  'limit',
  'changed',
  'no_default',
  // 403, 404 on removal
  'read_only',
  'not_found',
] as const;
export type AliasFieldCode = (typeof ALIAS_FIELD_CODES)[number];

export interface AliasAvailability {
  available: boolean;
  /** Why not; `taken` never says by whom. */
  reason?: AliasFieldCode;
}

export interface MailingList {
  cn: string;
  description: string | null;
  mail: string | null;
}

export type QuotaWarningLevel = 0 | 80 | 90 | 95;

export interface FolderUsage {
  path: string;
  name: string;
  specialUse: string | null;
  messages: number;
  bytes: number;
}

export interface Quota {
  /** Null when the server sets no storage limit. */
  storage: { usedBytes: number; limitBytes: number; percent: number | null } | null;
  messages: { used: number; limit: number; percent: number | null } | null;
  /** The fuller resource, one decimal, rounded down; may pass 100 (grace). */
  percent: number | null;
  warningLevel: QuotaWarningLevel;
  /** At or over a limit: new mail is refused until space is freed. */
  full: boolean;
  /** Largest first. */
  folders: FolderUsage[];
  folderSizes: 'status-size' | 'fetch';
}

/** The folders the user may empty from the quota page. */
export type EmptyableFolder = 'SPAM' | 'Trash';

export interface EmptyPreview {
  folder: EmptyableFolder;
  path: string;
  messages: number;
  bytes: number;
  uidValidity: string;
  uidNext: number;
}

export interface EmptyRequest {
  folder: EmptyableFolder;
  expectedMessages: number;
  uidValidity: string;
  uidNext: number;
}

export interface EmptyResult {
  folder: EmptyableFolder;
  deleted: number;
  expected: number;
  /** Shown, but already gone when emptying. */
  alreadyGone: number;
  /** Arrived after the preview: kept. */
  arrivedSince: number;
  remaining: number;
}

// ---- Filters (rules and custom Sieve blocks), the raw script, scripts, history ----------
// The rule model mirrors api/src/sieve/rules/model.ts (type-only: nothing of api/ is bundled).

export type { Rule as FilterRule, Condition as FilterCondition, Action as FilterAction, TextOperator, TextField, RuleMatch } from '../../../api/src/sieve/rules/model';
type FilterRuleModel = import('../../../api/src/sieve/rules/model').Rule;

export type FilterWriter = 'roundcube' | 'nextcloud' | 'snappymail' | 'sievelib' | 'emailng';

export type FilterItem =
  | { kind: 'rule'; rule: FilterRuleModel; editable: true; writer?: FilterWriter }
  | { kind: 'custom'; id: string; text: string; writer?: FilterWriter; name?: string };

export interface FiltersResponse {
  etag: string;
  items: FilterItem[];
  /** The app's own sections present (vacation, spam, …), edited in their views. */
  sections: string[];
  foreignScript: ForeignScript | null;
  /** Sieve extensions the server offers: hide what is false. */
  capabilities: Record<string, boolean>;
  maxRedirects: number;
  forwardingRedirects: number;
}

export type SaveFilterItem = ({ kind: 'rule' } & FilterRuleModel) | { kind: 'custom'; id: string };

export interface SaveFilters {
  items: SaveFilterItem[];
  deleteCustom: string[];
}

export interface FilterTestResult {
  method: 'sieve' | 'search';
  messages: Array<{ uid: number; from: string; subject: string; date: string | null }>;
  /** Indexes of conditions that could not be checked (search only). */
  unchecked: number[];
  examined: number;
}

export interface ApplyPreview {
  count: number;
  token: string;
  method: 'sieve' | 'search';
  unchecked: number[];
}

export type ApplyEvent =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; done: number; total: number; moved?: number; flagged?: number }
  | { type: 'error'; code: string; message: string; done: number; total: number };

export interface MailFolder {
  path: string;
  name: string;
  delimiter: string;
  specialUse: string | null;
  subscribed: boolean;
}

export interface ScriptProblem {
  line: number | null;
  column?: number;
  message: string;
}

export interface RawScript {
  etag: string;
  name: string;
  text: string;
  exists: boolean;
  foreignScript: ForeignScript | null;
}

export interface RawScriptSaved extends RawScript {
  readable: boolean;
  sections: { present: string[]; handEdited: string[]; removed: string[] };
}

export interface ScriptCheck {
  ok: boolean;
  errors: ScriptProblem[];
  warnings: ScriptProblem[];
}

export interface SieveScriptInfo {
  name: string;
  active: boolean;
  app: boolean;
  history: boolean;
}

export interface HistoryEntry {
  id: string;
  savedAt: string;
  summary: string;
  size: number;
}

export interface HistoryVersion {
  id: string;
  savedAt: string;
  summary: string;
  text: string;
}
