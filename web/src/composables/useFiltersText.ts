import { useI18n } from '../i18n/vue-i18n';
import type { FilterAction, FilterCondition, FilterRule } from '../api/types';
import { actionKind } from '../components/filters/action-kinds';
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
