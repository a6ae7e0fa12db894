/**
 * Folder names the app lets people type (a rule's target, a new folder). Sieve's `fileinto`
 * takes UTF-8 and IMAP uses modified UTF-7 on the wire (imapflow converts), so Greek and any
 * other script work; refused are the characters IMAP or Dovecot treat specially: the LIST
 * wildcards `*` and `%`, quotes and backslashes, control characters, a leading `~` (a home
 * directory to some storages), and empty levels (`a//b`, a leading or trailing delimiter).
 */
export const FOLDER_MAX_BYTES = 255;

export type FolderProblem = 'required' | 'forbidden_character' | 'leading_tilde' | 'empty_level' | 'too_long';

export function folderProblem(name: string, delimiter = '/'): FolderProblem | null {
  if (name.trim() === '') return 'required';
  // eslint-disable-next-line no-control-regex
  if (/["\\*%\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'forbidden_character';
  if (name.startsWith('~')) return 'leading_tilde';
  const levels = name.split(delimiter);
  if (levels.some((l) => l === '')) return 'empty_level';
  if (levels.some((l) => l.startsWith('~'))) return 'leading_tilde';
  if (Buffer.byteLength(name, 'utf8') > FOLDER_MAX_BYTES) return 'too_long';
  return null;
}
