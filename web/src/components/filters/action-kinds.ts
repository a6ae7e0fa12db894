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
  // A move, copy or keep hands its own flags on to the kind picked instead of it.
  const own = (previous?.type === 'fileinto' || previous?.type === 'keep') && previous.flags !== undefined ? { flags: [...previous.flags] } : {};
  switch (kind) {
    case 'move':
      return { type: 'fileinto', mailbox, copy: false, create: false, ...own };
    case 'copy':
      return { type: 'fileinto', mailbox, copy: true, create: false, ...own };
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
      return { type: 'keep', ...own };
    case 'vacation':
      return { type: 'vacation', reason: '' };
  }
}

/**
 * Which messages a mark action (addflag/setflag/removeflag) at `index` changes (RFC 5232): a
 * later fileinto or keep without flags of its own stores a copy with them (`later`), and the
 * message kept in the Inbox at the end gets them when nothing cancels that keep (`inbox`).
 */
export function markScope(actions: readonly FilterAction[], index: number): 'both' | 'inbox' | 'later' | 'none' {
  const later = actions.some((a, j) => j > index && (a.type === 'fileinto' || a.type === 'keep') && a.flags === undefined);
  const cancelsKeep = (a: FilterAction) => (a.type === 'fileinto' && !a.copy) || (a.type === 'redirect' && !a.copy) || a.type === 'keep' || a.type === 'discard' || a.type === 'reject';
  const inbox = !actions.some(cancelsKeep);
  return later ? (inbox ? 'both' : 'later') : inbox ? 'inbox' : 'none';
}

/** Apply to existing mail only moves and flags (the server refuses other actions). */
export function applicable(rule: FilterRule): boolean {
  return rule.actions.length > 0 && rule.actions.every((a) => a.type === 'fileinto' || isFlagAction(a));
}

