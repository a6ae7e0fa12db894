import { createI18n } from './vue-i18n';
import { DEFAULT_LOCALE, type Locale } from './detect';

// The app's translator instance, on its own so that messages.ts can use it without a cycle.
export const i18n = createI18n<Locale>({ locale: DEFAULT_LOCALE, fallbackLocale: DEFAULT_LOCALE });
