// Pure helpers of the Security page's text: what the server recorded is shown, never run.

/** Long enough to tell browsers apart in a table cell; the whole text is in the cell's title. */
export const SHOWN_AGENT_LENGTH = 80;

/**
 * A User-Agent as the page shows it: control and format characters (bidi overrides, zero
 * width) written out as \u{…} so they can neither hide nor reorder text, then cut to `max`
 * characters. Vue escapes the result as text: markup in it stays literal.
 */
export function shownUserAgent(agent: string, max = SHOWN_AGENT_LENGTH): string {
  const visible = agent.replace(/[\p{Cc}\p{Cf}]/gu, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`);
  const chars = [...visible];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : visible;
}

/** A stable code of the API ('wrong-password', 'allow-block') as a message key ('wrongPassword'). */
export function messageKey(code: string): string {
  return code.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** An instant in the account's time zone and the page's language: "7 Dec 2026, 16:20". */
export function formatInstant(iso: string, timeZone: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}
