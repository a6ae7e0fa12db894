import { describe, expect, it } from 'vitest';
import { folderKey, folderProblem, lookalikeFolder } from '../../../../api/src/features/folders/names';

const NFC = 'Καλημέρα';
const NFD = NFC.normalize('NFD');

describe('folder names people may type', () => {
  it('takes ordinary names in any script', () => {
    for (const ok of ['Work', 'Εργασία', 'Σημειώσεις', 'Projects/2026', 'a b', 'Über', 'Re: stuff', 'x.y', '.hidden-ish', NFC]) expect(folderProblem(ok), ok).toBeNull();
  });

  it('refuses Unicode format characters: BOM, zero-width, bidi, soft hyphen', () => {
    for (const bad of ['\ufeffInbox', 'Inbox\u200b', 'In\u200cbox', 'In\u200dbox', '\u200eWork', 'Work\u202e', 'Wo\u2066rk\u2069', 'Wo\u00adrk', '\u2060Trash']) {
      expect(folderProblem(bad), JSON.stringify(bad)).toBe('invisible_character');
    }
  });

  it('refuses control characters, wildcards, quotes and backslashes', () => {
    for (const bad of ['a\u0000b', 'a\tb', 'a\nb', 'a\u007fb', 'a\u0085b', 'a\u2028b', 'a*', '%a', 'a"b', 'a\\b']) expect(folderProblem(bad), JSON.stringify(bad)).toBe('forbidden_character');
  });

  it('refuses decomposed text (it is another name to IMAP)', () => {
    expect(folderProblem(NFD)).toBe('not_normalized');
  });

  it('refuses space around a level, dot levels and path steps, Dovecot’s own files, empty levels', () => {
    for (const bad of ['Trash ', ' Trash', 'Work/ Sub', 'Work /Sub', 'Trash\u00a0']) expect(folderProblem(bad), JSON.stringify(bad)).toBe('surrounding_space');
    for (const bad of ['.', '..', '...', '../x', 'a/../b', 'a/.', './a']) expect(folderProblem(bad), bad).toBe('dot_level');
    for (const bad of ['dovecot.index', 'dovecot.index.log', 'Dovecot.Index.Cache', 'dovecot-uidlist', 'a/dovecot.list.index']) expect(folderProblem(bad), bad).toBe('reserved_name');
    for (const bad of ['/a', 'a/', 'a//b']) expect(folderProblem(bad), bad).toBe('empty_level');
    expect(folderProblem('a..b.c', '.')).toBe('empty_level'); // with "." as the delimiter
    expect(folderProblem('~x')).toBe('leading_tilde');
    expect(folderProblem('   ')).toBe('required');
    expect(folderProblem('α'.repeat(128))).toBe('too_long'); // 256 octets
  });

  it('finds the existing folder a name would look like: INBOX, case, NFD, final sigma, spaces, format characters', () => {
    const existing = ['INBOX', 'Trash', NFC, 'Σημειώσεις', 'Work/Sub', '\u200bOdd'];
    expect(lookalikeFolder('Trash', existing)).toBeNull(); // the very same folder
    expect(lookalikeFolder('inbox', existing)).toBeNull(); // INBOX in any case is INBOX
    expect(lookalikeFolder('trash', existing)).toBe('Trash');
    expect(lookalikeFolder(NFD, existing)).toBe(NFC);
    expect(lookalikeFolder('Σημειώσεισ', existing)).toBe('Σημειώσεις');
    expect(lookalikeFolder('ΣΗΜΕΙΏΣΕΙΣ', existing)).toBe('Σημειώσεις');
    expect(lookalikeFolder('Trash ', existing)).toBe('Trash');
    expect(lookalikeFolder('work/sub', existing)).toBe('Work/Sub');
    expect(lookalikeFolder('Odd', existing)).toBe('\u200bOdd');
    expect(lookalikeFolder('Trashy', existing)).toBeNull();
    expect(folderKey('Inbox\u200b')).toBe(folderKey('INBOX'));
  });
});
