import type { Account } from '../../backends/ldap/directory';
import type { DigestPreference, DigestState, DigestStore, ClaimDecision } from '../../backends/quarantine/digest-store';
import type { QuarantineStore } from '../../backends/quarantine/store';
import type { Outbound } from '../../backends/outbound';
import type { Logger } from '../../logging';
import { composeMail } from '../../shared/mail-composer';
import { digestMail, type MailContext } from './mail-texts';

/**
 * Held-mail digests (`npm run digests`, on a timer): each user with mail held since her last
 * digest gets one, on her schedule, listing it. Any number of runners may run at once.
 *
 * A digest covers the held mail logged in (watermark, now − SETTLE_MS]. amavisd writes a
 * message's log time when it starts on it and its rows when it is done, so the last few minutes
 * are left for the next run rather than risk a row appearing behind the watermark.
 *
 * Sending is claimed, then done, then recorded:
 *   1. under the user's row lock (FOR UPDATE SKIP LOCKED), the claim and the watermark it will
 *      move to are committed: other runners skip the user;
 *   2. the digest is composed and handed to the outbound path;
 *   3. sent: the watermark moves; refused: the claim is dropped and the next run sends it.
 * A runner that dies between 2 and 3 leaves a claim whose send may or may not have happened.
 * After CLAIM_LEASE_MS the next run takes it as sent and moves the watermark without sending.
 * That errs on the side of at most once: the messages are still on the Held mail page, the
 * next digest lists what comes after, while a second copy of a digest teaches people that the
 * site's mail repeats itself — the habit phishing mail relies on.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const SETTLE_MS = 5 * 60_000;
export const CLAIM_LEASE_MS = 15 * 60_000;
/** Held mail older than this is not looked for (a runner that stopped for longer skips it). */
const LOOKBACK_MS = 8 * DAY_MS;
/** A schedule is due a little early, so an hourly timer's jitter never pushes a digest by a whole period. */
const EARLY_MS = HOUR_MS;
const PERIOD_MS = { daily: DAY_MS, weekly: 7 * DAY_MS } as const;

export interface DigestRunOutcome {
  sent: string[];
  /** Not due, nothing new, schedule never, or another runner has it. */
  skipped: number;
  failed: Array<{ uid: string; error: string }>;
}

export interface DigestRunnerDeps {
  quarantine: QuarantineStore;
  digests: DigestStore;
  /** The account answering to an address (primary or alternate), or null. */
  accountOf: (address: string) => Promise<Account | null>;
  outbound: Outbound;
  mail: MailContext;
  maxItems: number;
  defaultLanguage: DigestPreference['language'];
  logger: Logger;
}

export class DigestRunner {
  constructor(private readonly deps: DigestRunnerDeps) {}

  /** One run at `now`. `only`: these users alone (tests, and an operator's retry for one user). */
  async run(now: Date, only?: ReadonlySet<string>): Promise<DigestRunOutcome> {
    const until = new Date(now.getTime() - SETTLE_MS);
    const addresses = await this.deps.quarantine.recipientsWithHeldMail(new Date(now.getTime() - LOOKBACK_MS), until);
    const accounts = new Map<string, Account>();
    for (const address of addresses) {
      const account = await this.deps.accountOf(address);
      if (account && (!only || only.has(account.uid))) accounts.set(account.uid, account);
    }
    const outcome: DigestRunOutcome = { sent: [], skipped: 0, failed: [] };
    for (const account of accounts.values()) {
      try {
        if (await this.digestFor(account, now, until)) outcome.sent.push(account.uid);
        else outcome.skipped += 1;
      } catch (error) {
        this.deps.logger.error({ uid: account.uid, err: (error as Error).message }, 'digest not sent');
        outcome.failed.push({ uid: account.uid, error: (error as Error).message });
      }
    }
    return outcome;
  }

  private async digestFor(account: Account, now: Date, until: Date): Promise<boolean> {
    const addresses = [account.mail, ...account.alternateAddresses].filter((a) => a !== '');
    let found: Awaited<ReturnType<QuarantineStore['heldBetween']>> = { rows: [], total: 0 };
    const claimed = await this.deps.digests.claim(account.uid, { schedule: 'daily', language: this.deps.defaultLanguage }, async (state): Promise<ClaimDecision> => {
      const settle = staleClaim(state, now);
      const current = settle ? { ...state, coveredUntil: settle.coveredUntil, lastSentAt: settle.lastSentAt, claim: null } : state;
      if (current.claim || !isDue(current, now)) return { send: false, settle };
      const period = PERIOD_MS[current.schedule as keyof typeof PERIOD_MS];
      const after = current.coveredUntil ?? new Date(until.getTime() - period);
      found = await this.deps.quarantine.heldBetween(addresses, after, until, this.deps.maxItems);
      return found.total === 0 ? { send: false, settle } : { send: true, at: now, until, settle };
    });
    if (!claimed) return false;
    try {
      const message = await composeMail(
        digestMail(
          {
            to: account.mail,
            language: claimed.state.language,
            rows: found.rows,
            total: found.total,
            now,
            // Stable for this claim: a relay that sees it twice can tell.
            messageId: `<digest.${claimed.token}@${this.deps.mail.from.address.split('@').pop() ?? 'localhost'}>`,
          },
          this.deps.mail,
        ),
      );
      await this.deps.outbound.send({ from: this.deps.mail.from.address, to: [account.mail] }, message);
    } catch (error) {
      await this.deps.digests.abandon(account.uid, claimed.token);
      throw error;
    }
    await this.deps.digests.finish(account.uid, claimed.token, now);
    this.deps.logger.info({ uid: account.uid, items: found.total }, 'digest sent');
    return true;
  }
}

/** A claim older than the lease: its runner stopped after sending, perhaps; take it as sent. */
function staleClaim(state: DigestState, now: Date): { coveredUntil: Date; lastSentAt: Date } | undefined {
  if (!state.claim || now.getTime() - state.claim.at.getTime() < CLAIM_LEASE_MS) return undefined;
  return { coveredUntil: state.claim.until, lastSentAt: state.claim.at };
}

export function isDue(state: Pick<DigestState, 'schedule' | 'lastSentAt'>, now: Date): boolean {
  if (state.schedule === 'never') return false;
  if (!state.lastSentAt) return true;
  return now.getTime() - state.lastSentAt.getTime() >= PERIOD_MS[state.schedule] - EARLY_MS;
}
