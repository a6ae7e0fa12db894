import { useI18n } from '../i18n/vue-i18n';
import type { FilterAction, FilterCondition, FilterRule } from '../api/types';
import { useErrorText } from './useErrorText';
import { loadFiltersMessages } from './useFiltersMessages';

// Plain words for rules: "From contains “x” → move to Work", and the texts of the field
// codes the filters API and the builder's own checks use.

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
  return rule.actions.length > 0 && rule.actions.every((a) => a.type === 'fileinto' || a.type === 'addflag');
}

const SIZE_UNITS = { '': 'B', K: 'KB', M: 'MB', G: 'GB' } as const;

/** The codes that have a filters-specific text (else the app's general field texts). */
const FILTER_CODES = [
  'required',
  'matches_everything',
  'no_conditions',
  'invalid_header_name',
  'invalid_regex',
  'invalid_address',
  'own_address',
  'invalid_flag',
  'forbidden_character',
  'leading_tilde',
  'empty_level',
  'delimiter',
  'unsupported',
  'not_allowed',
  'too_many_redirects',
  'custom_missing',
  'invalid_date',
  'too_long',
  'too_many',
  'line_break',
  'out_of_range',
  'unknown',
  'duplicate',
  'also_kept',
  'not_applicable',
  'conflict_exists',
  'refused',
  'reserved',
  'history_script',
] as const;

export function useFiltersText() {
  const { t, te } = useI18n();
  const { fieldErrorText } = useErrorText();

  /**
   * The words for the filters' own field codes load when the first one is shown, not with the
   * page (first-view budget): until they arrive the general text stands in, then this
   * re-renders with the specific one.
   */
  function fieldText(code: string, params: Record<string, string | number> = {}): string {
    if (!(FILTER_CODES as readonly string[]).includes(code)) return fieldErrorText(code);
    const key = `filtersUi.fieldErrors.${code}`;
    if (te(key)) return t(key, params);
    void loadFiltersMessages(['errors']);
    return fieldErrorText('invalid');
  }

  function conditionText(c: FilterCondition): string {
    if (c.type === 'size') {
      const op = t(`filtersUi.size.${c.comparison}`);
      const text = t('filtersUi.summary.size', { op, size: `${c.size} ${SIZE_UNITS[c.unit]}` });
      return c.negate ? t('filtersUi.summary.not', { text }) : text;
    }
    if (c.type === 'currentdate') return t('filtersUi.summary.date', { value: c.value });
    const field =
      c.type === 'header'
        ? t('filtersUi.summary.header', { name: c.header })
        : c.type === 'envelope'
          ? t(`filtersUi.summary.envelope.${c.part}`)
          : t(`filtersUi.field.${c.type}`);
    const op = t(`filtersUi.${c.negate ? 'opNot' : 'op'}.${c.operator}`);
    return `${field} ${op} “${c.value}”`;
  }

  function actionText(a: FilterAction): string {
    const kind = actionKind(a);
    switch (a.type) {
      case 'fileinto':
        return t(`filtersUi.summary.${kind}`, { folder: a.mailbox || '…' });
      case 'redirect':
        return t(a.copy ? 'filtersUi.summary.redirectCopy' : 'filtersUi.summary.redirect', { address: a.address || '…' });
      case 'addflag':
      case 'setflag':
      case 'removeflag':
        return kind === 'read' || kind === 'flag' ? t(`filtersUi.summary.${kind}`) : t(`filtersUi.summary.${kind}`, { flags: a.flags.join(' ') });
      default:
        return t(`filtersUi.summary.${kind}`);
    }
  }

  function ruleSummary(rule: FilterRule): string {
    const when =
      rule.match === 'always' || rule.conditions.length === 0
        ? t('filtersUi.summary.always')
        : rule.conditions.map(conditionText).join(rule.match === 'all' ? t('filtersUi.summary.and') : t('filtersUi.summary.or'));
    const then = rule.actions.map(actionText);
    if (rule.stop) then.push(t('filtersUi.summary.stop'));
    return `${when} → ${then.join(', ')}`;
  }

  return { fieldText, conditionText, actionText, ruleSummary };
}
