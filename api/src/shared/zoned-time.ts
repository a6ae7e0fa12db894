/**
 * Local wall-clock times in a user's IANA time zone ⇄ UTC instants.
 *
 * The vacation window is written into Sieve as UTC instants (compared with `currentdate
 * :zone "+0000"`), so it does not move when daylight saving time starts or ends between the
 * save and the holiday, and saving the same range again yields the same script. The user's
 * zone is kept beside it so the window is shown back exactly as it was entered.
 */

/** `YYYY-MM-DDTHH:mm`, as an HTML datetime-local input gives it. */
export const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export function isValidTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z_+\-/0-9]{1,64}$/.test(timeZone)) return false;
  try {
    // Cached per zone: building a formatter is the dear part, and every read of a script
    // with a vacation section checks its zone.
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function parseLocalDateTime(text: string): Fields | null {
  const m = LOCAL_DATE_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute));
  // Refuses 2026-02-30 and 25:00 rather than rolling them over.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || year < 1970 || year > 9999) return null;
  return { year, month, day, hour, minute };
}

/** One per valid zone (bounded by the IANA list: a zone that fails to build is not kept). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of `instant` in `timeZone`. */
function wallClock(instant: number, timeZone: string): Fields & { second: number } {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant at which the clock in `timeZone` shows `local`. As Temporal's "compatible"
 * rule: a time skipped by a DST jump (03:30 on the last Sunday of March in Nicosia) is moved
 * forward by the jump (04:30); a time that occurs twice (autumn) means its first occurrence.
 */
export function zonedToUtc(local: string, timeZone: string): Date {
  const f = parseLocalDateTime(local);
  if (!f) throw new RangeError(`not a local date-time: ${local}`);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute);
  // Try the offsets in force a day either side; the earliest candidate that shows `local` wins.
  const candidates = [...new Set([offsetAt(asUtc - 86_400_000, timeZone), offsetAt(asUtc + 86_400_000, timeZone)])]
    .map((offset) => asUtc - offset)
    .sort((a, b) => a - b);
  for (const instant of candidates) {
    if (toLocalDateTime(new Date(instant), timeZone) === local) return new Date(instant);
  }
  // Skipped by a jump forward: read it with the offset in force before the jump.
  return new Date(Math.max(...candidates));
}

/** `YYYY-MM-DDTHH:mm` shown by the clock in `timeZone` at `instant`. */
export function toLocalDateTime(instant: Date, timeZone: string): string {
  const w = wallClock(instant.getTime(), timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The UTC instant as Sieve's `currentdate :zone "+0000"` iso8601 prefix: `YYYY-MM-DDTHH:MM:SS`. */
export function toSieveUtc(instant: Date): string {
  return instant.toISOString().slice(0, 19);
}
