import type { ActivityStore } from '../../auth/activity-store';
import type { Account } from '../../backends/ldap/directory';
import type { Outbound } from '../../backends/outbound';
import type { DigestPreference, DigestStore } from '../../backends/quarantine/digest-store';
import type { HeldRow } from '../../backends/quarantine/store';
import type { Logger } from '../../logging';
import { composeMail } from '../../shared/mail-composer';
import { decisionMail, type MailContext } from './mail-texts';

export interface DecisionNoticeDeps {
  /** The account answering to the address the message was held for. */
  accountOf: (address: string) => Promise<Account | null>;
  activity: ActivityStore;
  /** The user's language, where she chose one (the digest's choice). */
  digests: DigestStore | null;
  defaultLanguage: DigestPreference['language'];
  /** Null: the site sends no mail; the decision is still recorded. */
  outbound: Outbound | null;
  /** Read at each decision (the public origin may be settled after start-up). */
  mail: () => MailContext | null;
  logger: Logger;
}

/**
 * Tells the user what the helpdesk decided on her release request: a line in her activity's
 * helpdesk stream (the Security page shows who acted and why) and a mail in her language with
 * the helpdesk's reason. Best effort: the decision has been carried out; a failure here is
 * logged, never undone.
 */
export class DecisionNotices {
  constructor(private readonly deps: DecisionNoticeDeps) {}

  async decided(approver: Account, decision: { row: HeldRow; recipient: string; approved: boolean; reason: string }, now = new Date()): Promise<void> {
    try {
      const user = await this.deps.accountOf(decision.recipient);
      if (!user) {
        this.deps.logger.warn({ recipient: decision.recipient }, 'release decision: no account for the recipient; nobody told');
        return;
      }
      await this.deps.activity.append(user.uid, 'helpdesk', {
        at: now.getTime(),
        actor: approver.uid,
        actorName: approver.displayName,
        kind: 'action',
        what: decision.approved ? 'release-approved' : 'release-refused',
        reason: decision.reason,
      });
      const mail = this.deps.mail();
      if (!this.deps.outbound || !mail) return;
      const language = (await this.deps.digests?.preference(user.uid).catch(() => null))?.language ?? this.deps.defaultLanguage;
      const message = await composeMail(
        decisionMail({ to: user.mail, language, row: decision.row, approved: decision.approved, reason: decision.reason, now }, mail),
      );
      await this.deps.outbound.send({ from: mail.from.address, to: [user.mail] }, message);
    } catch (error) {
      this.deps.logger.error({ recipient: decision.recipient, err: (error as Error).message }, 'release decision: the user could not be told');
    }
  }
}
