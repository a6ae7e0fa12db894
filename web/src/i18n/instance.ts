import type { MessageCompiler } from 'vue-i18n';
import { createI18n } from './vue-i18n';
import { compileMessage } from './format';
import type { MessageSchema } from './locales/en';
import { DEFAULT_LOCALE, type Locale } from './detect';

// The app's vue-i18n instance, on its own so that messages.ts can use it without a cycle.
export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: {} as Record<Locale, MessageSchema>,
  // Messages are plain strings (the runtime build cannot compile vue-i18n's own syntax).
  messageCompiler: ((message: unknown) => compileMessage(String(message))) as MessageCompiler,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});
