// The HTTP API's shapes as the SPA sees them. Where the API defines a shape in a module
// without I/O (its zod schemas, the rule model, pure helpers), it is imported from there,
// type-only: nothing of api/ is bundled. The server modules (services, routes) are not
// imported: they would bring Node's types into the SPA's type check (Buffer, process, a
// setTimeout that returns NodeJS.Timeout). The few shapes defined only there are written
// here and checked against the API's at compile time in test/unit/web/api-types.test.ts.
// The error codes are checked against the server's own list here.
import type { ErrorCode as ServerErrorCode } from '../../../api/src/http/errors';
import type { Me, SessionInfo } from '../../../api/src/auth/schemas';
import type { ScriptStatusFields } from '../../../api/src/shared/schemas/script-status';
import type { VacationInput, VacationView } from '../../../api/src/features/vacation/schemas';
import type { SpamInput, SpamView } from '../../../api/src/features/spam/schemas';
import type { ForwardingInput, ForwardingView } from '../../../api/src/features/forwarding/schemas';
import type { Aliases as AliasesView } from '../../../api/src/features/aliases/schemas';
import type { WarningLevel } from '../../../api/src/features/quota/levels';
import type { EmptyableFolder } from '../../../api/src/features/quota/types';
import type { ScriptProblem } from '../../../api/src/features/script/server-errors';

export type { Me } from '../../../api/src/auth/schemas';
export type Address = Me['addresses'][number];
export type AddressKind = Address['kind'];
export type SessionResponse = SessionInfo;

/** Error codes the API returns in `{ code, message, requestId }`. */
export const API_ERROR_CODES = [
  'invalid_credentials',
  'rate_limited',
  'scan_limited',
  'session_not_found',
  'alert_not_found',
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
  'quarantine_not_configured',
  'digests_not_configured',
  'quarantine_unavailable',
  'already_released',
  'already_requested',
  'release_failed',
  'helpdesk_not_configured',
  'helpdesk_own_account',
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
  // forwarding targets (shared/forward-target.ts)
  'address_too_long',
  'local_part_too_long',
  'quoted_local_part',
  'source_route',
  'ip_literal',
  'single_label_domain',
  'reserved_domain',
  'invalid_domain',
  'label_hyphen',
  'label_too_long',
  'control_character',
  'format_character',
  'below_scale',
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

/** What every script-backed setting answers besides its own data: the ETag (sent back as
 *  If-Match), whether its block was edited by hand, another active script. */
export type ScriptState = Pick<VacationView, keyof typeof ScriptStatusFields>;

/** Another Sieve script is active (set up elsewhere); saving needs a take-over first. */
export type ForeignScript = NonNullable<ScriptState['foreignScript']>;

/** `start`/`end`: wall-clock `YYYY-MM-DDTHH:mm` in `timeZone`, end exclusive. */
export type Vacation = VacationInput;
export type VacationResponse = VacationView;

export type { SpamLevel } from '../../../api/src/features/spam/schemas';
export type Spam = SpamInput;
export type SpamFolder = Spam['folder'];
export type SpamResponse = SpamView;

export type Forwarding = ForwardingInput;
export type ForwardingResponse = ForwardingView;

// ---- Aliases, mailing lists, quota ------------------------------------------------------

export type { Aliases, AliasChange } from '../../../api/src/features/aliases/schemas';
export type AliasPolicy = AliasesView['policy'];

/** `fields.address` of a failed alias request, and `reason` of an availability answer. */
export const ALIAS_FIELD_CODES = [
  'required',
  'too_long',
  'too_short',
  'invalid_characters',
  'bad_punctuation',
  'wrong_domain',
  'role_address',
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

export type { AliasAvailability } from '../../../api/src/features/aliases/schemas';

/** An item of GET /api/lists (checked equal to the route's schema in api-types.test.ts). */
export interface MailingList {
  cn: string;
  description: string | null;
  mail: string | null;
}

export type QuotaWarningLevel = WarningLevel;

// The quota's shapes are the API's (features/quota/types.ts, no I/O).
export type { FolderUsage, QuotaReport as Quota, EmptyableFolder, EmptyPreview, EmptyResult } from '../../../api/src/features/quota/types';

export interface EmptyRequest {
  folder: EmptyableFolder;
  expectedMessages: number;
  uidValidity: string;
  uidNext: number;
}

// ---- Filters (rules and custom Sieve blocks), the raw script, scripts, history ----------
// The rule model is api/src/sieve/rules/model.ts's. The API defines the other shapes in
// modules the SPA's type check does not load (features/filters/schemas.ts loads the whole
// Sieve package; routes, the script store and the tester are server code): written here,
// checked equal in test/unit/web/api-types.test.ts (all but HistoryVersion, whose schema
// is written inline in its route).

export type { Rule as FilterRule, Condition as FilterCondition, SimpleCondition as SimpleFilterCondition, Action as FilterAction, TextOperator, TextField, RuleMatch } from '../../../api/src/sieve/rules/model';
type FilterRuleModel = import('../../../api/src/sieve/rules/model').Rule;

export type FilterWriter = 'roundcube' | 'nextcloud' | 'snappymail' | 'sievelib' | 'emailng';

export type FilterItem =
  | { kind: 'rule'; rule: FilterRuleModel; editable: true; writer?: FilterWriter; upgraded?: true }
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
  /** The spam score a spamscore condition's 100 percent stands for. */
  spamScoreMax: number;
}

export type SaveFilterItem = ({ kind: 'rule' } & FilterRuleModel) | { kind: 'custom'; id: string };

export interface SaveFilters {
  items: SaveFilterItem[];
  deleteCustom: string[];
  /** Rules shown as upgraded: the page's save writes their corrected form. */
  upgrade: string[];
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
  | { type: 'done'; done: number; total: number; moved: number; flagged: number }
  | { type: 'error'; code: string; message: string; done: number; total: number };

export interface MailFolder {
  path: string;
  name: string;
  delimiter: string;
  specialUse: string | null;
  subscribed: boolean;
}

export type { ScriptProblem } from '../../../api/src/features/script/server-errors';

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

/** POST /api/script/take-over. */
export interface TakenOver {
  active: string;
  /** The app's script had other text before (it was switched off): that text is now the newest history version. */
  previousKept: boolean;
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

// Held mail (the content filter's quarantine).
export type {
  HeldListView as HeldList,
  HeldPreviewView as HeldPreview,
  HeldItemView as HeldItem,
} from '../../../api/src/features/quarantine/schemas';
export type HeldReason = (typeof import('../../../api/src/features/quarantine/schemas'))['HELD_REASONS'][number];
export interface HeldQuery {
  search: string;
  reason: HeldReason | '';
  page: number;
  pageSize: number;
}
export interface ReleaseOutcome {
  status: 'released' | 'requested';
  allowSender?: 'added' | 'already' | 'failed' | 'not_asked';
}
export interface BulkOutcome {
  done: string[];
  requested: string[];
  failed: Array<{ id: string; code: string }>;
}

export type { SecurityResponse } from '../../../api/src/features/security/schemas';
export type { MailExit, ExitsView, AlertView, AlertsView, NotMeResult } from '../../../api/src/features/exits/schemas';
