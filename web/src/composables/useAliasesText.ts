import { computed, type Ref } from 'vue';
import { useI18n } from '../i18n/vue-i18n';
import type { AliasFieldCode, AliasPolicy } from '../api/types';

const PUNCTUATION_NAMES: Record<string, 'dot' | 'hyphen' | 'underscore' | 'plus'> = {
  '.': 'dot',
  '-': 'hyphen',
  _: 'underscore',
  '+': 'plus',
};

/** The alias policy and its refusals in plain words, in the current language. */
export function useAliasesText(policy: Ref<AliasPolicy | null>) {
  const { t, locale } = useI18n();

  /** "letters a–z, digits, dots and hyphens" from the site's policy. */
  const allowed = computed(() => {
    const parts = [t('aliases.letters'), t('aliases.digits')];
    for (const char of policy.value?.punctuation ?? '') {
      const name = PUNCTUATION_NAMES[char];
      parts.push(name ? t(`aliases.punct.${name}`) : t('aliases.punct.other', { char }));
    }
    return new Intl.ListFormat(locale.value, { type: 'conjunction' }).format(parts);
  });

  function problemText(code: AliasFieldCode | string): string {
    const p = policy.value;
    return t(`aliases.problem.${code}`, {
      min: p?.minLocalPartLength ?? '',
      max: p?.maxLocalPartLength ?? '',
      domain: p?.domain ?? '',
      allowed: allowed.value,
    });
  }

  return { allowed, problemText };
}
