import { describe, expect, it } from 'vitest';
import { neverAnsweredBy } from '../../../../api/src/features/vacation/delivery';

// The vacation page's "no reply is sent to" list is read from the section that runs, not from
// today's site policy: a section an earlier version wrote keeps its own guards until saved.

const policy = { noReplyLocalParts: ['noreply', 'no-reply'] };

describe('neverAnsweredBy', () => {
  it('a running section says its own guards', () => {
    expect(neverAnsweredBy({ body: 'x', noReplyLocalParts: ['mailer'], skipFlaggedSpam: true }, policy)).toEqual({ localParts: ['mailer'], flaggedSpam: true });
  });

  it('a section written before the guards existed says it has none', () => {
    expect(neverAnsweredBy({ body: 'x', addresses: ['a@cs.ucy.ac.cy'] }, policy)).toEqual({ localParts: [], flaggedSpam: false });
  });

  it('without a running section (none, or off): what a save would write', () => {
    expect(neverAnsweredBy(undefined, policy)).toEqual({ localParts: ['noreply', 'no-reply'], flaggedSpam: true });
    expect(neverAnsweredBy({ enabled: false, body: 'x' }, policy)).toEqual({ localParts: ['noreply', 'no-reply'], flaggedSpam: true });
  });

  it('returns copies: the caller cannot change the policy through it', () => {
    const said = neverAnsweredBy(undefined, policy);
    said.localParts.push('x');
    expect(policy.noReplyLocalParts).toEqual(['noreply', 'no-reply']);
  });
});
