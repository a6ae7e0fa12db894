import { useI18n } from '../i18n/vue-i18n';
import { describeError } from '../api/errors';

/** Translated text for API errors and field error codes, in the current language. */
export function useErrorText() {
  const { t, te } = useI18n();

  function errorText(err: unknown): string {
    const d = describeError(err);
    return d.count === undefined ? t(d.key, d.params) : t(d.key, d.params, d.count);
  }

  /** Pages that show field errors load the `fieldErrors` area first; a code it has no words
   *  for (a newer server) reads as `invalid`. Asking the messages rather than a list of codes
   *  keeps that list out of the first view's bundle. */
  function fieldErrorText(code: string): string {
    return t(`fieldErrors.${/^[a-z_]+$/.test(code) && te(`fieldErrors.${code}`) ? code : 'invalid'}`);
  }

  return { errorText, fieldErrorText };
}
