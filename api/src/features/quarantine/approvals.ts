import type { Account, Directory } from '../../backends/ldap/directory';
import { isQuarantineDown, releaseMessage, type AmpdpEndpoint } from '../../backends/quarantine';
import type { HeldReason, QuarantineStore } from '../../backends/quarantine/store';
import type { AppConfig } from '../../config/load';
import { ApiError } from '../../http/errors';
import type { Logger } from '../../logging';
import type { DecisionNotices } from './decision-notice';
import { heldId, parseHeldId } from './ids';
import { quarantineUnavailable } from './unavailable';

type QuarantineConfig = NonNullable<AppConfig['quarantine']>;

export interface ReleaseRequestItem {
  id: string;
  /** The user whose mail it is (the recipient address amavisd logged). */
  recipient: string;
  receivedAt: string;
  sender: string;
  subject: string;
  reason: HeldReason;
  detail: string | null;
  size: number;
}

/**
 * The helpdesk's side of held mail: release requests for what users may not release
 * themselves (viruses, banned files by default). Only members of the configured LDAP group
 * see or decide them, never for their own mail; every decision is in the audit log.
 */
export class ReleaseApprovals {
  private readonly endpoint: AmpdpEndpoint;

  constructor(
    private readonly store: QuarantineStore,
    private readonly directory: Directory,
    private readonly config: QuarantineConfig,
    private readonly logger: Logger,
    private readonly notices: DecisionNotices | null = null,
  ) {
    this.endpoint = { host: config.releaseHost, port: config.releasePort, timeoutMs: config.timeoutMs };
  }

  /** Throws `forbidden` unless the account is in the approvers' group. */
  async assertApprover(account: Account): Promise<void> {
    const group = this.config.approverGroup;
    const groups = group === null ? [] : await this.directory.groupsOfMember(account.dn);
    if (!groups.some((g) => g.cn === group)) throw new ApiError('forbidden', 'only the helpdesk decides release requests');
  }

  async list(approver: Account, page: number, pageSize: number): Promise<{ items: ReleaseRequestItem[]; total: number }> {
    await this.assertApprover(approver);
    const { rows, total } = await this.store.listRequests(pageSize, (page - 1) * pageSize).catch(quarantineUnavailable);
    return {
      total,
      items: rows.map((row) => ({
        id: heldId(row.key),
        recipient: row.recipient,
        receivedAt: row.receivedAt.toISOString(),
        sender: row.sender,
        subject: row.subject,
        reason: row.reason,
        detail: row.detail,
        size: row.size,
      })),
    };
  }

  /** Approve: amavisd delivers it to the user's INBOX. Refuse: it stays held, as before the request. */
  async decide(approver: Account, id: string, decision: 'approve' | 'refuse', reason: string, clientAddress: string): Promise<void> {
    await this.assertApprover(approver);
    const key = parseHeldId(id);
    if (!key) throw new ApiError('not_found', 'no such release request');
    const own = new Set([approver.mail, ...approver.alternateAddresses].map((a) => a.toLowerCase()));
    const claimed = await this.store.decideRequest(key, decision === 'approve' ? 'released' : 'held').catch(quarantineUnavailable);
    if (!claimed) throw new ApiError('not_found', 'no such release request (decided already?)');
    if (own.has(claimed.recipient.toLowerCase())) {
      await this.putBack(key, decision);
      throw new ApiError('forbidden', 'a helpdesk member does not decide requests for their own mail');
    }
    if (decision === 'approve') {
      try {
        await releaseMessage(this.endpoint, { mailId: key.mailId, secretId: claimed.secretId, requestedBy: approver.mail, recipients: [claimed.recipient] });
      } catch (error) {
        await this.putBack(key, decision);
        if (isQuarantineDown(error)) quarantineUnavailable(error);
        throw new ApiError('release_failed', 'the content filter could not deliver the message; the request is still pending');
      }
    }
    this.logger.info(
      { log: 'audit', uid: approver.uid, client: clientAddress, change: `release request ${decision === 'approve' ? 'approved' : 'refused'} for ${claimed.recipient}: ${claimed.row.reason}`, reason },
      'held mail',
    );
    await this.notices?.decided(approver, { row: claimed.row, recipient: claimed.recipient, approved: decision === 'approve', reason });
  }

  /** The request goes back to pending after a decision that could not be carried out. */
  private async putBack(key: Parameters<QuarantineStore['decideRequest']>[0], decision: 'approve' | 'refuse'): Promise<void> {
    await this.store.restoreRequest(key, decision === 'approve' ? 'released' : 'held').catch((error: unknown) => {
      this.logger.error({ mailId: key.mailId, err: (error as Error).message }, 'could not put a release request back');
    });
  }
}
