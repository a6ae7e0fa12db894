// Embedded mode's parameters, without DOM access so they can be unit-tested in Node
// (useEmbedded.ts applies them).

export type Theme = 'light' | 'dark';
export interface EmbeddedState {
  embedded: boolean;
  theme: Theme | null;
}

const MESSAGE_TYPE = 'emailng-settings:theme';

export function toTheme(value: unknown): Theme | null {
  return value === 'dark' || value === 'light' ? value : null;
}

/** The embedded-mode parameters in the URL's search part or the hash route's query, else null. */
export function embeddedFromUrl(search: string, hash: string): EmbeddedState | null {
  const q = hash.indexOf('?');
  for (const params of [new URLSearchParams(search), new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '')]) {
    if (params.get('embedded') === '1') return { embedded: true, theme: toTheme(params.get('theme')) };
  }
  return null;
}

/** A message from the framing page that switches the theme, or null for anything else. */
export function themeFromMessage(data: unknown): Theme | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, theme } = data as { type?: unknown; theme?: unknown };
  return type === MESSAGE_TYPE ? toTheme(theme) : null;
}
