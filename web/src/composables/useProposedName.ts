import { useI18n } from '../i18n/vue-i18n';
import type { FilterRule } from '../api/types';
import { useFiltersText } from './useFiltersText';

/**
 * A name for a rule that has none, from its first condition, as Gmail does: "From
 * boss@example.org", "Subject contains «ανακοίνωση»", in the page's language. The editor
 * shows it as the name field's placeholder and saves it when the field is left empty.
 */
export function useProposedName() {
  const { t } = useI18n();
  const { conditionText } = useFiltersText();

  function proposedName(rule: FilterRule, scoreMax?: number): string {
    const first = rule.match === 'always' ? undefined : rule.conditions[0];
    if (!first) return t('filtersUi.summary.always');
    const c = first.type === 'group' && !first.negate && first.conditions[0] ? first.conditions[0] : first;
    let name: string;
    if (c.type !== 'group' && 'operator' in c && c.type !== 'header' && c.type !== 'envelope') {
      const field = t(`filtersUi.field.${c.type}`);
      name =
        c.operator === 'is' && !c.negate
          ? t('filtersUi.summary.proposed.plain', { field, value: c.value })
          : t('filtersUi.summary.proposed.compared', { field, op: t(`filtersUi.${c.negate ? 'opNot' : 'op'}.${c.operator}`), value: c.value });
    } else {
      name = conditionText(c, scoreMax);
    }
    const others = rule.conditions.length - 1 + (c === first ? 0 : (first as { conditions: unknown[] }).conditions.length - 1);
    if (others > 0) name = t('filtersUi.summary.proposed.more', { name, count: others });
    // One line, as long as a name may be (the API's FILTER_LIMITS.nameLength).
    const line = name.replace(/\s+/g, ' ').trim();
    const cut = line.slice(0, 200);
    return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
  }

  return { proposedName };
}
