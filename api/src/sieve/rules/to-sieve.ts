import { allof, anyof, command, not, num, str, strList, tag, test, type Argument, type Command, type Test } from '../ast.js';
import { printCommand, printTest, type PrintOptions } from '../printer.js';
import { isTextCondition, type Action, type Condition, type Rule, type TextOperator } from './model.js';
import { escapeWildcards } from './wildcards.js';
import { foldedPattern, needsFolding } from './fold.js';
import { assertValidRule } from './validate.js';

const HEADER_OF = { subject: 'subject', 'list-id': 'list-id' } as const;

export function conditionToTest(c: Condition): Test {
  const inner = positiveTest(c);
  return c.negate ? not(inner) : inner;
}

function positiveTest(c: Condition): Test {
  if (isTextCondition(c) && isFoldable(c.operator) && needsFolding(c.value)) {
    return positiveTest({ ...c, operator: 'regex', value: foldedPattern(c.operator, c.value, c.exactAccents === true) });
  }
  switch (c.type) {
    case 'size':
      return test('size', [tag(c.comparison), num(c.size, c.unit)]);
    case 'currentdate':
      return test('currentdate', [
        ...(c.zone !== undefined ? [tag('zone'), str(c.zone)] : []),
        tag('value'),
        str(c.comparison),
        str(c.datePart),
        str(c.value),
      ]);
    case 'hasflag':
      return test('hasflag', [flagList(c.flags)]);
    case 'spamscore':
      // RFC 5235 §3.2 with RFC 5231: compare the percent as a number, not as text.
      return test('spamtest', [tag('percent'), tag('value'), str(c.comparison), tag('comparator'), str('i;ascii-numeric'), str(String(c.percent))]);
    case 'group': {
      const tests = c.conditions.map(conditionToTest);
      return c.match === 'all' ? allof(tests) : anyof(tests);
    }
    case 'envelope':
      return textTest('envelope', c.operator, c.value, [str(c.part)]);
    case 'body':
      return textTest('body', c.operator, c.value, [], [tag('text')]);
    case 'from':
      return textTest('address', c.operator, c.value, [str('from')], [tag('all')]);
    case 'to-or-cc':
      return textTest('address', c.operator, c.value, [strList(['to', 'cc'])], [tag('all')]);
    case 'from-header':
      return textTest('header', c.operator, c.value, [str('from')]);
    case 'to-or-cc-header':
      return textTest('header', c.operator, c.value, [strList(['to', 'cc'])]);
    case 'header':
      return textTest('header', c.operator, c.value, [str(c.header)]);
    default:
      return textTest('header', c.operator, c.value, [str(HEADER_OF[c.type])]);
  }
}

const isFoldable = (op: TextOperator): op is 'contains' | 'is' | 'starts' | 'ends' => op === 'contains' || op === 'is' || op === 'starts' || op === 'ends';

/** `name [prefix] :match <subject> <key>`; `starts`/`ends` become escaped `:matches` patterns. */
function textTest(name: string, operator: TextOperator, value: string, subject: Argument[], prefix: Argument[] = []): Test {
  const [matchTag, key] =
    operator === 'starts'
      ? [tag('matches'), str(escapeWildcards(value) + '*')]
      : operator === 'ends'
        ? [tag('matches'), str('*' + escapeWildcards(value))]
        : [tag(operator), str(value)];
  return test(name, [...prefix, matchTag, ...subject, key]);
}

export function actionToCommand(a: Action): Command {
  switch (a.type) {
    case 'fileinto':
      return command('fileinto', [...(a.copy ? [tag('copy')] : []), ...(a.create ? [tag('create')] : []), ...flagsTag(a.flags), str(a.mailbox)]);
    case 'redirect':
      return command('redirect', [...(a.copy ? [tag('copy')] : []), str(a.address)]);
    case 'addflag':
    case 'setflag':
    case 'removeflag':
      return command(a.type, [flagList(a.flags)]);
    case 'reject':
      return command('reject', [str(a.message)]);
    case 'vacation':
      return command('vacation', [
        ...(a.seconds !== undefined ? [tag('seconds'), num(a.seconds)] : []),
        ...(a.days !== undefined ? [tag('days'), num(a.days)] : []),
        ...(a.addresses !== undefined ? [tag('addresses'), strList(a.addresses)] : []),
        ...(a.subject !== undefined ? [tag('subject'), str(a.subject)] : []),
        ...(a.handle !== undefined ? [tag('handle'), str(a.handle)] : []),
        ...(a.from !== undefined ? [tag('from'), str(a.from)] : []),
        ...(a.mime ? [tag('mime')] : []),
        str(a.reason),
      ]);
    case 'keep':
      return command('keep', flagsTag(a.flags));
    case 'discard':
      return command('discard');
  }
}

/** One flag as a string, several as a list; none as `""` (RFC 5232: a list of no flags). */
const flagList = (flags: readonly string[]): Argument => (flags.length === 0 ? str('') : flags.length === 1 ? str(flags[0] as string) : strList([...flags]));

/** `:flags` for the one message a fileinto or keep stores (RFC 5232 §5). */
const flagsTag = (flags: readonly string[] | undefined): Argument[] => (flags === undefined ? [] : [tag('flags'), flagList(flags)]);

/** The rule's test: `true`, a single condition (anyof of one), or allof/anyof. */
export function ruleTest(rule: Rule): Test {
  if (rule.match === 'always') return test('true');
  const tests = rule.conditions.map(conditionToTest);
  if (rule.match === 'any' && tests.length === 1) return tests[0] as Test;
  return rule.match === 'all' ? allof(tests) : anyof(tests);
}

export function ruleBlock(rule: Rule): Command[] {
  return [...rule.actions.map(actionToCommand), ...(rule.stop ? [command('stop')] : [])];
}

/** The rule as an enabled `if` command (what a disabled rule would do when enabled). */
export function ruleToCommand(rule: Rule): Command {
  return command('if', [], ruleBlock(rule), [ruleTest(rule)]);
}

/**
 * The rule in Roundcube's managesieve layout, so Roundcube still lists it by name:
 *
 *     # rule:[Name]
 *     if <test>
 *     {
 *     	<actions>
 *     }
 *
 * A disabled rule is `if false # <test>`: the condition survives in the comment, exactly
 * as Roundcube writes it. Ends with a line break. Throws SieveValidationError first.
 */
export function printRule(rule: Rule, options: PrintOptions = {}): string {
  assertValidRule(rule);
  const nl = options.newline ?? '\r\n';
  const testText = printTest(ruleTest(rule), options);
  // Validation keeps line breaks out of conditions, so the test fits on the comment line.
  if (/[\r\n]/.test(testText)) throw new Error('internal: a rule condition printed over several lines');
  let out = `# rule:[${rule.name}]${nl}if ${rule.enabled ? testText : `false # ${testText}`}${nl}{${nl}`;
  for (const cmd of ruleBlock(rule)) out += printCommand(cmd, options, 1) + nl;
  return out + '}' + nl;
}
