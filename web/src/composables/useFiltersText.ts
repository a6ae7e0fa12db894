import { useI18n } from '../i18n/vue-i18n';
import type { FilterAction, FilterCondition, FilterRule } from '../api/types';
import { actionKind, markScope } from '../components/filters/action-kinds';
import { foldKind } from '../components/filters/folding';
import { scoreOfPercent } from '../components/filters/spam-score';
import { useErrorText } from './useErrorText';
import { loadFiltersMessages } from './useFiltersMessages';
import { pageMessages } from '../i18n/messages';

// Plain words for rules: "From contains “x” → move to Work", and the texts of the field
// codes the filters API and the builder's own checks use.

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
  'not_own_address',
  'encoded_word',
  'invalid_flag',
  'forbidden_character',
  'invisible_character',
  'not_normalized',
  'surrounding_space',
  'dot_level',
  'reserved_name',
  'lookalike',
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
    if (!(FILTER_CODES as readonly string[]).includes(code)) {
      // The app's general field texts (the forward-target codes among them) load when first shown, too.
      if (te('fieldErrors.invalid')) return fieldErrorText(code);
      void pageMessages.load(['fieldErrors']);
      return t('errors.validation');
    }
    const key = `filtersUi.fieldErrors.${code}`;
    if (te(key)) return t(key, params);
    void loadFiltersMessages(['errors']);
    return fieldErrorText('invalid');
  }

  /** `scoreMax` (the API's spamScoreMax) turns a spam-score percent into the score people know. */
  function conditionText(c: FilterCondition, scoreMax?: number): string {
    const negated = (text: string) => (c.negate ? t('filtersUi.summary.not', { text }) : text);
    switch (c.type) {
      case 'size':
        return negated(t('filtersUi.summary.size', { op: t(`filtersUi.size.${c.comparison}`), size: `${c.size} ${SIZE_UNITS[c.unit]}` }));
      case 'currentdate':
        return negated(t('filtersUi.summary.date', { op: t(`filtersUi.summary.dateOp.${c.comparison}`), value: c.value }));
      case 'hasflag':
        return t(c.negate ? 'filtersUi.summary.hasflagNot' : 'filtersUi.summary.hasflag', { flags: flagWords(c.flags, 'filtersUi.summary.flagWord.or') });
      case 'spamscore': {
        const op = t(`filtersUi.summary.dateOp.${c.comparison}`);
        const text =
          scoreMax === undefined
            ? t('filtersUi.summary.spamPercent', { op, percent: c.percent })
            : t('filtersUi.summary.spamScore', { op, score: scoreOfPercent(c.percent, scoreMax), max: scoreMax });
        return negated(text);
      }
      case 'group': {
        const inner = c.conditions.map((x) => conditionText(x, scoreMax)).join(c.match === 'all' ? t('filtersUi.summary.and') : t('filtersUi.summary.or'));
        return c.negate ? t('filtersUi.summary.not', { text: inner }) : `(${inner})`;
      }
    }
    const field =
      c.type === 'header'
        ? t('filtersUi.summary.header', { name: c.header })
        : c.type === 'envelope'
          ? t(`filtersUi.summary.envelope.${c.part}`)
          : t(`filtersUi.field.${c.type}`);
    const op = t(`filtersUi.${c.negate ? 'opNot' : 'op'}.${c.operator}`);
    const text = `${field} ${op} “${c.value}”`;
    const fold = foldKind(c);
    return fold ? t(`filtersUi.summary.fold.${fold}`, { text }) : text;
  }

  function flagWords(flags: readonly string[], joiner = 'filtersUi.summary.flagWord.and'): string {
    const word = (f: string) => (f.toLowerCase() === '\\seen' ? t('filtersUi.summary.flagWord.seen') : f.toLowerCase() === '\\flagged' ? t('filtersUi.summary.flagWord.flagged') : f);
    return flags.map(word).join(t(joiner));
  }

  /** A fileinto or keep with `:flags`: those flags are this stored message's own. */
  function withOwnFlags(text: string, a: Extract<FilterAction, { type: 'fileinto' | 'keep' }>): string {
    if (a.flags === undefined) return text;
    if (a.flags.length === 0) return t('filtersUi.summary.ownNoFlags', { action: text });
    return t(a.type === 'fileinto' && a.copy ? 'filtersUi.summary.ownFlagsCopy' : 'filtersUi.summary.ownFlags', { action: text, flags: flagWords(a.flags) });
  }

  /** `actions` and `index`, when known, say which messages a mark action reaches. */
  function actionText(a: FilterAction, actions?: readonly FilterAction[], index?: number): string {
    const text = plainActionText(a);
    if (a.type === 'fileinto' || a.type === 'keep') return withOwnFlags(text, a);
    if ((a.type === 'addflag' || a.type === 'setflag' || a.type === 'removeflag') && actions && index !== undefined) {
      return t(`filtersUi.summary.markScope.${markScope(actions, index)}`, { action: text });
    }
    return text;
  }

  function plainActionText(a: FilterAction): string {
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

  function ruleSummary(rule: FilterRule, scoreMax?: number): string {
    const when =
      rule.match === 'always' || rule.conditions.length === 0
        ? t('filtersUi.summary.always')
        : rule.conditions.map((c) => conditionText(c, scoreMax)).join(rule.match === 'all' ? t('filtersUi.summary.and') : t('filtersUi.summary.or'));
    const then = rule.actions.map((a, i) => actionText(a, rule.actions, i));
    if (rule.stop) then.push(t('filtersUi.summary.stop'));
    return `${when} → ${then.join(', ')}`;
  }

  return { fieldText, conditionText, actionText, ruleSummary };
}
