/**
 * Folder names the app lets people type (a rule's target, a new folder). Sieve's `fileinto`
 * takes UTF-8 and IMAP uses modified UTF-7 on the wire (imapflow converts), so Greek and any
 * other script work. Refused, each with its code:
 *
 * - forbidden_character: what IMAP or Dovecot treat specially — the LIST wildcards `*` and
 *   `%`, quotes and backslashes — and control characters (C0, DEL, C1, line separators)
 * - invisible_character: Unicode format characters (category Cf: the byte order mark, zero-
 *   width spaces and joiners, bidi marks and overrides, soft hyphen…). Dovecot stores them, a
 *   folder list does not show them: `\ufeffInbox` is listed as a second Inbox
 * - not_normalized: text not in Unicode NFC. `Καλημέρα` typed decomposed (NFD) is another
 *   name to IMAP than the same word composed; the app keeps every name composed (the folder
 *   page composes what it creates, a rule's target must already be)
 * - surrounding_space: a level that starts or ends with white space (`Trash `)
 * - dot_level: a level that is `.` or `..` (a path step to the storage underneath)
 * - reserved_name: a level Dovecot uses for its own files (`dovecot.index`, `dovecot-uidlist`…)
 * - leading_tilde: a leading `~` (a home directory to some storages), on any level
 * - empty_level: `a//b`, or the hierarchy delimiter at either end
 * - too_long: over 255 octets
 */
export const FOLDER_MAX_BYTES = 255;

export type FolderProblem =
  | 'required'
  | 'forbidden_character'
  | 'invisible_character'
  | 'not_normalized'
  | 'surrounding_space'
  | 'dot_level'
  | 'reserved_name'
  | 'leading_tilde'
  | 'empty_level'
  | 'too_long';

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /["\\*%\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const FORMAT = /\p{Cf}/u;
const DOVECOT_FILE = /^dovecot[.-]/i;

export function folderProblem(name: string, delimiter = '/'): FolderProblem | null {
  if (name.trim() === '') return 'required';
  if (FORBIDDEN.test(name)) return 'forbidden_character';
  if (FORMAT.test(name)) return 'invisible_character';
  if (name !== name.normalize('NFC')) return 'not_normalized';
  const levels = name.split(delimiter);
  if (levels.some((l) => l === '')) return 'empty_level';
  if (levels.some((l) => l.trim() !== l)) return 'surrounding_space';
  if (levels.some((l) => /^\.+$/.test(l))) return 'dot_level';
  if (levels.some((l) => DOVECOT_FILE.test(l))) return 'reserved_name';
  if (levels.some((l) => l.startsWith('~'))) return 'leading_tilde';
  if (Buffer.byteLength(name, 'utf8') > FOLDER_MAX_BYTES) return 'too_long';
  return null;
}

/**
 * What two folder names that read the same have in common: composed (NFC), without format
 * characters (folders made by other programs may have them), lower case, final sigma as σ,
 * white space around each level dropped. Names with the same key look alike in a folder list.
 */
export function folderKey(name: string, delimiter = '/'): string {
  return name
    .normalize('NFC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .split(delimiter)
    .map((l) => l.trim())
    .join(delimiter);
}

/**
 * The existing folder `name` would be confused with, or null: one of the same key but another
 * spelling. The very same path is no look-alike (a rule may file into an existing folder).
 */
export function lookalikeFolder(name: string, existing: readonly string[], delimiter = '/'): string | null {
  // INBOX is one folder in any case (RFC 3501 §5.1), whatever the list spells it.
  if (existing.includes(name) || name.toUpperCase() === 'INBOX') return null;
  const key = folderKey(name, delimiter);
  return existing.find((f) => folderKey(f, delimiter) === key) ?? null;
}
