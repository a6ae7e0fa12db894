import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { normalizeLineBreaks, type Argument, type Command, type Script, type Test } from '../../../api/src/sieve/ast.js';
import { COMMANDS, TESTS } from '../../../api/src/sieve/grammar.js';
import { hostileString } from '../../support/sieve-arbitraries.js';

export const FIXTURE_DIR = join(import.meta.dirname, '../../fixtures/sieve');

export function fixtures(): Array<{ name: string; text: string }> {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.sieve'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(FIXTURE_DIR, name), 'utf8') }));
}

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/);
/** Names of unknown commands and tests: random arguments would not fit a known one's grammar. */
const unknownName = identifier.filter((name) => !Object.hasOwn(COMMANDS, name.toLowerCase()) && !Object.hasOwn(TESTS, name.toLowerCase()));

const argument: fc.Arbitrary<Argument> = fc.oneof(
  hostileString().map((v): Argument => ({ type: 'string', value: normalizeLineBreaks(v) })),
  fc.array(hostileString(4), { minLength: 1, maxLength: 4 }).map((items): Argument => ({ type: 'string-list', items: items.map(normalizeLineBreaks) })),
  fc.oneof(
    fc.record({ value: fc.bigInt({ min: 0n, max: 2n ** 20n }), quantifier: fc.constantFrom('' as const, 'K' as const, 'M' as const, 'G' as const) }),
    // Up to Sieve's own maximum, 2^64 - 1: far past what a JS number holds exactly.
    fc.record({ value: fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }), quantifier: fc.constant('' as const) }),
  ).map((n): Argument => ({ type: 'number', ...n })),
  identifier.map((name): Argument => ({ type: 'tag', name })),
);

const { testNode } = fc.letrec<{ testNode: Test }>((tie) => ({
  testNode: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ name: unknownName, arguments: fc.array(argument, { maxLength: 3 }) }).map((t): Test => ({ type: 'test', ...t, tests: [], testList: false })),
    fc.record({ name: unknownName, arguments: fc.array(argument, { maxLength: 2 }), inner: tie('testNode') }).map(
      ({ inner, ...t }): Test => ({ type: 'test', ...t, tests: [inner], testList: false }),
    ),
    fc.record({ name: unknownName, tests: fc.array(tie('testNode'), { minLength: 1, maxLength: 3 }) }).map((t): Test => ({ type: 'test', ...t, arguments: [], testList: true })),
  ),
}));

export const randomTest = testNode;

const { commandNode } = fc.letrec<{ commandNode: Command }>((tie) => ({
  commandNode: fc.record({
    name: unknownName,
    arguments: fc.array(argument, { maxLength: 3 }),
    tests: fc.oneof(fc.constant([] as Test[]), testNode.map((t) => [t])),
    block: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.array(tie('commandNode'), { maxLength: 3 })),
  }).map((c): Command => ({ type: 'command', ...c, testList: false })),
}));

export const randomScript: fc.Arbitrary<Script> = fc
  .array(commandNode, { maxLength: 6 })
  .map((commands): Script => ({ type: 'script', commands, trailing: '', comments: [] }));
