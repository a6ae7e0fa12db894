/**
 * Quota arithmetic, pure: percentages, the warning level the UI shows, the order of folders,
 * and UID sets. No I/O.
 */

/** The level at or above which the UI warns: 0 (none), 80, 90 or 95 percent. */
export type WarningLevel = 0 | 80 | 90 | 95;

const LEVELS: readonly WarningLevel[] = [95, 90, 80];

/** The highest warning level reached by `used` of `limit`. Exact (no rounding): 79.99 % is none. */
export function warningLevel(used: number, limit: number | null): WarningLevel {
  if (limit === null || limit <= 0) return 0;
  for (const level of LEVELS) if (used * 100 >= level * limit) return level;
  return 0;
}

/** Percent used, rounded down to one decimal (so it never shows 80.0 below the 80 % warning);
 *  may exceed 100 (Dovecot allows a grace). Null when there is no limit. */
export function percentUsed(used: number, limit: number | null): number | null {
  if (limit === null || limit <= 0) return null;
  return Math.floor((used * 1000) / limit) / 10;
}

export interface Resource {
  used: number;
  limit: number | null;
}

/** The quota summary over every limited resource: the fullest decides. */
export function summarize(resources: Array<Resource | null>): { percent: number | null; warningLevel: WarningLevel; full: boolean } {
  let percent: number | null = null;
  let level: WarningLevel = 0;
  let full = false;
  for (const r of resources) {
    if (!r || r.limit === null) continue;
    const p = percentUsed(r.used, r.limit);
    if (p !== null && (percent === null || p > percent)) percent = p;
    const l = warningLevel(r.used, r.limit);
    if (l > level) level = l;
    if (r.limit > 0 && r.used >= r.limit) full = true;
  }
  return { percent, warningLevel: level, full };
}

/** Largest first; equal sizes by path, so the order is stable. */
export function byLargest<T extends { bytes: number; path: string }>(folders: T[]): T[] {
  return [...folders].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
}

/** A compact IMAP UID set ("1:3,7,9:10") from UIDs in any order. */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start: number | undefined;
  let end: number | undefined;
  for (const uid of sorted) {
    if (start !== undefined && end !== undefined && uid === end + 1) {
      end = uid;
      continue;
    }
    if (start !== undefined) parts.push(start === end ? `${start}` : `${start}:${end}`);
    start = uid;
    end = uid;
  }
  if (start !== undefined) parts.push(start === end ? `${start}` : `${start}:${end}`);
  return parts.join(',');
}
