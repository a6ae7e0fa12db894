import { useI18n } from '../i18n/vue-i18n';
import { describeError } from '../api/errors';
import { FIELD_ERROR_CODES as FIELD_CODES } from '../api/types';

/** Translated text for API errors and field error codes, in the current language. */
export function useErrorText() {
  const { t } = useI18n();

  function errorText(err: unknown): string {
    const d = describeError(err);
    return d.count === undefined ? t(d.key, d.params) : t(d.key, d.params, d.count);
  }

  function fieldErrorText(code: string): string {
    const known = (FIELD_CODES as readonly string[]).includes(code) ? code : 'invalid';
    return t(`fieldErrors.${known}`);
  }

  return { errorText, fieldErrorText };
}
