import type { FilterAction, FilterRule } from '../../api/types';

// The builder's kinds of action and what each means in the rule model — plain logic, no words
// (those are in composables/useFiltersText.ts), so it is tested without a browser.

/** The kinds of action the builder offers, as people think of them. */
export type ActionKind = 'move' | 'copy' | 'read' | 'flag' | 'flags' | 'setFlags' | 'removeFlags' | 'redirect' | 'discard' | 'reject' | 'keep' | 'vacation';

/** The imap4flags actions (RFC 5232): each edits a list of flags. */
export type FlagAction = Extract<FilterAction, { flags: string[] }>;

export function isFlagAction(a: FilterAction): a is FlagAction {
  return a.type === 'addflag' || a.type === 'setflag' || a.type === 'removeflag';
}

export function actionKind(a: FilterAction): ActionKind {
  switch (a.type) {
    case 'fileinto':
      return a.copy ? 'copy' : 'move';
    case 'addflag':
      if (a.flags.length === 1 && a.flags[0]?.toLowerCase() === '\\seen') return 'read';
      if (a.flags.length === 1 && a.flags[0]?.toLowerCase() === '\\flagged') return 'flag';
      return 'flags';
    case 'setflag':
      return 'setFlags';
    case 'removeflag':
      return 'removeFlags';
    default:
      return a.type;
  }
}

/** A fresh action of a kind (when the user picks another kind in the editor). */
export function actionOfKind(kind: ActionKind, previous?: FilterAction): FilterAction {
  const mailbox = previous?.type === 'fileinto' ? previous.mailbox : '';
  switch (kind) {
    case 'move':
      return { type: 'fileinto', mailbox, copy: false, create: false };
    case 'copy':
      return { type: 'fileinto', mailbox, copy: true, create: false };
    case 'read':
      return { type: 'addflag', flags: ['\\Seen'] };
    case 'flag':
      return { type: 'addflag', flags: ['\\Flagged'] };
    // Between the three flag-list kinds the flags typed so far stay; only the verb changes.
    case 'flags':
      return { type: 'addflag', flags: previous && isFlagAction(previous) ? [...previous.flags] : [] };
    case 'setFlags':
      return { type: 'setflag', flags: previous && isFlagAction(previous) ? [...previous.flags] : [] };
    case 'removeFlags':
      return { type: 'removeflag', flags: previous && isFlagAction(previous) ? [...previous.flags] : [] };
    case 'redirect':
      return { type: 'redirect', address: '', copy: true };
    case 'discard':
      return { type: 'discard' };
    case 'reject':
      return { type: 'reject', message: '' };
    case 'keep':
      return { type: 'keep' };
    case 'vacation':
      return { type: 'vacation', reason: '' };
  }
}

/** Apply to existing mail only moves and flags (the server refuses other actions). */
export function applicable(rule: FilterRule): boolean {
  return rule.actions.length > 0 && rule.actions.every((a) => a.type === 'fileinto' || isFlagAction(a));
}

