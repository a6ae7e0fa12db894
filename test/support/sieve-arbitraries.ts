// fast-check arbitraries for the Sieve layer, shared by the unit tests (test/unit/sieve/**)
// and the integration tests that run the same values through the real server
// (test/integration/sieve/**): hostile strings, addresses, regexes, and the rule model.
import fc from 'fast-check';
import type { Action, Condition, Rule, SimpleCondition } from '../../api/src/sieve/rules/model.js';

/** Pieces that break naive escaping: quotes, backslashes, line breaks, dot lines, scripts. */
const HOSTILE_PIECES = [
  '"', '\\', '\\"', '\r\n', '\n', '.', '..', '\n.\n', '\r\n.\r\n', '.\r\n', 'text:', '#', '/*', '*/', ';', '}', '{',
  '[', ']', '${1}', '*', '?', 'Καλημέρα', 'שלום', 'مرحبا', '😀', '👩‍💻', '\t', ' ', 'a',
];

/** Strings mixing hostile pieces with arbitrary (well-formed, NUL-free) text. */
export const hostileString = (maxPieces = 12): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: maxPieces })
    .map((parts) => parts.join('').replace(/\0/g, ''));

/** A hostile string without any line break. */
export const hostileLine = (maxPieces = 12): fc.Arbitrary<string> => hostileString(maxPieces).map((s) => s.replace(/[\r\n]/g, ' '));

/** A multi-line hostile text as the model holds it: LF or CRLF line breaks, never a lone CR. */
const withoutLoneCr = (s: string): string => s.replace(/\r(?!\n)/g, '');

export const hostileText = (maxPieces = 12): fc.Arbitrary<string> => hostileString(maxPieces).map(withoutLoneCr);

/** Now and then a 10 KB string, to exercise long values without slowing every run. */
export const sometimesBig = (inner: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof({ weight: 30, arbitrary: inner }, { weight: 1, arbitrary: inner.map((s) => Array.from((s + 'x').repeat(Math.ceil(10_240 / (s.length + 1)))).slice(0, 10_240).join('')) });

const chunk = (pieces: readonly string[], maxLength: number) => fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength }).map((a) => a.join(''));

/**
 * Addresses the validator accepts and Pigeonhole must too: dot-atom local parts using every
 * RFC 5322 atext character, domains with Greek, Hebrew and emoji labels.
 */
export const address: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(chunk("abcxyz019!#$%&'*+/=?^_`{|}~-".split(''), 6), { minLength: 1, maxLength: 3 }),
    fc.array(chunk(['a', 'z', '0', '-', '_', 'μέρα', 'é', 'שלום'], 4), { minLength: 1, maxLength: 3 }),
  )
  .map(([local, domain]) => `${local.join('.')}@${domain.join('.')}`);

/** A vacation `:from`: an address or `Name <address>` with a hostile display name. */
export const mailbox: fc.Arbitrary<string> = fc.oneof(
  address,
  fc.tuple(chunk(['Αλίκη', 'Alice', ' ', "O'Brien", '😀', 'שלום', '-'], 4).map((n) => n.trim() || 'x'), address).map(([n, a]) => `${n.replace(/ +/g, ' ')} <${a}>`),
  fc.tuple(chunk(['Alice', ' ', '\\"', '\\\\', ',', ';', '<', '>', '@', 'Καλη', '.', '😀'], 6), address).map(([n, a]) => `"${n}" <${a}>`),
);

/** ERE specials, escaped so a hostile line becomes a pattern matching itself. */
const escapeRegex = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** Valid ERE pieces, each an atom with its repetition, so any concatenation is valid too. */
const REGEX_PIECES = ['^', '$', '.*', 'x+', '(a|b)*', '[[:alpha:]]{1,3}', '[^]a-]', '\\w+', '\\<', '(Εργασία|😀)+', 'Καλημέρα?', 'x{0,}', '[0-9]{2,}', '(|x)', ')', '}', '\\{', '[\\]', '[a-z-]'];

/** POSIX extended regexes Pigeonhole compiles: escaped hostile text and regex syntax. */
export const validRegex: fc.Arbitrary<string> = fc
  .array(fc.oneof(hostileLine(3).map(escapeRegex), fc.constantFrom(...REGEX_PIECES)), { maxLength: 6 })
  .map((parts) => parts.join(''));

/** Regex-like strings, mostly invalid: for comparing our verdict with the server's. */
export const regexLike: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      '(', ')', '[', ']', '{', '}', '|', '*', '+', '?', '^', '$', '.', '\\', '-', ',', ':', '=', '[:alpha:]', '[:', ':]', '[.', '.]', '[=', '=]',
      'a', 'Z', '_', '0', '1', '9', '12', '32768', 'é', '😀', 'Κ', '\\1', '\\2', '\\w', '\\b', '\\<', '{1,2}', '{,', '[^', 'upper', 'x',
    ),
    { maxLength: 12 },
  )
  .map((a) => a.join(''));

const line = sometimesBig(hostileLine());
const nonEmptyLine = line.map((s) => (s === '' ? 'x' : s));
// Enlarge first: cutting at 10 KB may split a CRLF.
const text = sometimesBig(hostileString()).map(withoutLoneCr);
const literalOperator = fc.constantFrom('contains' as const, 'is' as const, 'starts' as const, 'ends' as const, 'matches' as const);
const headerName = fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/);

const textMatch = fc.oneof(
  { weight: 5, arbitrary: fc.record({ operator: literalOperator, negate: fc.boolean() }).chain((m) => (m.operator === 'starts' || m.operator === 'ends' ? nonEmptyLine : line).map((value) => ({ ...m, value }))) },
  { weight: 1, arbitrary: fc.record({ operator: fc.constant('regex' as const), negate: fc.boolean(), value: validRegex }) },
);

/** Flags the imap4flags actions and hasflag take: system flags in any case, and keywords. */
const flag = fc.constantFrom('\\Seen', '\\Flagged', '\\flagged', '$Label1', 'Junk', 'a!#&+-~');
const relation = fc.constantFrom('ge' as const, 'le' as const, 'gt' as const, 'lt' as const, 'eq' as const);

export const simpleCondition: fc.Arbitrary<SimpleCondition> = fc.oneof(
  fc.tuple(fc.constantFrom('from' as const, 'to-or-cc' as const, 'subject' as const, 'list-id' as const, 'body' as const), textMatch).map(
    ([type, m]): SimpleCondition => ({ type, ...m }),
  ),
  fc.tuple(headerName, textMatch).map(([header, m]): SimpleCondition => ({ type: 'header', header, ...m })),
  fc.tuple(fc.constantFrom('from' as const, 'to' as const), textMatch).map(([part, m]): SimpleCondition => ({ type: 'envelope', part, ...m })),
  fc.record({
    type: fc.constant('size' as const),
    negate: fc.boolean(),
    comparison: fc.constantFrom('over' as const, 'under' as const),
    size: fc.integer({ min: 0, max: 100_000 }),
    unit: fc.constantFrom('' as const, 'K' as const, 'M' as const, 'G' as const),
  }),
  fc.record(
    {
      type: fc.constant('currentdate' as const),
      negate: fc.boolean(),
      comparison: fc.constantFrom('ge' as const, 'le' as const),
      datePart: fc.constantFrom('date' as const, 'iso8601' as const),
      value: fc.date({ noInvalidDate: true, min: new Date(2000, 0, 1), max: new Date(2100, 0, 1) }).map((d) => d.toISOString().slice(0, 10)),
      zone: fc.constantFrom('+0200', '-0500', '+0000'),
    },
    { requiredKeys: ['type', 'negate', 'comparison', 'datePart', 'value'] },
  ),
  fc.record({ type: fc.constant('hasflag' as const), negate: fc.boolean(), flags: fc.array(flag, { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant('spamscore' as const), negate: fc.boolean(), comparison: relation, percent: fc.integer({ min: 0, max: 100 }) }),
);

/** A condition of a rule: mostly simple ones, now and then a group of them (one level deep). */
export const condition: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 4, arbitrary: simpleCondition },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('group' as const),
      negate: fc.boolean(),
      match: fc.constantFrom('all' as const, 'any' as const),
      conditions: fc.array(simpleCondition, { minLength: 1, maxLength: 3 }),
    }),
  },
);

export const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('fileinto' as const), mailbox: nonEmptyLine, copy: fc.boolean(), create: fc.boolean() }),
  fc.record({ type: fc.constant('redirect' as const), address, copy: fc.boolean() }),
  fc.record({ type: fc.constantFrom('addflag' as const, 'setflag' as const, 'removeflag' as const), flags: fc.array(fc.constantFrom('\\Seen', '\\Flagged', '$Label1', 'Junk'), { minLength: 1, maxLength: 3 }) }),
  fc.constant({ type: 'discard' as const }),
  fc.constant({ type: 'keep' as const }),
  fc.record({ type: fc.constant('reject' as const), message: text }),
  fc.record(
    {
      type: fc.constant('vacation' as const),
      reason: text,
      subject: line,
      from: mailbox,
      addresses: fc.array(address, { minLength: 1, maxLength: 3 }),
      handle: line,
      days: fc.integer({ min: 1, max: 60 }),
      mime: fc.constant(true),
    },
    { requiredKeys: ['type', 'reason'] },
  ),
);

export const rule: fc.Arbitrary<Rule> = fc
  .record({
    id: fc.constant('new'),
    name: line,
    enabled: fc.boolean(),
    match: fc.constantFrom('all' as const, 'any' as const, 'always' as const),
    conditions: fc.array(condition, { minLength: 1, maxLength: 4 }),
    actions: fc.array(action, { maxLength: 4 }),
    stop: fc.boolean(),
  })
  .map((r) => (r.match === 'always' ? { ...r, conditions: [] } : r));
