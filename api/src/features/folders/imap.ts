import type { ImapFlow } from 'imapflow';
import { toImapError } from '../../backends/imap/errors';
import type { ImapSessions } from '../../backends/imap/sessions';
import type { OpenContext } from '../../backends/pool';
import { ApiError } from '../../http/errors';

/**
 * Runs `work` on the user's pooled IMAP connection. An ApiError thrown by `work` (a refusal
 * decided by the feature) comes out as it is; a director that does not answer becomes
 * mail_unavailable (503).
 */
export async function withImap<T>(imap: ImapSessions, uid: string, work: (client: ImapFlow) => Promise<T>, context: OpenContext = {}): Promise<T> {
  let refusal: ApiError | undefined;
  try {
    return await imap.use(
      uid,
      async (client) => {
        try {
          return await work(client);
        } catch (error) {
          if (error instanceof ApiError) refusal = error;
          throw error;
        }
      },
      context,
    );
  } catch (error) {
    if (refusal) throw refusal;
    const mapped = toImapError(error);
    if (mapped.code === 'UNAVAILABLE') throw new ApiError('mail_unavailable', 'the mail servers are not answering; nothing was changed, try again in a few minutes');
    throw mapped;
  }
}

/** The paths of the user's folders and their hierarchy delimiter (what a rule's target is compared with). */
export async function folderPaths(imap: ImapSessions, uid: string, context: OpenContext = {}): Promise<{ paths: string[]; delimiter: string }> {
  const list = await withImap(imap, uid, (client) => client.list(), context);
  return { paths: list.map((f) => f.path), delimiter: list[0]?.delimiter ?? '/' };
}
