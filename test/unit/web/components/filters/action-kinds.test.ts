import { describe, expect, it } from 'vitest';
import type { FilterAction } from '../../../../../web/src/api/types';
import { actionKind, actionOfKind, applicable } from '../../../../../web/src/components/filters/action-kinds';

// The builder's action kinds for the three imap4flags actions: each is its own kind, so
// picking one never turns another into it unseen (a setflag — which replaces every flag —
// used to show as "Set other flags" and come back as an addflag).

describe('flag action kinds', () => {
  it('tells add, replace and remove apart', () => {
    expect(actionKind({ type: 'addflag', flags: ['$Work'] })).toBe('flags');
    expect(actionKind({ type: 'setflag', flags: ['$Work'] })).toBe('setFlags');
    expect(actionKind({ type: 'removeflag', flags: ['$Work'] })).toBe('removeFlags');
    expect(actionKind({ type: 'addflag', flags: ['\\Seen'] })).toBe('read');
    expect(actionKind({ type: 'addflag', flags: ['\\Flagged'] })).toBe('flag');
  });

  it('keeps a setflag a setflag, and keeps the flags when only the verb changes', () => {
    const set: FilterAction = { type: 'setflag', flags: ['\\Seen', '$Work'] };
    expect(actionOfKind(actionKind(set), set)).toEqual(set);
    expect(actionOfKind('flags', set)).toEqual({ type: 'addflag', flags: ['\\Seen', '$Work'] });
    expect(actionOfKind('removeFlags', set)).toEqual({ type: 'removeflag', flags: ['\\Seen', '$Work'] });
    expect(actionOfKind('setFlags', { type: 'fileinto', mailbox: 'Work', copy: false, create: false })).toEqual({ type: 'setflag', flags: [] });
  });

  it('offers "apply to existing mail" for moves and every flag action, nothing else', () => {
    const rule = (actions: FilterAction[]) => ({ id: 'r', name: 'r', enabled: true, match: 'all' as const, conditions: [], actions, stop: false });
    expect(applicable(rule([{ type: 'removeflag', flags: ['\\Flagged'] }, { type: 'fileinto', mailbox: 'Old', copy: false, create: false }]))).toBe(true);
    expect(applicable(rule([{ type: 'setflag', flags: ['$Archive'] }]))).toBe(true);
    expect(applicable(rule([{ type: 'addflag', flags: ['\\Seen'] }, { type: 'discard' }]))).toBe(false);
    expect(applicable(rule([]))).toBe(false);
  });
});
