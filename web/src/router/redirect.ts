/**
 * The `redirect` query value to follow after sign-in: an in-app path only, never another
 * origin (`//host`) and never the sign-in page itself; anything else means the overview.
 */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/sign-in')
    ? value
    : '/';
}
