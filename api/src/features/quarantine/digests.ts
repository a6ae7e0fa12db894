import type { Account } from '../../backends/ldap/directory';
import type { ClaimDecision, DigestPreference, DigestState, DigestStore, Watermark } from '../../backends/quarantine/digest-store';
import { rowTag, type HeldRow, type QuarantineStore } from '../../backends/quarantine/store';
import type { Outbound } from '../../backends/outbound';
import type { Logger } from '../../logging';
import { composeMail } from '../../shared/mail-composer';
import { digestMail, type MailContext } from './mail-texts';

/**
 * Held-mail digests (`npm run digests`, on a timer): each user with mail held since her last
 * digest gets one, on her schedule, listing it. Any number of runners may run at once.
 *
 * A digest lists the held mail logged after the watermark (the newest message the last one
 * listed) up to now − SETTLE_MS. amavisd writes a message's log time when it starts on it and its
 * rows when it is done, so the last few minutes are left for the next run rather than risk a
 * row appearing behind the watermark.
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
const LOOKUPS_AT_ONCE = 8;

const addressesOf = (account: Account): string[] => [account.mail, ...account.alternateAddresses].filter((a) => a !== '');

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
  accountByUid: (uid: string) => Promise<Account | null>;
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
    const accounts = await this.recipients(addresses, only);
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

  /** The accounts behind the addresses (an alias and the primary address are one user). */
  private async recipients(addresses: string[], only?: ReadonlySet<string>): Promise<Map<string, Account>> {
    const accounts = new Map<string, Account>();
    if (only) {
      const held = new Set(addresses);
      for (const uid of only) {
        const account = await this.deps.accountByUid(uid);
        if (account && addressesOf(account).some((a) => held.has(a.toLowerCase()))) accounts.set(uid, account);
      }
      return accounts;
    }
    // A few directory lookups at a time: thousands of recipients on a busy day.
    const queue = [...addresses];
    const worker = async () => {
      for (let address = queue.shift(); address !== undefined; address = queue.shift()) {
        const account = await this.deps.accountOf(address);
        if (account) accounts.set(account.uid, account);
      }
    };
    await Promise.all(Array.from({ length: LOOKUPS_AT_ONCE }, worker));
    return accounts;
  }

  private async digestFor(account: Account, now: Date, until: Date): Promise<boolean> {
    const addresses = addressesOf(account);
    let found: Awaited<ReturnType<QuarantineStore['heldBetween']>> = { rows: [], total: 0 };
    const claimed = await this.deps.digests.claim(account.uid, { schedule: 'daily', language: this.deps.defaultLanguage }, async (state): Promise<ClaimDecision> => {
      const settle = staleClaim(state, now);
      const current: DigestState = settle ? { ...state, covered: settle.covered, lastSentAt: settle.lastSentAt, claim: null } : state;
      if (current.claim || !isDue(current, now)) return { send: false, settle };
      const window = current.covered
        ? { from: current.covered.until, until, except: current.covered.edge }
        : { from: new Date(until.getTime() - PERIOD_MS[current.schedule as keyof typeof PERIOD_MS]), until, except: [] };
      found = await this.deps.quarantine.heldBetween(addresses, window, this.deps.maxItems);
      if (found.total === 0) return { send: false, settle };
      return { send: true, at: now, covers: watermarkAfter(found.rows, current.covered), settle };
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
function staleClaim(state: DigestState, now: Date): { covered: Watermark; lastSentAt: Date } | undefined {
  if (!state.claim || now.getTime() - state.claim.at.getTime() < CLAIM_LEASE_MS) return undefined;
  return { covered: state.claim.covers, lastSentAt: state.claim.at };
}

/**
 * The watermark after a digest of `rows` (oldest first): the newest listed row's log time and
 * every listed row of that second. Rows past maxItems are counted in this digest and listed in
 * the next.
 */
function watermarkAfter(rows: HeldRow[], previous: Watermark | null): Watermark {
  const newest = rows[rows.length - 1];
  if (!newest) return previous ?? { until: new Date(0), edge: [] };
  const second = newest.receivedAt.getTime();
  const edge = rows.filter((row) => row.receivedAt.getTime() === second).map((row) => rowTag(row.key));
  const kept = previous && previous.until.getTime() === second ? [...previous.edge, ...edge] : edge;
  return { until: newest.receivedAt, edge: kept };
}

export function isDue(state: Pick<DigestState, 'schedule' | 'lastSentAt'>, now: Date): boolean {
  if (state.schedule === 'never') return false;
  if (!state.lastSentAt) return true;
  return now.getTime() - state.lastSentAt.getTime() >= PERIOD_MS[state.schedule] - EARLY_MS;
}
