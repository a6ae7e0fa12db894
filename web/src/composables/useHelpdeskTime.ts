import { computed } from 'vue';
import { useI18n } from '../i18n/vue-i18n';

/** Instants as the helpdesk pages show them: in the browser's time zone and language. */
export function useHelpdeskTime() {
  const { locale } = useI18n();
  const when = computed(() => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }));
  return (at: number | string) => when.value.format(new Date(at));
}
