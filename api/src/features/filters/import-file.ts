import { ApiError } from '../../http/errors';

/** The largest file an import takes: 1 MiB is Pigeonhole's default sieve_max_script_size, so a larger file could never be stored. */
export const IMPORT_MAX_BYTES = 1024 * 1024;

/** Why an uploaded file is not a Sieve script to read (fields.file of a 400 answer). */
export type ImportFileProblem = 'empty' | 'too_large' | 'binary' | 'not_utf8';

const BOM = [0xef, 0xbb, 0xbf] as const;

/** C0 controls a text file does not hold (tab, line feed, form feed and carriage return are text). */
function isBinaryByte(byte: number): boolean {
  return byte === 0x7f || (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d);
}

/**
 * The text of an uploaded `.sieve` file, or an ApiError saying why it is none: nothing at all
 * (or only white space), too large, binary (a NUL or other control byte), or not UTF-8 (RFC
 * 5228 §2.4.2: a script is UTF-8). A leading byte order mark is dropped (editors on Windows
 * add one; Sieve has no use for it).
 */
export function readImportFile(bytes: Uint8Array): string {
  const problem = (code: ImportFileProblem, message: string): ApiError => new ApiError('validation', `${message}; nothing was changed`, { fields: { file: code } });
  if (bytes.length >= IMPORT_MAX_BYTES) throw problem('too_large', `the file is ${bytes.length} bytes, over the ${IMPORT_MAX_BYTES - 1} a script may have`);
  const start = BOM.every((b, i) => bytes[i] === b) ? BOM.length : 0;
  const body = bytes.subarray(start);
  if (body.some(isBinaryByte)) throw problem('binary', 'the file holds control bytes: it is not a text file');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw problem('not_utf8', 'the file is not UTF-8 text');
  }
  if (text.trim() === '') throw problem('empty', 'the file is empty');
  return text;
}
