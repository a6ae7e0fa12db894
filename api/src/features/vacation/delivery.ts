import type { VacationSettings } from '../../sieve';
import type { AppConfig } from '../../config/load';

/** Who never gets an automatic reply: the words of the vacation page are made from this. */
export interface NeverAnswered {
  /** Local parts of machine senders (envelope or From), any case, alone or with a +detail. */
  localParts: string[];
  /** Mail the site's filter flagged as spam, whatever the user's spam level. */
  flaggedSpam: boolean;
}

/**
 * Read from the same settings the vacation section's Sieve is generated from (assemble.ts:
 * vacationCondition), so the page says what the running section does — also when it was
 * written by an earlier version with other guards, or before the site changed its list.
 * Without a running section, what a save would write now.
 */
export function neverAnsweredBy(saved: VacationSettings | undefined, policy: Pick<AppConfig['vacation'], 'noReplyLocalParts'>): NeverAnswered {
  if (saved && saved.enabled !== false) {
    return { localParts: [...(saved.noReplyLocalParts ?? [])], flaggedSpam: saved.skipFlaggedSpam === true };
  }
  return { localParts: [...policy.noReplyLocalParts], flaggedSpam: true };
}
