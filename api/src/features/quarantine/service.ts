import type { Account } from '../../backends/ldap/directory';
import { QuarantineError, isQuarantineDown, releaseMessage, type AmpdpEndpoint } from '../../backends/quarantine';
import type { HeldReason, HeldRow, QuarantineStore, ReleaseStatus } from '../../backends/quarantine/store';
import type { AppConfig } from '../../config/load';
import { ApiError } from '../../http/errors';
import type { Logger } from '../../logging';
import { heldId, parseHeldId } from './ids';
import { previewMessage, type MessagePreview } from './preview';
import { quarantineUnavailable } from './unavailable';

export type HeldItem = Omit<HeldRow, 'key' | 'receivedAt' | 'recipient' | 'status'> & {
  id: string;
  receivedAt: string;
  /** When housekeeping deletes it. */
  deleteAfter: string;
  status: 'held' | 'requested';
  /** Whether the user releases it herself or asks the helpdesk to. */
  release: 'direct' | 'request';
};

export interface HeldList {
  items: HeldItem[];
  total: number;
  retentionDays: number;
}

export interface BulkOutcome {
  done: string[];
  requested: string[];
  failed: Array<{ id: string; code: string }>;
}

export type ReleaseOutcome = { status: 'released'; allowSender: 'added' | 'already' | 'failed' | 'not_asked' } | { status: 'requested' };

/** Adds a sender to the user's allow list (the spam page's, which writes Sieve and LDAP). */
export type AllowSender = (account: Account, sender: string, clientAddress: string) => Promise<'added' | 'already'>;

type QuarantineConfig = NonNullable<AppConfig['quarantine']>;

const DAY_MS = 86_400_000;

/** Mail held because the user blocked its sender is spam by amavisd's verdict, and hers to release. */
const categoryOf = (reason: HeldReason): QuarantineConfig['userMayRelease'][number] => (reason === 'blocked' ? 'spam' : reason);

/** All of the user's addresses: amavisd logs the recipient the relay saw, which may be an alias. */
const addressesOf = (account: Account): string[] => [account.mail, ...account.alternateAddresses].filter((a) => a !== '');


/**
 * Held mail: what the content filter kept back for the user, and the user's actions on it.
 * amavisd keeps no record of releases and delivers a second copy when asked twice, so every
 * action first moves the recipient row's status atomically (only one of two racing requests
 * can), then acts, and puts the status back if the action failed.
 */
export class QuarantineService {
  private readonly unavailable = (error: unknown): never => {
    if (error instanceof QuarantineError) this.logger.warn({ code: error.code, err: error.message }, 'quarantine not answering');
    return quarantineUnavailable(error);
  };

  private readonly endpoint: AmpdpEndpoint;

  constructor(
    private readonly store: QuarantineStore,
    private readonly config: QuarantineConfig,
    private readonly allowSender: AllowSender,
    private readonly logger: Logger,
  ) {
    this.endpoint = { host: config.releaseHost, port: config.releasePort, timeoutMs: config.timeoutMs };
  }

  private mayRelease(row: HeldRow): boolean {
    return this.config.userMayRelease.includes(categoryOf(row.reason));
  }

  private item(row: HeldRow): HeldItem {
    const { key, receivedAt, recipient: _recipient, status, ...rest } = row;
    return {
      ...rest,
      id: heldId(key),
      receivedAt: receivedAt.toISOString(),
      deleteAfter: new Date(receivedAt.getTime() + this.config.retentionDays * DAY_MS).toISOString(),
      status: status === 'requested' ? 'requested' : 'held',
      release: this.mayRelease(row) ? 'direct' : 'request',
    };
  }

  async list(account: Account, query: { search?: string; reason?: HeldReason; page: number; pageSize: number }): Promise<HeldList> {
    const { rows, total } = await this.store
      .list(addressesOf(account), { search: query.search, reason: query.reason, limit: query.pageSize, offset: (query.page - 1) * query.pageSize })
      .catch(this.unavailable);
    return { items: rows.map((row) => this.item(row)), total, retentionDays: this.config.retentionDays };
  }

  /** For the overview: how much is held, and how much of it arrived in the last seven days. */
  async counts(account: Account, now = new Date()): Promise<{ total: number; lastWeek: number }> {
    const { total, since } = await this.store.countHeld(addressesOf(account), new Date(now.getTime() - 7 * DAY_MS)).catch(this.unavailable);
    return { total, lastWeek: since };
  }

  private async ownRow(account: Account, id: string): Promise<HeldRow> {
    const key = parseHeldId(id);
    const row = key && (await this.store.get(addressesOf(account), key).catch(this.unavailable));
    if (!row || row.status === 'deleted') throw new ApiError('not_found', 'no such held message');
    return row;
  }

  async preview(account: Account, id: string): Promise<{ item: HeldItem; preview: MessagePreview }> {
    const row = await this.ownRow(account, id);
    const { bytes, truncated } = await this.store.messageText(addressesOf(account), row.key, this.config.previewMaxBytes).catch(this.unavailable);
    return { item: this.item(row), preview: await previewMessage(bytes, truncated) };
  }

  async release(account: Account, id: string, options: { allowSender: boolean }, clientAddress: string): Promise<ReleaseOutcome> {
    const row = await this.ownRow(account, id);
    if (row.status === 'released') throw new ApiError('already_released', 'this message was already released; a second copy is never sent');
    const addresses = addressesOf(account);
    if (!this.mayRelease(row)) {
      const requested = await this.store.transition(addresses, row.key, ['held'], 'requested').catch(this.unavailable);
      if (!requested) throw new ApiError('already_requested', 'a release of this message was already requested');
      this.logger.info({ log: 'audit', uid: account.uid, client: clientAddress, change: `release requested ${row.reason}` }, 'held mail');
      return { status: 'requested' };
    }
    const claimed = await this.store.transition(addresses, row.key, ['held', 'requested'], 'released').catch(this.unavailable);
    if (!claimed) throw new ApiError('already_released', 'this message was already released; a second copy is never sent');
    try {
      await releaseMessage(this.endpoint, {
        mailId: row.key.mailId,
        secretId: claimed.secretId,
        requestedBy: account.mail,
        recipients: [claimed.recipient],
      });
    } catch (error) {
      await this.restore(addresses, row, 'released');
      if (error instanceof QuarantineError && !isQuarantineDown(error)) {
        this.logger.warn({ uid: account.uid, reason: error.message }, 'amavisd refused a release');
        throw new ApiError('release_failed', 'the content filter could not deliver the message; it is still held, try again later');
      }
      return this.unavailable(error);
    }
    this.logger.info({ log: 'audit', uid: account.uid, client: clientAddress, change: `released ${row.reason}` }, 'held mail');
    if (!options.allowSender || row.sender === '') return { status: 'released', allowSender: 'not_asked' };
    try {
      return { status: 'released', allowSender: await this.allowSender(account, row.sender, clientAddress) };
    } catch (error) {
      this.logger.warn({ uid: account.uid, err: (error as Error).message }, 'released, but the sender could not be allowed');
      return { status: 'released', allowSender: 'failed' };
    }
  }

  async delete(account: Account, id: string, clientAddress: string): Promise<void> {
    const row = await this.ownRow(account, id);
    const done = await this.store.transition(addressesOf(account), row.key, ['held', 'requested'], 'deleted').catch(this.unavailable);
    if (!done) throw new ApiError('already_released', 'this message was already released');
    this.logger.info({ log: 'audit', uid: account.uid, client: clientAddress, change: `deleted held ${row.reason}` }, 'held mail');
  }

  /**
   * The same action on several messages, one after the other (a release talks to amavisd once
   * per message). Each id's outcome is reported; one failure does not stop the others.
   */
  async bulk(account: Account, action: 'release' | 'delete', ids: readonly string[], clientAddress: string): Promise<BulkOutcome> {
    const outcome: BulkOutcome = { done: [], requested: [], failed: [] };
    for (const id of new Set(ids)) {
      try {
        if (action === 'delete') {
          await this.delete(account, id, clientAddress);
          outcome.done.push(id);
        } else {
          const result = await this.release(account, id, { allowSender: false }, clientAddress);
          (result.status === 'requested' ? outcome.requested : outcome.done).push(id);
        }
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        outcome.failed.push({ id, code: error.code });
      }
    }
    return outcome;
  }

  /** Puts a row back to what it was after its action failed. */
  private async restore(addresses: string[], row: HeldRow, from: ReleaseStatus): Promise<void> {
    await this.store.transition(addresses, row.key, [from], row.status).catch((error: unknown) => {
      this.logger.error({ mailId: row.key.mailId, err: (error as Error).message }, 'could not put a held message back after a failed release');
    });
  }
}
