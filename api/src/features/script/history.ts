import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Where the previous versions of the app's script live.
 *
 * Decision: ONE extra script, `<scriptName>.history`, holding up to HISTORY_MAX_VERSIONS
 * versions, newest first, each as a bracket comment whose body is the version's exact bytes,
 * deflated and base64-encoded. Why not `emailng.history.1` … `.10`:
 *  - Dovecot's `sieve_quota_max_scripts` counts scripts: ten more of ours could push a user
 *    over a site's count limit (and crowd her own list of scripts); one costs one slot.
 *  - A script made only of comments always compiles, so PUTSCRIPT never refuses a version for
 *    what it says (a verbatim copy could: an `include` whose target has since been deleted).
 *  - One PUTSCRIPT replaces the whole history atomically: it is either the old or the new
 *    list, never a half-rotated chain of renames.
 * The cost is size: every save reads and rewrites it. So only the newest version is kept
 * whole (deflated, base64); each older one is deflated with the next newer version as zlib's
 * preset dictionary (`"delta":1` in its header), which leaves little more than what changed
 * between them: ten versions of a 1.5 KB script take about what two did when each was kept
 * whole (15.6 KB before). Reading walks from the newest down; a block whose newer neighbour is
 * unreadable cannot be read either, and every text is checked against its sha, so a wrong
 * dictionary can never yield a wrong version. The versions kept are bounded by
 * HISTORY_MAX_BYTES, well under Pigeonhole's default `sieve_max_script_size` (1 MiB); the oldest
 * are dropped first (nothing refers to an older block). base64 never contains `*` + `/`, and
 * the JSON header escapes `/`, so no version can close its comment early. Restores are
 * byte-identical: what is kept is the bytes, not a re-print.
 */
export const HISTORY_MAX_VERSIONS = 10;
/** The history script stays at most this large (bytes); the oldest versions go first. */
export const HISTORY_MAX_BYTES = 400 * 1024;

export interface HistoryEntry {
  id: string;
  /** ISO 8601 UTC: when this version was replaced by a newer one. */
  savedAt: string;
  /** What the change that replaced it was (the audit words, no message bodies). */
  summary: string;
  /** The version's size in bytes. */
  size: number;
  /** sha256 (base64url, 22 chars) of the text, to skip duplicates. */
  sha: string;
  text: string;
}

const HEADER = (scriptName: string) =>
  `# emailng:history of the Sieve script "${scriptName}": its previous versions, newest first.\r\n` +
  '# Written by EmailNG Settings, which can list, show and restore them. This script does\r\n' +
  '# nothing when run (it is only comments): do not activate it.\r\n';

const VERSION = /\/\* emailng:version (\{[^\r\n]*\})\r?\n([A-Za-z0-9+/=\r\n]*)\*\//g;

export const shaOf = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 22);

interface StoredMeta {
  id: string;
  savedAt: string;
  summary: string;
  size: number;
  sha: string;
  /** 1: deflated against the next newer version's text (zlib preset dictionary). */
  delta?: 1;
}

/** One version as a comment block; `newer`: the next newer version's text, to deflate against. */
function encodeEntry(entry: HistoryEntry, newer: string | null): string {
  const { text, ...meta } = entry;
  const stored: StoredMeta = newer === null ? meta : { ...meta, delta: 1 };
  const header = JSON.stringify(stored).replaceAll('/', '\\/');
  const bytes = Buffer.from(text, 'utf8');
  const body = (newer === null ? deflateRawSync(bytes) : deflateRawSync(bytes, { dictionary: dictionaryOf(newer) })).toString('base64');
  const lines = body.match(/.{1,76}/g) ?? [];
  return `/* emailng:version ${header}\r\n${lines.map((l) => l + '\r\n').join('')}*/\r\n`;
}

/** zlib looks back at most 32 KiB: the end of the newer text, where a long script's tail is. */
const DICTIONARY_BYTES = 32 * 1024;
const dictionaryOf = (text: string): Buffer => {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length > DICTIONARY_BYTES ? bytes.subarray(bytes.length - DICTIONARY_BYTES) : bytes;
};

/** The versions a history script holds, newest first; unreadable blocks are skipped. */
export function parseHistory(script: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  // The text of the block just above, for a delta below it (null: that one was unreadable).
  let newer: string | null = null;
  for (const m of script.matchAll(VERSION)) {
    const text = readBlock(m[1] as string, m[2] as string, newer);
    newer = text?.text ?? null;
    if (text) out.push(text);
  }
  return out;
}

function readBlock(headerJson: string, body: string, newer: string | null): HistoryEntry | null {
  try {
    const meta = JSON.parse(headerJson) as Partial<StoredMeta>;
    if (typeof meta.id !== 'string' || typeof meta.savedAt !== 'string') return null;
    const bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    if (meta.delta === 1 && newer === null) return null;
    const text = (meta.delta === 1 ? inflateRawSync(bytes, { dictionary: dictionaryOf(newer as string) }) : inflateRawSync(bytes)).toString('utf8');
    const sha = shaOf(text);
    // A block edited by hand, or a delta whose newer neighbour is not the one it was made against.
    if (typeof meta.sha === 'string' && meta.sha !== sha) return null;
    return { id: meta.id, savedAt: meta.savedAt, summary: String(meta.summary ?? ''), size: Buffer.byteLength(text, 'utf8'), sha, text };
  } catch {
    // A block someone edited by hand: not a version we can restore exactly.
    return null;
  }
}

/** The version blocks of a history script as they are written, newest first, without
 *  inflating them; a block whose header is not JSON (edited by hand) is left out. */
function storedBlocks(script: string): string[] {
  const out: string[] = [];
  for (const m of script.matchAll(VERSION)) {
    if (!headerIsJson(m[1] as string)) continue;
    out.push(m[0].replace(/\r?\n?$/, '') + '\r\n');
  }
  return out;
}

function headerIsJson(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}

/**
 * The history script with `previous` added as the newest version, or null when there is
 * nothing to add (same text as the newest version, or empty). Runs on every save: the newest
 * version so far is inflated once and kept as a delta against `previous`; the older ones are
 * copied as they are written.
 */
export function addToHistory(
  scriptName: string,
  current: string,
  previous: string,
  summary: string,
  now = new Date(),
  limits = { versions: HISTORY_MAX_VERSIONS, bytes: HISTORY_MAX_BYTES },
): string | null {
  if (previous === '') return null;
  const stored = storedBlocks(current);
  const sha = shaOf(previous);
  const newest = stored[0] ? parseHistory(stored[0])[0] : undefined;
  if (newest?.sha === sha) return null;
  const entry: HistoryEntry = {
    id: `${now.getTime().toString(36)}-${sha.slice(0, 6)}`,
    savedAt: now.toISOString(),
    summary: summary.slice(0, 200),
    size: Buffer.byteLength(previous, 'utf8'),
    sha,
    text: previous,
  };
  // The newest block so far is whole; below the new one it becomes a delta. When it cannot be
  // read (edited by hand), the blocks stay as they are: whole ones still read, deltas do not.
  const older = newest ? [encodeEntry(newest, previous), ...stored.slice(1)] : stored;
  let blocks = [encodeEntry(entry, null), ...older].slice(0, limits.versions);
  const header = HEADER(scriptName);
  const size = () => Buffer.byteLength(header + blocks.join(''), 'utf8');
  while (blocks.length > 1 && size() > limits.bytes) blocks = blocks.slice(0, -1);
  if (size() > limits.bytes) return null;
  return header + blocks.join('');
}
