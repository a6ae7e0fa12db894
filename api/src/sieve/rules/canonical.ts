import type { Action, Condition, Rule } from './model.js';
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
  return {
    ...rule,
    name: lf(rule.name),
    conditions: rule.conditions.map(canonicalCondition),
    actions: rule.actions.map(canonicalAction),
  };
}

const lf = (value: string): string => value.replace(/\r\n/g, '\n');

function canonicalCondition(c: Condition): Condition {
  if (c.type === 'size' || c.type === 'currentdate') return { ...c };
  let out: Exclude<Condition, { type: 'size' | 'currentdate' }> = { ...c, value: lf(c.value) };
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
