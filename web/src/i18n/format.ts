import type { MessageContext, MessageFunction } from 'vue-i18n';

// Our message format, all the app needs and nothing that can surprise a translator:
//   "Hello {name}"                          named placeholders
//   "{count} minute | {count} minutes"      singular | plural, picked by vue-i18n's count
// Any other character, @ { } | $ included, is literal text.

const PLACEHOLDER = /\{(\w+)\}/g;
const PLURAL_SEPARATOR = ' | ';

export function compileMessage(message: string): MessageFunction<string> {
  const forms = message.split(PLURAL_SEPARATOR);
  return (ctx: MessageContext<string>) => {
    const form = forms.length > 1 ? ctx.plural(forms) : message;
    return String(form).replace(PLACEHOLDER, (whole: string, name: string) => {
      const value: unknown = ctx.named(name);
      return value === undefined || value === null ? whole : String(value);
    });
  };
}
