import { SieveValidationError, type ValidationIssue } from '../errors.js';
import { SIEVE_LIMITS } from '../limits.js';
import type { Action, Condition, Rule } from './model.js';
import { isTextCondition } from './model.js';
import { MAX_KEYWORD_LENGTH, SYSTEM_FLAGS, flagProblem } from './flags.js';
import { regexProblem } from './regex.js';
import { checkString } from './strings.js';

const HEADER_NAME = /^[!-9;-~]+$/;

// Addresses: a strict subset of what Pigeonhole's parser accepts for `redirect` and vacation
// `:from` (checked against the real server in test/integration/sieve/checkscript.test.ts).
// Local part: RFC 5322 dot-atom, ASCII only (Pigeonhole refuses UTF-8 there). Domain:
// dot-separated labels; UTF-8 labels (IDN) pass, a trailing or doubled dot does not.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const ADDR_SPEC = `${ATEXT}+(?:\\.${ATEXT}+)*@[\\p{L}\\p{M}\\p{N}_-]+(?:\\.[\\p{L}\\p{M}\\p{N}_-]+)*`;
const ADDRESS = new RegExp(`^${ADDR_SPEC}$`, 'u');
/** An address, or `Display Name <address>` (a quoted string or words), as Roundcube writes `:from`. */
const WORD = `(?:${ATEXT}|[^\\x00-\\x7F\\s])+`;
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\[^\\r\\n])*"';
const MAILBOX = new RegExp(`^(?:${ADDR_SPEC}|(?:${QUOTED}|${WORD}(?: ${WORD})*) ?<${ADDR_SPEC}>)$`, 'u');
const ZONE = /^[+-]\d{4}$/;
const UNIT_FACTOR = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as const;

/** Everything wrong with a rule, as issues with stable codes; empty when it can be written. */
export function validateRule(rule: Rule): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkString(issues, 'name', rule.name, true);
  if (rule.match === 'always' && rule.conditions.length > 0) {
    issues.push({ code: 'conditions-not-allowed', path: 'conditions', message: 'a rule that always applies has no conditions' });
  }
  if (rule.match !== 'always' && rule.conditions.length === 0) {
    issues.push({ code: 'conditions-required', path: 'conditions', message: 'a rule needs at least one condition (or match "always")' });
  }
  rule.conditions.forEach((c, i) => validateCondition(issues, `conditions.${i}`, c));
  rule.actions.forEach((a, i) => validateAction(issues, `actions.${i}`, a));
  return issues;
}

export function assertValidRule(rule: Rule): void {
  const issues = validateRule(rule);
  if (issues.length > 0) throw new SieveValidationError(issues);
}

function validateCondition(issues: ValidationIssue[], path: string, c: Condition): void {
  switch (c.type) {
    case 'group':
      if (c.conditions.length === 0) issues.push({ code: 'conditions-required', path: `${path}.conditions`, message: `${path} needs at least one condition` });
      c.conditions.forEach((inner, i) => {
        // The model has no group in a group; a client may still send one.
        if ((inner.type as string) === 'group') issues.push({ code: 'nesting-too-deep', path: `${path}.conditions.${i}`, message: 'a group cannot hold another group' });
        else validateCondition(issues, `${path}.conditions.${i}`, inner);
      });
      return;
    case 'hasflag':
      if (c.flags.length === 0) issues.push({ code: 'empty-value', path: `${path}.flags`, message: `${path}.flags needs at least one flag` });
      c.flags.forEach((f, i) => checkFlag(issues, `${path}.flags.${i}`, f));
      return;
    case 'spamscore':
      if (!Number.isInteger(c.percent) || c.percent < 0 || c.percent > 100) {
        issues.push({ code: 'invalid-number', path: `${path}.percent`, message: `${path}.percent must be a whole number from 0 to 100` });
      }
      return;
    case 'size':
      checkNumber(issues, `${path}.size`, c.size * UNIT_FACTOR[c.unit]);
      return;
    case 'currentdate':
      checkString(issues, `${path}.value`, c.value, true, false);
      if (c.zone !== undefined && !ZONE.test(c.zone)) {
        issues.push({ code: 'invalid-date', path: `${path}.zone`, message: `${path}.zone must look like +0200 or -0500` });
      }
      return;
    case 'header':
      if (!HEADER_NAME.test(c.header)) {
        issues.push({ code: 'invalid-header-name', path: `${path}.header`, message: `${path}.header is not a valid header field name` });
      }
      break;
    default:
      break;
  }
  if (!isTextCondition(c)) return;
  const mustHaveText = c.operator === 'starts' || c.operator === 'ends';
  const before = issues.length;
  checkString(issues, `${path}.value`, c.value, true, !mustHaveText);
  if (c.operator === 'regex' && issues.length === before) {
    // The server compiles the pattern when the script is stored; refuse what it would refuse.
    const problem = regexProblem(c.value);
    if (problem) issues.push({ code: 'invalid-regex', path: `${path}.value`, message: `${path}.value is not a valid POSIX extended regular expression: ${problem}` });
  }
}

function validateAction(issues: ValidationIssue[], path: string, a: Action): void {
  switch (a.type) {
    case 'fileinto':
      checkString(issues, `${path}.mailbox`, a.mailbox, true, false);
      a.flags?.forEach((f, i) => checkFlag(issues, `${path}.flags.${i}`, f));
      return;
    case 'redirect':
      checkAddress(issues, `${path}.address`, a.address);
      return;
    case 'addflag':
    case 'setflag':
    case 'removeflag':
      if (a.flags.length === 0) issues.push({ code: 'empty-value', path: `${path}.flags`, message: `${path}.flags needs at least one flag` });
      a.flags.forEach((f, i) => checkFlag(issues, `${path}.flags.${i}`, f));
      return;
    case 'reject':
      checkString(issues, `${path}.message`, a.message, false);
      return;
    case 'vacation':
      checkString(issues, `${path}.reason`, a.reason, false);
      if (a.subject !== undefined) checkString(issues, `${path}.subject`, a.subject, true);
      if (a.from !== undefined) checkMailbox(issues, `${path}.from`, a.from);
      if (a.handle !== undefined) checkString(issues, `${path}.handle`, a.handle, true);
      a.addresses?.forEach((x, i) => checkString(issues, `${path}.addresses.${i}`, x, true, false));
      if (a.addresses?.length === 0) issues.push({ code: 'empty-value', path: `${path}.addresses`, message: `${path}.addresses must not be an empty list` });
      if (a.days !== undefined) checkNumber(issues, `${path}.days`, a.days, 1);
      if (a.seconds !== undefined) checkNumber(issues, `${path}.seconds`, a.seconds);
      if (a.days !== undefined && a.seconds !== undefined) {
        issues.push({ code: 'invalid-number', path: `${path}.seconds`, message: `${path} takes either days or seconds, not both` });
      }
      return;
    case 'keep':
      a.flags?.forEach((f, i) => checkFlag(issues, `${path}.flags.${i}`, f));
      return;
    case 'discard':
      return;
  }
}

/** An IMAP flag the server will really set (see flags.ts). */
function checkFlag(issues: ValidationIssue[], path: string, value: string): void {
  const before = issues.length;
  checkString(issues, path, value, true, false);
  if (issues.length > before) return;
  const problem = flagProblem(value);
  if (problem === 'too-long') {
    issues.push({ code: 'string-too-long', path, message: `${path} is longer than ${MAX_KEYWORD_LENGTH} characters, the longest keyword the mail server stores` });
  } else if (problem !== null) {
    issues.push({ code: 'invalid-flag', path, message: `${path} is not an IMAP flag: ${SYSTEM_FLAGS.join(', ')}, or a keyword of ASCII letters, digits and signs without spaces or ( ) { % * " \\ ]` });
  }
}

export function checkAddress(issues: ValidationIssue[], path: string, value: string): void {
  const before = issues.length;
  checkString(issues, path, value, true, false);
  if (issues.length === before && !ADDRESS.test(value)) {
    issues.push({ code: 'invalid-address', path, message: `${path} is not an e-mail address` });
  }
}

/** An address or `Name <address>` (vacation `:from`). */
export function checkMailbox(issues: ValidationIssue[], path: string, value: string): void {
  const before = issues.length;
  checkString(issues, path, value, true, false);
  if (issues.length === before && !MAILBOX.test(value)) {
    issues.push({ code: 'invalid-address', path, message: `${path} is not an e-mail address (or Name <address>)` });
  }
}

export function checkNumber(issues: ValidationIssue[], path: string, value: number, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min || value > SIEVE_LIMITS.maxNumber) {
    issues.push({ code: 'invalid-number', path, message: `${path} must be a whole number from ${min}` });
  }
}
