/**
 * IMAP flags as the imap4flags actions take them (RFC 5232 §3 → RFC 3501 `flag`). Pigeonhole
 * stores a script with any keyword; at delivery it skips one that is not an atom, and one
 * longer than Dovecot's limit costs the message every keyword of the action, all without a
 * word in the log (test/integration/features/filters-flags.test.ts). So the app checks them.
 */

/** RFC 3501 system flags a script may set. `\Recent` is the server's alone (RFC 3501 §2.3.2). */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;

/** Dovecot's default `mail_max_keyword_length`: with a longer keyword, no keyword is stored. */
export const MAX_KEYWORD_LENGTH = 50;

const SYSTEM = new Set(SYSTEM_FLAGS.map((f) => f.toLowerCase()));

/**
 * `flag-keyword = atom`: one or more ATOM-CHAR, i.e. CHAR (7-bit, no NUL) less atom-specials:
 * `( ) {`, SP, CTL (0x00–0x1F, 0x7F), `% *`, `" \` and `]`. So printable ASCII from `!` to
 * `~` without those nine.
 */
const KEYWORD = /^[\x21\x23\x24\x26\x27\x2B-\x5B\x5E-\x7A\x7C\x7D\x7E]+$/;

export type FlagProblem = 'empty' | 'too-long' | 'invalid';

/** Why a flag cannot be set through imap4flags, or null. System flags match case-insensitively, as in IMAP. */
export function flagProblem(flag: string): FlagProblem | null {
  if (flag === '') return 'empty';
  if (flag.startsWith('\\')) return SYSTEM.has(flag.toLowerCase()) ? null : 'invalid';
  if (!KEYWORD.test(flag)) return 'invalid';
  return flag.length > MAX_KEYWORD_LENGTH ? 'too-long' : null;
}

/** RFC 5232 §3: one string may hold several flags separated by spaces. */
export function splitFlags(value: string): string[] {
  return value.split(' ').filter((f) => f !== '');
}
