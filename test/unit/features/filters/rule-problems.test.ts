import { describe, expect, it } from 'vitest';
import { ruleProblems } from '../../../../api/src/features/filters/service';
import type { Rule } from '../../../../api/src/sieve';

const rule = (flags: string[]): Rule => ({ id: 'r', name: 'r', enabled: true, match: 'always', conditions: [], actions: [{ type: 'addflag', flags }], stop: false });
const context = { ownAddresses: [], capabilities: ['imap4flags'] };

describe('ruleProblems: IMAP flags', () => {
  it('answers with a field code per bad flag, at its index', () => {
    expect(ruleProblems(rule(['$Work', 'Εργασία', '', 'k'.repeat(51), '\\Recent', 'two words']), context)).toEqual({
      'actions.0.flags.1': 'invalid_flag',
      'actions.0.flags.2': 'required',
      'actions.0.flags.3': 'too_long',
      'actions.0.flags.4': 'invalid_flag',
      'actions.0.flags.5': 'invalid_flag',
    });
  });

  it('checks removeflag’s flags as addflag’s', () => {
    const remove: Rule = { ...rule([]), actions: [{ type: 'removeflag', flags: ['\\Seen', 'Εργασία', ''] }] };
    expect(ruleProblems(remove, context)).toEqual({ 'actions.0.flags.1': 'invalid_flag', 'actions.0.flags.2': 'required' });
    expect(ruleProblems({ ...remove, actions: [{ type: 'removeflag', flags: ['\\flagged', '$Work'] }] }, context)).toEqual({});
    expect(ruleProblems({ ...remove, actions: [{ type: 'removeflag', flags: ['$Work'] }] }, { ...context, capabilities: [] })).toEqual({ '(rule)': 'unsupported' });
  });

  it('takes system flags in any case and keyword atoms', () => {
    expect(ruleProblems(rule(['\\flagged', '\\SEEN', '$Work', 'NonJunk', 'k'.repeat(50)]), context)).toEqual({});
  });
});
