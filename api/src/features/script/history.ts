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
 * The cost is size: every save rewrites it. Deflate makes Sieve text 3–6× smaller (base64 adds
 * a third back), and the versions kept are bounded by HISTORY_MAX_BYTES, well under
 * Pigeonhole's default `sieve_max_script_size` (1 MiB); the oldest are dropped first. base64
 * never contains `*` + `/`, and the JSON header escapes `/`, so no version can close its
 * comment early. Restores are byte-identical: what is kept is the bytes, not a re-print.
 */
export const HISTORY_MAX_VERSIONS = 10;
/** The history script stays at most this large (bytes); the oldest versions go first. */
export const HISTORY_MAX_BYTES = 400 * 1024;

/** The kinds of change that replace a version, each worded by the SPA in the user's language. */
export const HISTORY_CHANGES = ['vacation', 'vacation-addresses', 'spam', 'forwarding', 'filters', 'raw', 'restored', 'taken-over', 'exit-removed'] as const;

/**
 * What the change that replaced a version was, as a stable code and values (counts, on/off,
 * wall-clock times with their zone, instants in ISO 8601): never words in one language.
 */
export interface HistoryChange {
  what: (typeof HISTORY_CHANGES)[number];
  details: Record<string, string | number | boolean>;
}

/** How a save is recorded with the version it replaces. */
export interface HistoryNote {
  /** The audit words, in English for the log (no message bodies). */
  summary: string;
  change: HistoryChange;
}

export interface HistoryEntry {
  id: string;
  /** ISO 8601 UTC: when this version was replaced by a newer one. */
  savedAt: string;
  /** What the change that replaced it was (the audit words, no message bodies). */
  summary: string;
  /** The same, for the SPA to word; null for versions kept before changes were recorded so. */
  change: HistoryChange | null;
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

function encodeEntry(entry: HistoryEntry): string {
  const { text, ...meta } = entry;
  const header = JSON.stringify(meta).replaceAll('/', '\\/');
  const body = deflateRawSync(Buffer.from(text, 'utf8')).toString('base64');
  const lines = body.match(/.{1,76}/g) ?? [];
  return `/* emailng:version ${header}\r\n${lines.map((l) => l + '\r\n').join('')}*/\r\n`;
}

/** The versions a history script holds, newest first; unreadable blocks are skipped. */
export function parseHistory(script: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const m of script.matchAll(VERSION)) {
    try {
      const meta = JSON.parse(m[1] as string) as Omit<HistoryEntry, 'text'>;
      const text = inflateRawSync(Buffer.from((m[2] as string).replace(/\s+/g, ''), 'base64')).toString('utf8');
      if (typeof meta.id !== 'string' || typeof meta.savedAt !== 'string') continue;
      out.push({ id: meta.id, savedAt: meta.savedAt, summary: String(meta.summary ?? ''), change: changeOf(meta.change), size: Buffer.byteLength(text, 'utf8'), sha: shaOf(text), text });
    } catch {
      // A block someone edited by hand: not a version we can restore exactly.
    }
  }
  return out;
}

/** A stored change as the API may show it: a known code and plain values, else null. */
function changeOf(value: unknown): HistoryChange | null {
  if (typeof value !== 'object' || value === null) return null;
  const { what, details } = value as { what?: unknown; details?: unknown };
  if (!HISTORY_CHANGES.includes(what as HistoryChange['what']) || typeof details !== 'object' || details === null) return null;
  const plain = Object.entries(details).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v));
  return { what: what as HistoryChange['what'], details: Object.fromEntries(plain) as HistoryChange['details'] };
}

/** The version blocks of a history script as they are written, newest first, with the
 *  fingerprint from their header — without inflating them. */
function storedBlocks(script: string): Array<{ block: string; sha: string | null }> {
  const out: Array<{ block: string; sha: string | null }> = [];
  for (const m of script.matchAll(VERSION)) {
    const meta = headerOf(m[1] as string);
    if (meta === null) continue; // a block edited by hand is not kept
    out.push({ block: m[0].replace(/\r?\n?$/, '') + '\r\n', sha: typeof meta.sha === 'string' ? meta.sha : null });
  }
  return out;
}

function headerOf(json: string): { sha?: unknown } | null {
  try {
    return JSON.parse(json) as { sha?: unknown };
  } catch {
    return null;
  }
}

/**
 * The history script with `previous` added as the newest version, or null when there is
 * nothing to add (same text as the newest version, or empty). Runs on every save, so the
 * versions already kept are copied as they are written, not inflated and deflated again.
 */
export function addToHistory(
  scriptName: string,
  current: string,
  previous: string,
  note: HistoryNote,
  now = new Date(),
  limits = { versions: HISTORY_MAX_VERSIONS, bytes: HISTORY_MAX_BYTES },
): string | null {
  if (previous === '') return null;
  const stored = storedBlocks(current);
  const sha = shaOf(previous);
  const newest = stored[0];
  if (newest && (newest.sha ?? parseHistory(newest.block)[0]?.sha) === sha) return null;
  const entry: HistoryEntry = {
    id: `${now.getTime().toString(36)}-${sha.slice(0, 6)}`,
    savedAt: now.toISOString(),
    summary: note.summary.slice(0, 200),
    change: note.change,
    size: Buffer.byteLength(previous, 'utf8'),
    sha,
    text: previous,
  };
  let blocks = [encodeEntry(entry), ...stored.map((s) => s.block)].slice(0, limits.versions);
  const header = HEADER(scriptName);
  const size = () => Buffer.byteLength(header + blocks.join(''), 'utf8');
  while (blocks.length > 1 && size() > limits.bytes) blocks = blocks.slice(0, -1);
  if (size() > limits.bytes) return null;
  return header + blocks.join('');
}
