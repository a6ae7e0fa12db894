import { isTextCondition, type Action, type Condition, type Rule, type SimpleCondition, type TextCondition } from './model.js';
import { literalAffix } from './wildcards.js';
import { needsFolding } from './fold.js';

/**
 * The form a rule has after being written and read back. Several model values print to
 * the same Sieve, so reading cannot tell them apart: CRLF reads as LF, a `header`
 * condition on From/Subject/List-Id reads as that field, a `matches` pattern that is
 * just `text*` or `*text` reads as starts/ends. For a canonical rule,
 * read(write(rule)) deep-equals the rule.
 */
export function canonicalRule(rule: Rule): Rule {
  const conditions = rule.conditions.map(canonicalCondition);
  const only = conditions.length === 1 ? conditions[0] : undefined;
  // A rule whose one condition is a plain group prints as that group's allof/anyof, which
  // reads back as the rule's own match.
  const flat = rule.match === 'any' && only?.type === 'group' && !only.negate ? { match: only.match, conditions: only.conditions } : { match: rule.match, conditions };
  return {
    ...rule,
    ...flat,
    name: lf(rule.name),
    actions: rule.actions.map(canonicalAction),
  };
}

const lf = (value: string): string => value.replace(/\r\n/g, '\n');

function canonicalCondition(c: Condition): Condition {
  if (c.type === 'group') return { ...c, conditions: c.conditions.map(canonicalSimple) };
  return canonicalSimple(c);
}

function canonicalSimple(c: SimpleCondition): SimpleCondition {
  if (c.type === 'hasflag') return { ...c, flags: [...c.flags] };
  if (!isTextCondition(c)) return { ...c };
  let out: TextCondition = { ...c, value: lf(c.value) };
  if (out.type === 'header') {
    const field = out.header.toLowerCase();
    if (field === 'from' || field === 'subject' || field === 'list-id') {
      const { header: _header, ...rest } = out;
      out = { ...rest, type: field };
    }
  }
  // Only a term given as contains/is/starts/ends is folded (a `matches` pattern that reads
  // back as starts/ends was not).
  const foldable = out.operator !== 'matches' && out.operator !== 'regex' && needsFolding(out.value);
  if (out.operator === 'matches') {
    const affix = literalAffix(out.value);
    if (affix) out = { ...out, operator: affix.kind, value: affix.literal };
  }
  // A folded term is written in NFC; exactAccents is kept only where it changes the Sieve.
  const { exactAccents, ...plain } = out;
  if (!foldable) return plain;
  return exactAccents ? { ...plain, value: plain.value.normalize('NFC'), exactAccents } : { ...plain, value: plain.value.normalize('NFC') };
}

function canonicalAction(a: Action): Action {
  switch (a.type) {
    case 'fileinto':
      return { ...a, mailbox: lf(a.mailbox) };
    case 'reject':
      return { ...a, message: lf(a.message) };
    case 'vacation':
      return { ...a, reason: lf(a.reason) };
    default:
      return { ...a };
  }
}
