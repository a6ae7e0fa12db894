/**
 * What a vacation reply's words may hold. The reply's subject becomes a header and its
 * message a body that Pigeonhole sends as they are: a control character is replaced with
 * U+FFFD by the server (DEL even goes out raw in a header), and an invisible format character
 * (bidi override, BOM, zero-width space) makes the reply read differently from what the page
 * showed. So both are refused by name, and a TAB in the one-line subject becomes a space.
 */

/** C0 controls other than TAB, LF and CR; DEL; C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/**
 * Unicode format characters (general category Cf), except ZWNJ and ZWJ, which some scripts
 * and emoji sequences need between visible characters.
 */
const FORMAT = /(?![\u200C\u200D])\p{Cf}/u;

export type TextProblem = 'control_character' | 'format_character';

/** Why the text cannot go into a reply, or null. Line breaks are the caller's business. */
export function replyTextProblem(value: string): TextProblem | null {
  if (CONTROL.test(value)) return 'control_character';
  if (FORMAT.test(value)) return 'format_character';
  return null;
}

/** A subject is one line of words: each TAB becomes a space. */
export const normalizeSubject = (subject: string): string => subject.replace(/\t/g, ' ');
