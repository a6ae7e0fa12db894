/**
 * Where the single sign-on redirect lands in the SPA. By default the overview; the plugin's
 * "Create a filter…" asks (`next=filter-from-message`) for the rule editor pre-filled from the
 * message the user was reading. Only that one target and its three values are carried over:
 * the token and anything else in the query stay behind. The values are not judged here —
 * the rule editor checks them like anything a user types (web/src/composables/message-prefill.ts) —
 * only cut to a length that keeps the redirect a sane size while still longer than the editor
 * accepts, so that it can still tell the user a value was too long.
 */

export const FILTER_FROM_MESSAGE = 'filter-from-message';
const PREFILL_KEYS = ['from', 'listId', 'subject'] as const;
/** Code points kept of each value: above every limit of the editor's (254/255/200). */
export const CARRIED_LENGTH = 300;

export type Query = (name: string) => string | undefined;

function cut(value: string): string {
  const points = Array.from(value);
  return points.length > CARRIED_LENGTH ? points.slice(0, CARRIED_LENGTH).join('') : value;
}

/** The hash route (`#/…?…`) the redirect goes to, with the embedded-mode parameters in `base`. */
export function landingHash(base: Record<string, string>, query: Query): string {
  const params = new URLSearchParams(base);
  if (query('next') !== FILTER_FROM_MESSAGE) return `#/?${params.toString()}`;
  for (const key of PREFILL_KEYS) {
    const value = query(key);
    if (value !== undefined) params.set(key, cut(value));
  }
  params.set('source', 'message');
  return `#/filters/new?${params.toString()}`;
}
