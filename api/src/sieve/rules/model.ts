/**
 * The typed rule model the UI edits. A rule maps to exactly one Sieve `if` statement;
 * anything that cannot be represented exactly stays a custom block (see document/).
 * Line breaks in model strings are LF; the printer writes them as CRLF.
 */

export type TextOperator = 'contains' | 'is' | 'starts' | 'ends' | 'matches' | 'regex';

interface TextMatch {
  operator: TextOperator;
  /** `not` in front of the test. */
  negate: boolean;
  /** For `matches` a wildcard pattern (`*`, `?`), for `regex` a POSIX regex, else literal text. */
  value: string;
  /**
   * contains/is/starts/ends with a non-ASCII letter in `value` match regardless of case,
   * Unicode form and Greek tonos/dialytika (see fold.ts); true keeps accents as typed (case
   * and form still folded). Has no effect otherwise; absent means false.
   */
  exactAccents?: boolean;
}

/**
 * `from` and `to-or-cc` compare the addresses (RFC 5228 `address :all`), so a display name
 * never gets in the way of is/starts/ends; `from-header` and `to-or-cc-header` compare the
 * whole header text, display names included (`header`): the choice for matching a name.
 */
export type TextField = 'from' | 'to-or-cc' | 'from-header' | 'to-or-cc-header' | 'subject' | 'list-id' | 'body';

/** A condition that compares text: a header, an address, the envelope or the body. */
export type TextCondition = ({ type: TextField } & TextMatch) | ({ type: 'header'; header: string } & TextMatch) | ({ type: 'envelope'; part: 'from' | 'to' } & TextMatch);

export type Relation = 'ge' | 'le' | 'gt' | 'lt' | 'eq';

/** One test of the message; a rule's conditions are these or groups of them. */
export type SimpleCondition =
  | TextCondition
  | { type: 'size'; negate: boolean; comparison: 'over' | 'under'; size: number; unit: '' | 'K' | 'M' | 'G' }
  | {
      type: 'currentdate';
      negate: boolean;
      comparison: Relation;
      /** RFC 5260 date part, e.g. `date` (yyyy-mm-dd) or `iso8601`. */
      datePart: 'date' | 'iso8601';
      value: string;
      /** `+hhmm` / `-hhmm`, omitted for the server's zone. */
      zone?: string;
    }
  /**
   * RFC 5232 `hasflag`: one of `flags` is among the flags the actions run so far have set
   * (a new message has none of its own at delivery, so these come from earlier rules).
   */
  | { type: 'hasflag'; negate: boolean; flags: string[] }
  /**
   * RFC 5235 `spamtest :percent`: the site's spam score (X-Spam-Score) as a percent of the
   * server's maximum (`sieve_spamtest_max_value`), compared with `percent`. Mail the site's
   * filter did not scan has 0.
   */
  | { type: 'spamscore'; negate: boolean; comparison: Relation; percent: number };

/**
 * Conditions joined the other way than the rule's (`anyof` inside an `allof` rule, or the
 * reverse): one level deep, as the builder offers it.
 */
export interface ConditionGroup {
  type: 'group';
  negate: boolean;
  match: 'all' | 'any';
  conditions: SimpleCondition[];
}

export type Condition = SimpleCondition | ConditionGroup;

export const isTextCondition = (c: Condition): c is TextCondition => 'operator' in c;

/**
 * `flags` on fileinto and keep (RFC 5232 `:flags`) are the flags of that one stored message,
 * whatever the mark actions (addflag/setflag/removeflag) did; absent, the message gets the
 * flags the mark actions have set so far. The mark actions change what every later fileinto
 * or keep without `flags`, and the message kept in the Inbox at the end, are stored with.
 */
export type Action =
  | { type: 'fileinto'; mailbox: string; copy: boolean; create: boolean; flags?: string[] }
  | { type: 'redirect'; address: string; copy: boolean }
  /** RFC 5232: add to, replace, or take out of the flags the message is stored with. */
  | { type: FlagActionType; flags: string[] }
  | { type: 'discard' }
  | { type: 'keep'; flags?: string[] }
  | { type: 'reject'; message: string }
  | {
      type: 'vacation';
      reason: string;
      subject?: string;
      from?: string;
      addresses?: string[];
      handle?: string;
      days?: number;
      seconds?: number;
      mime?: boolean;
    };

export type FlagActionType = 'addflag' | 'setflag' | 'removeflag';

export type RuleMatch = 'all' | 'any' | 'always';

export interface Rule {
  /** Stable while the rule's text is unchanged; new rules get theirs from the caller. */
  id: string;
  name: string;
  enabled: boolean;
  /** `all` = allof, `any` = anyof (or a single bare test), `always` = `if true`. */
  match: RuleMatch;
  conditions: Condition[];
  actions: Action[];
  /** Ends the rule with `stop;`. */
  stop: boolean;
}

export const WELL_KNOWN_HEADERS: Readonly<Record<string, 'from' | 'subject' | 'list-id'>> = {
  from: 'from',
  subject: 'subject',
  'list-id': 'list-id',
};
