import { nextTick } from 'vue';
import type { Vacation, VacationResponse } from '../api/types';

// The vacation form as the user sees it, and its translation to and from the API's shape.
// The API keeps a window [start, end) of wall-clock times; people think in "first day away"
// and "last day away", so the form asks for dates and, optionally, times:
//   last day 2025-07-10, no time  → end 2025-07-11T00:00 (replies until the end of the 10th)
//   last day 2025-07-10, 14:00    → end 2025-07-10T14:00

export interface VacationForm {
  enabled: boolean;
  startDate: string;
  startTime: string;
  lastDate: string;
  /** Empty: until the end of the last day. */
  endTime: string;
  subject: string;
  message: string;
  /** Text, so that "abc" can be told apart from an empty field. */
  intervalDays: string;
  /** Empty: the server's default sender. */
  from: string;
  /** The account's IANA time zone (as saved, else the site's): the times are read in it. */
  timeZone: string;
}

export const DEFAULT_INTERVAL_DAYS = 7;

/** The browser's own IANA time zone: shown beside the account's when they differ, never saved. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Whether two IANA names are the same zone: browsers give ICU's canonical name (Chromium
 *  says Asia/Nicosia for Europe/Nicosia), so names are compared as the browser resolves them. */
export function sameTimeZone(a: string, b: string): boolean {
  const canonical = (zone: string) => {
    try {
      return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      return zone;
    }
  };
  return a === b || canonical(a) === canonical(b);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD` ± days, calendar arithmetic (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export function toForm(res: VacationResponse, defaults: { subject: string; message: string }): VacationForm {
  const v = res.vacation;
  const [startDate = '', startTime = ''] = v.start ? v.start.split('T') : [];
  let lastDate = '';
  let endTime = '';
  if (v.end) {
    const [d = '', time = ''] = v.end.split('T');
    if (time === '00:00') lastDate = addDays(d, -1);
    else [lastDate, endTime] = [d, time];
  }
  // A reply never set up: offer sensible words instead of empty boxes.
  const fresh = !v.enabled && !v.subject && !v.message;
  return {
    enabled: v.enabled,
    startDate,
    startTime: startTime === '00:00' ? '' : startTime,
    lastDate,
    endTime,
    subject: fresh ? defaults.subject : v.subject,
    message: fresh ? defaults.message : v.message,
    intervalDays: String(v.intervalDays || DEFAULT_INTERVAL_DAYS),
    from: v.from ?? '',
    timeZone: v.timeZone,
  };
}

export function windowStart(f: VacationForm): string | null {
  return f.startDate ? `${f.startDate}T${f.startTime || '00:00'}` : null;
}

export function windowEnd(f: VacationForm): string | null {
  if (!f.lastDate) return null;
  return f.endTime ? `${f.lastDate}T${f.endTime}` : `${addDays(f.lastDate, 1)}T00:00`;
}

export function parseWholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

export function toBody(f: VacationForm): Vacation {
  return {
    enabled: f.enabled,
    start: windowStart(f),
    end: windowEnd(f),
    timeZone: f.timeZone,
    subject: f.subject,
    message: f.message,
    intervalDays: parseWholeNumber(f.intervalDays) ?? DEFAULT_INTERVAL_DAYS,
    from: f.from || null,
  };
}

export function check(f: VacationForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (parseWholeNumber(f.intervalDays) === null) problems.intervalDays = 'not_a_number';
  if (/[\r\n]/.test(f.subject)) problems.subject = 'line_break';
  // As the server checks it, so that every mistake shows at once and the first one gets focus.
  const start = windowStart(f);
  const end = windowEnd(f);
  if (start && end && end <= start) problems.end = 'end_before_start';
  return problems;
}

/** A wall-clock `YYYY-MM-DD[THH:mm]` as a Date in the browser's zone, for display only. */
export function wallClockDate(text: string): Date {
  const [d = '', time = '00:00'] = text.split('T');
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  return new Date(y, m - 1, day, h, min);
}

/** Calendar days from today until the day of `when` (browser zone); 0 = today. */
export function daysUntil(when: string | Date, now = new Date()): number {
  const d = typeof when === 'string' ? wallClockDate(when) : when;
  const day = (x: Date) => Date.UTC(x.getFullYear(), x.getMonth(), x.getDate());
  return Math.max(0, Math.round((day(d) - day(now)) / 86_400_000));
}

/** The last day replies are sent (the window's end is exclusive), as a Date. */
export function lastMoment(end: string): Date {
  return new Date(wallClockDate(end).getTime() - 60_000);
}

/**
 * A subject is one line. A text input would silently drop a pasted line break; instead
 * the paste goes in with each break turned into a space, and the caller tells the user.
 * Returns the input's new value, or null when the pasted text had no line break.
 */
export function pasteOneLine(e: ClipboardEvent): string | null {
  const text = e.clipboardData?.getData('text/plain') ?? '';
  if (!/[\r\n]/.test(text)) return null;
  e.preventDefault();
  const input = e.target as HTMLInputElement;
  const flat = text.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ').trim();
  const from = input.selectionStart ?? input.value.length;
  const to = input.selectionEnd ?? from;
  const value = input.value.slice(0, from) + flat + input.value.slice(to);
  const caret = from + flat.length;
  void nextTick(() => input.setSelectionRange(caret, caret));
  return value;
}
