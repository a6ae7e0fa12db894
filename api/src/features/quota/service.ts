import type { ImapFlow, ListResponse } from 'imapflow';
import { ImapError } from '../../backends/imap/errors';
import type { ImapSessions } from '../../backends/imap/sessions';
import { ApiError } from '../../http/errors';
import type { Logger } from '../../logging';
import { byLargest, percentUsed, summarize, uidSet } from './levels';
import type { EmptyPreview, EmptyResult, EmptyableFolder, FolderUsage, QuotaReport, QuotaTotals } from './types';

function mailTrouble(error: unknown): never {
  if (error instanceof ApiError) throw error;
  if (error instanceof ImapError) throw new ApiError('mail_unavailable', 'the mail servers are not answering; try again in a few minutes');
  throw error;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

function selectable(box: ListResponse): boolean {
  return !box.flags.has('\\Noselect') && !box.flags.has('\\NonExistent');
}

/** Quota and folder sizes through a director (IMAP GETQUOTAROOT, LIST-STATUS), and emptying
 *  SPAM or Trash exactly as far as the user confirmed. */
export class QuotaService {
  private readonly audit: Logger;

  constructor(
    private readonly imap: ImapSessions,
    logger: Logger,
  ) {
    this.audit = logger.child({ log: 'audit' });
  }

  /**
   * Runs `work` on the user's pooled IMAP connection. ImapSessions.use turns every error into an
   * ImapError, so our own answers (409, 404) travel out of the callback as values.
   */
  private async run<T>(uid: string, work: (client: ImapFlow) => Promise<T>, clientAddress: string): Promise<T> {
    const outcome = await this.imap
      .use(
        uid,
        async (client): Promise<Outcome<T>> => {
          try {
            return { ok: true, value: await work(client) };
          } catch (error) {
            if (error instanceof ApiError) return { ok: false, error };
            throw error;
          }
        },
        { clientAddress },
      )
      .catch(mailTrouble);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async report(uid: string, clientAddress: string): Promise<QuotaReport> {
    return this.run(
      uid,
      async (client) => {
        const totals = await this.totals(client);
        const { folders, folderSizes } = await this.folders(client);
        return { ...totals, folders, folderSizes };
      },
      clientAddress,
    );
  }

  /** Usage and limits only (GETQUOTAROOT), without the per-folder sizes: for the overview. */
  async usage(uid: string, clientAddress: string): Promise<QuotaTotals> {
    return this.run(uid, (client) => this.totals(client), clientAddress);
  }

  private async totals(client: ImapFlow): Promise<QuotaTotals> {
    const quota = await client.getQuota('INBOX');
    const storage = quota && quota.storage?.limit !== undefined ? { used: quota.storage.usage ?? 0, limit: quota.storage.limit } : null;
    const message = quota && quota.message?.limit !== undefined ? { used: quota.message.usage ?? 0, limit: quota.message.limit } : null;
    return {
      storage: storage && { usedBytes: storage.used, limitBytes: storage.limit, percent: percentUsed(storage.used, storage.limit) },
      messages: message && { used: message.used, limit: message.limit, percent: percentUsed(message.used, message.limit) },
      ...summarize([storage, message]),
    };
  }

  private async folders(client: ImapFlow): Promise<{ folders: FolderUsage[]; folderSizes: QuotaReport['folderSizes'] }> {
    const hasSize = client.capabilities.has('STATUS=SIZE') || client.capabilities.has('IMAP4rev2');
    const boxes = (await client.list({ statusQuery: { messages: true, ...(hasSize ? { size: true } : {}) } })).filter(selectable);
    const folders: FolderUsage[] = [];
    for (const box of boxes) {
      const messages = box.status?.messages ?? 0;
      let bytes = box.status?.size;
      if (bytes === undefined) bytes = messages === 0 ? 0 : await this.sumSizes(client, box.path);
      folders.push({ path: box.path, name: box.name, specialUse: box.specialUse ?? null, messages, bytes });
    }
    return { folders: byLargest(folders), folderSizes: hasSize ? 'status-size' : 'fetch' };
  }

  /** Without STATUS=SIZE: the sum of RFC822.SIZE, read-only (EXAMINE). */
  private async sumSizes(client: ImapFlow, path: string): Promise<number> {
    await client.mailboxOpen(path, { readOnly: true });
    let total = 0;
    for await (const message of client.fetch('1:*', { size: true })) total += message.size ?? 0;
    return total;
  }

  private async resolve(client: ImapFlow, folder: EmptyableFolder): Promise<string> {
    const boxes = (await client.list()).filter(selectable);
    const box =
      folder === 'Trash'
        ? (boxes.find((b) => b.specialUse === '\\Trash' && b.specialUseSource !== 'name') ?? boxes.find((b) => b.specialUse === '\\Trash'))
        : boxes.find((b) => b.path === folder);
    if (!box) throw new ApiError('not_found', `you have no ${folder} folder`, { fields: { folder: 'not_found' } });
    return box.path;
  }

  async preview(uid: string, folder: EmptyableFolder, clientAddress: string): Promise<EmptyPreview> {
    return this.run(
      uid,
      async (client) => {
        const path = await this.resolve(client, folder);
        // One STATUS: count, size, UIDNEXT and UIDVALIDITY of the same instant.
        const status = await client.status(path, { messages: true, size: true, uidNext: true, uidValidity: true });
        if (!status || status.uidNext === undefined || status.uidValidity === undefined) throw new ImapError('COMMAND_FAILED', 'STATUS failed');
        const messages = status.messages ?? 0;
        const bytes = status.size ?? (messages === 0 ? 0 : await this.sumSizes(client, path));
        return { folder, path, messages, bytes, uidValidity: status.uidValidity.toString(), uidNext: status.uidNext };
      },
      clientAddress,
    );
  }

  /**
   * Deletes the messages of SPAM or Trash that the preview showed: UIDs below the preview's
   * uidNext, in a folder with the preview's uidValidity. Never another folder; never a message
   * that arrived after the preview; and never more messages than the preview counted.
   */
  async empty(
    uid: string,
    request: { folder: EmptyableFolder; uidValidity: string; uidNext: number; expectedMessages: number },
    clientAddress: string,
  ): Promise<EmptyResult> {
    const changed = (why: string): never => {
      throw new ApiError('conflict', `the folder changed since you looked (${why}); look again`, { fields: { folder: 'changed' } });
    };
    return this.run(
      uid,
      async (client) => {
        if (!client.capabilities.has('UIDPLUS')) {
          // Without UID EXPUNGE, EXPUNGE would also remove messages flagged \Deleted elsewhere.
          throw new ApiError('mail_unavailable', 'the mail server cannot delete single messages (no UIDPLUS)');
        }
        const path = await this.resolve(client, request.folder);
        const box = await client.mailboxOpen(path);
        if (box.uidValidity.toString() !== request.uidValidity) changed('uidvalidity');
        if (request.uidNext > box.uidNext) changed('uidnext ahead of the folder');
        const shown = request.uidNext > 1 ? ((await client.search({ uid: `1:${request.uidNext - 1}` }, { uid: true })) || []) : [];
        const targets = shown.filter((u) => u < request.uidNext);
        if (targets.length > request.expectedMessages) changed('more messages than shown');
        if (targets.length > 0 && !(await client.messageDelete(uidSet(targets), { uid: true }))) {
          throw new ImapError('COMMAND_FAILED', 'delete failed');
        }
        // `N:*` matches the last message even when its UID is below N: filter.
        const newer = ((await client.search({ uid: `${request.uidNext}:*` }, { uid: true })) || []).filter((u) => u >= request.uidNext);
        const result: EmptyResult = {
          folder: request.folder,
          deleted: targets.length,
          expected: request.expectedMessages,
          alreadyGone: request.expectedMessages - targets.length,
          arrivedSince: newer.length,
          remaining: client.mailbox ? client.mailbox.exists : newer.length,
        };
        this.audit.info({ event: 'folder_emptied', uid, client: clientAddress, path, deleted: result.deleted, kept: result.arrivedSince });
        return result;
      },
      clientAddress,
    );
  }
}
