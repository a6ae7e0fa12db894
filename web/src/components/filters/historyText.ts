import type { HistoryEntry } from '../../api/types';

// The history page's sentence for what replaced a version, from the code and values the API
// recorded (never its English audit words), in the page's language and the account's zone.

type Translate = (key: string, named?: Record<string, unknown>, count?: number) => string;
type Change = NonNullable<HistoryEntry['change']>;

const K = 'filtersUi.history.change.';

/** An instant in the account's time zone: "9 Dec 2026, 00:00:00" (month in words: no dd/mm vs mm/dd doubt). */
export function instantText(iso: string, timeZone: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const style = { dateStyle: 'medium', timeStyle: 'medium' } as const;
  try {
    return new Intl.DateTimeFormat(locale, { ...style, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...style, timeZone: 'UTC' }).format(date) + ' UTC';
  }
}

/** A wall-clock `YYYY-MM-DDTHH:mm` (or a date) as written, in the page's language: the zone is said apart. */
export function wallClockText(value: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) return value;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h || 0, mi || 0));
  const time = m[4] === undefined ? {} : ({ timeStyle: 'short' } as const);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...time, timeZone: 'UTC' }).format(date);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** What replaced a version, as a sentence; a version kept before changes were recorded shows its stored words. */
export function changeText(entry: Pick<HistoryEntry, 'change' | 'summary' | 'timeZone'>, t: Translate, locale: string): string {
  const c = entry.change;
  if (!c) return entry.summary;
  return sentence(c, entry.timeZone, t, locale);
}

function sentence(c: Change, accountZone: string, t: Translate, locale: string): string {
  const d = c.details;
  switch (c.what) {
    case 'vacation': {
      const parts = [t(`${K}${d.enabled === false ? 'vacationOff' : 'vacationOn'}`)];
      if (str(d.start)) parts.push(t(`${K}from`, { when: wallClockText(str(d.start), locale) }));
      if (str(d.end)) parts.push(t(`${K}until`, { when: wallClockText(str(d.end), locale) }));
      const zone = str(d.timeZone);
      if ((str(d.start) || str(d.end)) && zone && zone !== accountZone) parts.push(t(`${K}zone`, { zone }));
      return parts.join(' ');
    }
    case 'spam': {
      const level = str(d.level);
      const known = ['off', 'lenient', 'standard', 'strict', 'custom'].includes(level) ? level : 'custom';
      const threshold = typeof d.threshold === 'number' ? d.threshold.toLocaleString(locale) : '';
      return [t(`${K}spam.${known}`, { threshold }), t(`${K}allowed`, { count: num(d.allowed) }, num(d.allowed)), t(`${K}blocked`, { count: num(d.blocked) }, num(d.blocked))].join(', ');
    }
    case 'forwarding': {
      const n = num(d.addresses);
      if (n === 0) return t(`${K}forwardingOff`);
      return `${t(`${K}forwardingTo`, { count: n }, n)}, ${t(`${K}${d.keepCopy === false ? 'noCopy' : 'copyKept'}`)}`;
    }
    case 'filters': {
      const parts = [t(`${K}rules`, { count: num(d.rules) }, num(d.rules))];
      if (num(d.custom) > 0) parts.push(t(`${K}custom`, { count: num(d.custom) }, num(d.custom)));
      if (num(d.customDeleted) > 0) parts.push(t(`${K}customDeleted`, { count: num(d.customDeleted) }, num(d.customDeleted)));
      return parts.join(', ');
    }
    case 'restored':
      return t(`${K}restored`, { when: instantText(str(d.savedAt), accountZone, locale) });
    case 'taken-over':
      return t(`${K}takenOver`, { script: str(d.script) });
    case 'exit-removed':
      return t(`${K}exitRemoved`, { address: str(d.address) });
    case 'vacation-addresses':
      return t(`${K}vacationAddresses`);
    case 'raw':
      return t(`${K}raw`);
  }
}
