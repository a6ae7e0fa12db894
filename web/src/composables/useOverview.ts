import { request } from '../api/client';
import type { Address, MailExit, QuotaWarningLevel, SpamLevel } from '../api/types';
import { daysUntil, lastMoment, wallClockDate } from './useVacationForm';
import { useResource } from './useResource';
import type { SpamDelivery } from './useSpamSummary';

// The landing page's data: everything it shows comes from one call, GET /api/overview
// (api/src/features/overview/routes.ts). A part the server could not read just now is null
// and named in `unavailable`; the rest of the page still shows.

export type OverviewPart = 'quota' | 'script' | 'lists' | 'held';

export interface OverviewVacation {
  enabled: boolean;
  /** Wall-clock `YYYY-MM-DDTHH:mm` in `timeZone`, like GET /api/vacation. */
  start: string | null;
  /** Exclusive end of the window. */
  end: string | null;
  timeZone: string;
  endsInDays: number | null;
}

export interface Overview {
  uid: string;
  displayName: string;
  addresses: Address[];
  quota: {
    storage: { usedBytes: number; limitBytes: number; percent: number | null } | null;
    messages: { used: number; limit: number; percent: number | null } | null;
    percent: number | null;
    warningLevel: QuotaWarningLevel;
    full: boolean;
  } | null;
  vacation: OverviewVacation | null;
  forwarding: { addresses: string[]; keepCopy: boolean } | null;
  spam: { level: SpamLevel; threshold: number | null; delivery: SpamDelivery } | null;
  filters: { rules: number; custom: number } | null;
  lists: Array<{ cn: string; mail: string | null }> | null;
  foreignScript: { name: string } | null;
  /** Mail the content filter held back: all of it, and what arrived in the last 7 days. */
  held: { total: number; lastWeek: number } | null;
  /** Every way mail leaves the account; null when it could not be read. */
  exits: { items: MailExit[]; limit: number; counted: number } | null;
  /** Security alerts not answered yet. */
  openAlerts: number;
  unavailable: OverviewPart[];
}

export function useOverview() {
  const { data: overview, loading, loadError, load } = useResource(() => request<Overview>('GET', 'api/overview'));
  return { overview, loading, loadError, load };
}

/**
 * Where the vacation reply stands now, counted in the browser's calendar days as the
 * Vacation page shows them (the last day away, not the exclusive end):
 * `off`, `over` (on, but its last day has passed), `upcoming` (starts in `days`),
 * `on` (`days` until its last day, 0 = today; `last` when it has an end, `until` when that
 * end is a time of day rather than midnight).
 */
export type VacationState =
  | { kind: 'off' | 'over' }
  | { kind: 'upcoming'; days: number; first: Date }
  | { kind: 'on'; days: number | null; last: Date | null; until: Date | null };

export function vacationState(v: Pick<OverviewVacation, 'enabled' | 'start' | 'end'> | null, now = new Date()): VacationState {
  if (!v?.enabled) return { kind: 'off' };
  if (v.end && wallClockDate(v.end) <= now) return { kind: 'over' };
  if (v.start && wallClockDate(v.start) > now) return { kind: 'upcoming', days: daysUntil(v.start, now), first: wallClockDate(v.start) };
  if (!v.end) return { kind: 'on', days: null, last: null, until: null };
  const last = lastMoment(v.end);
  // An end at midnight means "until the end of the day before"; another time is said as such.
  return { kind: 'on', days: daysUntil(last, now), last, until: v.end.endsWith('T00:00') ? null : wallClockDate(v.end) };
}
