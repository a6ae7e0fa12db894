import { computed } from 'vue';
import { useI18n } from '../i18n/vue-i18n';
import type { HeldItem } from '../api/types';
import { useQuotaFormat } from './useQuotaFormat';

// How the Held mail page words a held message: when (in the browser's time zone), from whom,
// why, its score and size, in the user's language.

export function useHeldText() {
  const { t, locale } = useI18n();
  const format = useQuotaFormat();
  const when = computed(() => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }));
  const day = computed(() => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium' }));
  const scores = computed(() => new Intl.NumberFormat(locale.value, { maximumFractionDigits: 1 }));

  return {
    received: (item: HeldItem) => when.value.format(new Date(item.receivedAt)),
    deleteDay: (item: HeldItem) => day.value.format(new Date(item.deleteAfter)),
    deletedOn: (item: HeldItem) => t('held.deletedOn', { date: day.value.format(new Date(item.deleteAfter)) }),
    /** The From header as written (a display name helps), else the envelope sender. */
    sender: (item: HeldItem) => item.from.trim() || item.sender || t('held.noSender'),
    subject: (item: HeldItem) => item.subject.trim() || t('held.noSubject'),
    why(item: HeldItem): string {
      if ((item.reason === 'virus' || item.reason === 'banned') && !item.detail) return t(`held.reason.${item.reason}Unnamed`);
      return t(`held.reason.${item.reason}`, { detail: item.detail ?? '' });
    },
    score: (item: HeldItem) => (item.score === null ? t('held.noScore') : t('held.score', { score: scores.value.format(item.score) })),
    size: (item: HeldItem) => format.bytes(item.size),
    count: format.count,
    bytes: format.bytes,
  };
}
