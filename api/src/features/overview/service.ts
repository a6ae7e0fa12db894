import type { Account, Directory } from '../../backends/ldap/directory';
import type { AppConfig } from '../../config/load';
import { toMe } from '../../auth/me';
import type { Logger } from '../../logging';
import type { ForwardingService } from '../forwarding/service';
import type { QuotaService } from '../quota/service';
import type { QuotaTotals } from '../quota/types';
import type { ScriptState, ScriptStore } from '../script/store';
import type { SpamDelivery } from '../spam/delivery';
import { spamView } from '../spam/service';
import { vacationView } from '../vacation/service';
import { zonedToUtc } from '../../shared/zoned-time';

export interface Overview {
  uid: string;
  displayName: string;
  addresses: ReturnType<typeof toMe>['addresses'];
  quota: QuotaTotals | null;
  vacation: { enabled: boolean; start: string | null; end: string | null; timeZone: string; endsInDays: number | null } | null;
  forwarding: { addresses: string[]; keepCopy: boolean } | null;
  spam: { level: string; threshold: number | null; delivery: SpamDelivery } | null;
  filters: { rules: number; custom: number } | null;
  lists: Array<{ cn: string; mail: string | null }> | null;
  foreignScript: { name: string } | null;
  /** Mail the content filter held back; null when the site shows no held mail (or it is unavailable). */
  held: { total: number; lastWeek: number } | null;
  /** Parts that could not be read just now (the rest of the page still shows). */
  unavailable: Array<'quota' | 'script' | 'lists' | 'held'>;
}

const DAY_MS = 86_400_000;

/**
 * Everything the landing page shows, in one call: the three back ends are asked at once and a
 * part that fails is reported as unavailable rather than failing the page.
 */
export class OverviewService {
  constructor(
    private readonly deps: {
      scripts: ScriptStore;
      directory: Directory;
      quota: QuotaService;
      forwarding: ForwardingService;
      /** Held mail counts, when the site has a quarantine the app reads. */
      held: ((account: Account, now: Date) => Promise<{ total: number; lastWeek: number }>) | null;
      logger: Logger;
    },
    private readonly config: Pick<AppConfig, 'mail' | 'spam' | 'vacation' | 'quarantine'>,
  ) {}

  async get(account: Account, clientAddress: string, now = new Date()): Promise<Overview> {
    const [quota, script, lists, held] = await Promise.allSettled([
      this.deps.quota.usage(account.uid, clientAddress),
      this.deps.scripts.read(account.uid, { clientAddress }),
      this.deps.directory.groupsOfMember(account.dn),
      this.deps.held ? this.deps.held(account, now) : Promise.resolve(null),
    ]);
    const unavailable: Overview['unavailable'] = [];
    for (const [name, result] of [['quota', quota], ['script', script], ['lists', lists], ['held', held]] as const) {
      if (result.status === 'rejected') {
        unavailable.push(name);
        this.deps.logger.warn({ uid: account.uid, part: name, err: (result.reason as Error)?.message }, 'overview part unavailable');
      }
    }
    const state = script.status === 'fulfilled' ? script.value : null;
    const me = toMe(account);
    return {
      uid: me.uid,
      displayName: me.displayName,
      addresses: me.addresses,
      quota: quota.status === 'fulfilled' ? quota.value : null,
      ...(state ? await this.scriptParts(account, state, now) : { vacation: null, forwarding: null, spam: null, filters: null, foreignScript: null }),
      lists: lists.status === 'fulfilled' ? lists.value.map(({ cn, mail }) => ({ cn, mail })) : null,
      held: held.status === 'fulfilled' ? held.value : null,
      unavailable,
    };
  }

  private async scriptParts(account: Account, state: ScriptState, now: Date) {
    const vacation = vacationView(state, account, this.config.mail.timeZone, this.config.vacation).vacation;
    const end = vacation.end === null ? null : zonedToUtc(vacation.end, vacation.timeZone);
    const forwarding = await this.deps.forwarding.fromState(account, state).catch(() => null);
    const { spam, delivery } = spamView(state, { ...this.config.spam, quarantineDays: this.config.quarantine?.retentionDays ?? null });
    return {
      vacation: {
        enabled: vacation.enabled,
        start: vacation.start,
        end: vacation.end,
        timeZone: vacation.timeZone,
        endsInDays: vacation.enabled && end ? Math.max(0, Math.ceil((end.getTime() - now.getTime()) / DAY_MS)) : null,
      },
      forwarding: forwarding && forwarding.forwarding,
      spam: { level: spam.level, threshold: spam.threshold, delivery },
      filters: {
        rules: state.doc.items.filter((i) => i.kind === 'rule').length,
        custom: state.doc.items.filter((i) => i.kind === 'custom').length,
      },
      foreignScript: state.foreignActive === null ? null : { name: state.foreignActive },
    };
  }
}
