import { describe, expect, it } from 'vitest';
import type { FilterAction } from '../../../../../web/src/api/types';
import { actionKind, actionOfKind, applicable, markScope } from '../../../../../web/src/components/filters/action-kinds';

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

describe('markScope: which messages a mark action reaches (RFC 5232)', () => {
  const read = { type: 'addflag' as const, flags: ['\\Seen'] };
  const copy = (flags?: string[]) => ({ type: 'fileinto' as const, mailbox: 'F', copy: true, create: false, ...(flags ? { flags } : {}) });
  const move = { type: 'fileinto' as const, mailbox: 'F', copy: false, create: false };

  it.each([
    ['alone: the message kept in Inbox', [read], 0, 'inbox'],
    ['before a copy: the copy and the Inbox message', [read, copy()], 0, 'both'],
    ['after a copy: only the Inbox message', [copy(), read], 1, 'inbox'],
    ['before a copy with its own flags: only the Inbox message', [read, copy(['\\Flagged'])], 0, 'inbox'],
    ['before a move: only the moved message', [read, move], 0, 'later'],
    ['after a move: nothing this rule stores', [move, read], 1, 'none'],
    ['before a discard: nothing', [read, { type: 'discard' as const }], 0, 'none'],
    ['before a keep: that kept message', [read, { type: 'keep' as const }], 0, 'later'],
  ] as const)('%s', (_label, actions, index, scope) => {
    expect(markScope([...actions], index)).toBe(scope);
  });
});

describe('a move, copy or keep hands its own flags on', () => {
  it('to the kind picked instead of it', () => {
    expect(actionOfKind('copy', { type: 'fileinto', mailbox: 'F', copy: false, create: false, flags: ['\\Seen'] })).toEqual({ type: 'fileinto', mailbox: 'F', copy: true, create: false, flags: ['\\Seen'] });
    expect(actionOfKind('keep', { type: 'fileinto', mailbox: 'F', copy: false, create: false })).toEqual({ type: 'keep' });
  });
});
