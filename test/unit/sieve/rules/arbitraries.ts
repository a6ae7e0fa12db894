import fc from 'fast-check';
import type { Action, Condition, Rule } from '../../../../api/src/sieve/rules/model.js';
import { hostileLine, hostileString } from '../helpers.js';

/** Now and then a 10 KB string, to exercise long values without slowing every run. */
const big = (inner: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 30, arbitrary: inner }, { weight: 1, arbitrary: inner.map((s) => Array.from((s + 'x').repeat(Math.ceil(10_240 / (s.length + 1)))).slice(0, 10_240).join('')) });

const line = big(hostileLine());
const nonEmptyLine = line.map((s) => (s === '' ? 'x' : s));
const text = big(hostileString()).map((s) => s.replace(/\r(?!\n)/g, ''));
const operator = fc.constantFrom('contains' as const, 'is' as const, 'starts' as const, 'ends' as const, 'matches' as const, 'regex' as const);
const address = fc.tuple(fc.stringMatching(/^[a-z0-9._+-]{1,12}$/), fc.stringMatching(/^[a-z0-9-]{1,10}\.[a-z]{2,4}$/)).map(([l, d]) => `${l}@${d}`);
const headerName = fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/);

const textMatch = fc.record({ operator, negate: fc.boolean() }).chain((m) =>
  (m.operator === 'starts' || m.operator === 'ends' ? nonEmptyLine : line).map((value) => ({ ...m, value })),
);

export const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.tuple(fc.constantFrom('from' as const, 'to-or-cc' as const, 'subject' as const, 'list-id' as const, 'body' as const), textMatch).map(
    ([type, m]): Condition => ({ type, ...m }),
  ),
  fc.tuple(headerName, textMatch).map(([header, m]): Condition => ({ type: 'header', header, ...m })),
  fc.tuple(fc.constantFrom('from' as const, 'to' as const), textMatch).map(([part, m]): Condition => ({ type: 'envelope', part, ...m })),
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
);

export const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('fileinto' as const), mailbox: nonEmptyLine, copy: fc.boolean(), create: fc.boolean() }),
  fc.record({ type: fc.constant('redirect' as const), address, copy: fc.boolean() }),
  fc.record({ type: fc.constantFrom('addflag' as const, 'setflag' as const), flags: fc.array(fc.constantFrom('\\Seen', '\\Flagged', '$Label1', 'Junk'), { minLength: 1, maxLength: 3 }) }),
  fc.constant({ type: 'discard' as const }),
  fc.constant({ type: 'keep' as const }),
  fc.record({ type: fc.constant('reject' as const), message: text }),
  fc.record(
    {
      type: fc.constant('vacation' as const),
      reason: text,
      subject: line,
      from: address,
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
