// Our message format, all the app needs and nothing that can surprise a translator:
//   "Hello {name}"                          named placeholders
//   "{count} minute | {count} minutes"      singular | plural, picked by the count passed to t()
// Any other character, @ { } | $ included, is literal text.

const PLACEHOLDER = /\{(\w+)\}/g;
const PLURAL_SEPARATOR = ' | ';

export type Named = Record<string, unknown>;
export type MessageFunction = (named: Named, count?: number) => string;

/**
 * Which form of `forms` a count takes: with two forms (English, Greek) the first is for
 * exactly one and the second for 0 and many; with three, 0 / 1 / many.
 */
export function pluralIndex(count: number, forms: number): number {
  const n = Math.abs(count);
  const index = forms === 2 ? (n === 1 ? 0 : 1) : Math.min(n, 2);
  return Math.min(index, forms - 1);
}

export function compileMessage(message: string): MessageFunction {
  const forms = message.split(PLURAL_SEPARATOR);
  return (named, count) => {
    // Without a count, the first form (as vue-i18n, which the app used before, did).
    const form = forms.length > 1 ? forms[pluralIndex(count ?? 1, forms.length)]! : message;
    return form.replace(PLACEHOLDER, (whole: string, name: string) => {
      const value = named[name];
      return value === undefined || value === null ? whole : String(value);
    });
  };
}
