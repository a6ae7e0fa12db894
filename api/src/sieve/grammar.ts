/**
 * The argument shapes of the Sieve commands and tests this app knows: RFC 5228 and the
 * extensions the server offers (RFC 3894, 5173, 5229, 5230, 5231, 5232, 5233, 5235, 5260,
 * 5293, 5429, 5435, 5463, 5490, 5703, 6131, 6609, 7352). Data only: shape-check.ts reads it.
 * Where Pigeonhole 0.5.19 is more lenient than the RFC, the table follows the server (noted
 * beside the entry), so a script the server stores is never refused here.
 *
 * Names are lower case; Sieve compares identifiers and tags case-insensitively.
 */

/** A string list also accepts a single string (RFC 5228 §2.4.2.1). */
export type ValueKind = 'string' | 'string-list' | 'number';

export interface TagShape {
  /** The argument that follows the tag, if it takes one. */
  value?: ValueKind;
  /** The only strings the argument may be (compared exactly: Pigeonhole refuses "GT"). */
  oneOf?: readonly string[];
  /** Tags sharing a group fill one slot: at most one of them may appear. */
  group?: string;
  /** May be given more than once (Pigeonhole does not refuse it). */
  repeatable?: boolean;
  /** Only valid together with this other tag. */
  needs?: string;
}

export interface Shape {
  tags: Readonly<Record<string, TagShape>>;
  /** Positional arguments, in order, after every tag. */
  positional: readonly ValueKind[];
  /** How many positionals may be left out, and from which end (RFC `[...]` arguments). */
  optional?: { count: number; from: 'start' | 'end' };
  /** Further positionals of any kind are taken (and ignored by the server). */
  extraPositional?: boolean;
  /** One tag of this group must be present. */
  requiredGroup?: string;
  /** `one`: a single test; `list`: a parenthesised test list. */
  tests: 'none' | 'one' | 'list';
  /** Commands only: whether a `{ … }` block follows instead of `;`. */
  block?: boolean;
}

const RELATIONAL_OPERATORS = ['gt', 'ge', 'lt', 'le', 'eq', 'ne'] as const;

const COMPARATOR: Record<string, TagShape> = { comparator: { value: 'string' } };

const MATCH_TYPE: Record<string, TagShape> = {
  is: { group: 'match-type' },
  contains: { group: 'match-type' },
  matches: { group: 'match-type' },
  regex: { group: 'match-type' },
  value: { group: 'match-type', value: 'string', oneOf: RELATIONAL_OPERATORS },
  count: { group: 'match-type', value: 'string', oneOf: RELATIONAL_OPERATORS },
};

const ADDRESS_PART: Record<string, TagShape> = {
  all: { group: 'address-part' },
  localpart: { group: 'address-part' },
  domain: { group: 'address-part' },
  user: { group: 'address-part' },
  detail: { group: 'address-part' },
};

/** RFC 5260 §6: which occurrence of a header field. */
const INDEX: Record<string, TagShape> = { index: { value: 'number' }, last: { needs: 'index' } };

/** RFC 5703 §4: header tests on MIME parts. */
const MIME_PART: Record<string, TagShape> = { mime: {}, anychild: { needs: 'mime' } };
const MIME_HEADER: Record<string, TagShape> = {
  ...MIME_PART,
  type: { group: 'mime-option', needs: 'mime' },
  subtype: { group: 'mime-option', needs: 'mime' },
  contenttype: { group: 'mime-option', needs: 'mime' },
  param: { group: 'mime-option', value: 'string-list', needs: 'mime' },
};

const FLAGS: Record<string, TagShape> = { flags: { value: 'string-list' } };

const action = (tags: Record<string, TagShape>, positional: readonly ValueKind[]): Shape => ({ tags, positional, tests: 'none', block: false });
const test = (tags: Record<string, TagShape>, positional: readonly ValueKind[]): Shape => ({ tags, positional, tests: 'none' });

export const COMMANDS: Readonly<Record<string, Shape>> = {
  // RFC 5228
  require: action({}, ['string-list']),
  if: { tags: {}, positional: [], tests: 'one', block: true },
  elsif: { tags: {}, positional: [], tests: 'one', block: true },
  else: { tags: {}, positional: [], tests: 'none', block: true },
  stop: action({}, []),
  keep: action({ ...FLAGS }, []),
  discard: action({}, []),
  redirect: action({ copy: {} }, ['string']),
  fileinto: action({ copy: {}, create: {}, ...FLAGS }, ['string']),
  // RFC 5429
  reject: action({}, ['string']),
  // RFC 5230, 6131
  vacation: action(
    {
      days: { value: 'number', group: 'period' },
      seconds: { value: 'number', group: 'period' },
      subject: { value: 'string' },
      from: { value: 'string' },
      addresses: { value: 'string-list' },
      mime: {},
      handle: { value: 'string' },
    },
    ['string'],
  ),
  // RFC 5229
  set: action(
    {
      lower: { group: 'case' },
      upper: { group: 'case' },
      lowerfirst: { group: 'first-case' },
      upperfirst: { group: 'first-case' },
      quotewildcard: {},
      length: {},
      encodeurl: {}, // RFC 5435 §7
    },
    ['string', 'string'],
  ),
  // RFC 5232: `addflag [<variablename>] <flags>`. Pigeonhole takes (and ignores) more.
  addflag: { ...action({}, ['string', 'string-list']), optional: { count: 1, from: 'start' }, extraPositional: true },
  setflag: { ...action({}, ['string', 'string-list']), optional: { count: 1, from: 'start' }, extraPositional: true },
  removeflag: { ...action({}, ['string', 'string-list']), optional: { count: 1, from: 'start' }, extraPositional: true },
  // RFC 6609; Pigeonhole does not refuse a repeated :once or :optional.
  include: action({ personal: { group: 'location' }, global: { group: 'location' }, once: { repeatable: true }, optional: { repeatable: true } }, ['string']),
  return: action({}, []),
  global: action({}, ['string-list']),
  // RFC 5293; Pigeonhole accepts :last without :index on deleteheader (with a warning).
  addheader: action({ last: {} }, ['string', 'string']),
  deleteheader: { ...action({ index: { value: 'number' }, last: {}, ...COMPARATOR, ...MATCH_TYPE }, ['string', 'string-list']), optional: { count: 1, from: 'end' } },
  // RFC 5435
  notify: action({ from: { value: 'string' }, importance: { value: 'string' }, options: { value: 'string-list' }, message: { value: 'string' } }, ['string']),
  // RFC 5463
  error: action({}, ['string']),
};

export const TESTS: Readonly<Record<string, Shape>> = {
  // RFC 5228
  address: test({ ...COMPARATOR, ...ADDRESS_PART, ...MATCH_TYPE, ...INDEX, ...MIME_PART }, ['string-list', 'string-list']),
  envelope: test({ ...COMPARATOR, ...ADDRESS_PART, ...MATCH_TYPE }, ['string-list', 'string-list']),
  header: test({ ...COMPARATOR, ...MATCH_TYPE, ...INDEX, ...MIME_HEADER }, ['string-list', 'string-list']),
  exists: test({ ...MIME_PART }, ['string-list']),
  size: { ...test({ over: { group: 'size' }, under: { group: 'size' } }, ['number']), requiredGroup: 'size' },
  allof: { tags: {}, positional: [], tests: 'list' },
  anyof: { tags: {}, positional: [], tests: 'list' },
  not: { tags: {}, positional: [], tests: 'one' },
  true: test({}, []),
  false: test({}, []),
  // RFC 5173
  body: test({ ...COMPARATOR, ...MATCH_TYPE, raw: { group: 'transform' }, content: { group: 'transform', value: 'string-list' }, text: { group: 'transform' } }, ['string-list']),
  // RFC 5260
  date: test({ zone: { value: 'string', group: 'zone' }, originalzone: { group: 'zone' }, ...COMPARATOR, ...MATCH_TYPE, ...INDEX }, ['string', 'string', 'string-list']),
  currentdate: test({ zone: { value: 'string' }, ...COMPARATOR, ...MATCH_TYPE }, ['string', 'string-list']),
  // RFC 5229
  string: test({ ...COMPARATOR, ...MATCH_TYPE }, ['string-list', 'string-list']),
  // RFC 5232: `hasflag [<variable-list>] <list-of-flags>`
  hasflag: { ...test({ ...COMPARATOR, ...MATCH_TYPE }, ['string-list', 'string-list']), optional: { count: 1, from: 'start' } },
  // RFC 5490
  mailboxexists: test({}, ['string-list']),
  // RFC 5235; :percent is spamtestplus
  spamtest: test({ percent: {}, ...COMPARATOR, ...MATCH_TYPE }, ['string']),
  // RFC 5435
  valid_notify_method: test({}, ['string-list']),
  notify_method_capability: test({ ...COMPARATOR, ...MATCH_TYPE }, ['string', 'string', 'string-list']),
  // RFC 7352
  duplicate: test({ handle: { value: 'string' }, header: { value: 'string', group: 'id' }, uniqueid: { value: 'string', group: 'id' }, seconds: { value: 'number' }, last: {} }, []),
  // RFC 5183
  environment: test({ ...COMPARATOR, ...MATCH_TYPE }, ['string', 'string-list']),
  // RFC 5463
  ihave: test({}, ['string-list']),
};
