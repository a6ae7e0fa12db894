import { computed } from 'vue';
import { useI18n } from '../i18n/vue-i18n';

// Numbers in the user's language: 1,234 / 1.234, 12.5 MB / 12,5 MB, 80 % / 80%.
// Sizes in binary steps (a 100 MB quota is 100 × 1024 × 1024 bytes, as Dovecot and
// Roundcube count), named with the language's short unit names.

// Never plain bytes: Dovecot counts in KiB, and "0 byte" reads badly; 300 bytes is 0.3 kB.
const UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

export function useQuotaFormat() {
  const { locale } = useI18n();
  const integer = computed(() => new Intl.NumberFormat(locale.value, { maximumFractionDigits: 0 }));
  const percent = computed(() => new Intl.NumberFormat(locale.value, { style: 'percent', maximumFractionDigits: 1 }));

  function bytes(value: number): string {
    let n = Math.max(0, value) / 1024;
    let i = 0;
    while (n >= 1024 && i < UNITS.length - 1) {
      n /= 1024;
      i++;
    }
    return new Intl.NumberFormat(locale.value, {
      style: 'unit',
      unit: UNITS[i],
      unitDisplay: 'short',
      maximumFractionDigits: n >= 100 || n === 0 ? 0 : 1,
    }).format(n);
  }

  return {
    bytes,
    count: (value: number) => integer.value.format(value),
    /** `value` in percent (80 → "80%"), one decimal at most, as the API rounds it. */
    percent: (value: number) => percent.value.format(value / 100),
  };
}
