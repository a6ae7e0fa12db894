import { ref, watch } from 'vue';
import { i18n, type Locale } from '../i18n';
import type { FiltersMessages } from '../components/filters/messages/en';

// The filters pages have many words of their own; they load with those pages rather than
// with the first view (DESIGN.md budget), and are merged into the app's messages under
// `filtersUi`. Greek is typed by the English file, so a missing key does not compile.

const loaders: Record<Locale, () => Promise<{ default: FiltersMessages }>> = {
  en: () => import('../components/filters/messages/en'),
  el: () => import('../components/filters/messages/el'),
};
const merged = new Set<Locale>();

async function ensure(locale: Locale): Promise<void> {
  if (merged.has(locale)) return;
  const messages = (await loaders[locale]()).default;
  i18n.global.mergeLocaleMessage(locale, { filtersUi: messages } as never);
  merged.add(locale);
}

/** True once the current language's filters messages are in; follows language changes. */
export function useFiltersMessages() {
  const ready = ref(merged.has(i18n.global.locale.value));
  watch(
    () => i18n.global.locale.value,
    async (locale) => {
      // Only the shown language: merging into a language whose base messages are not loaded
      // yet would make setLocale() think it has them.
      await ensure(locale);
      ready.value = true;
    },
    { immediate: true },
  );
  return { ready };
}
