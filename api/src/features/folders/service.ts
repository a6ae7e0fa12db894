import type { ImapSessions } from '../../backends/imap/sessions';
import { ApiError } from '../../http/errors';
import type { Logger } from '../../logging';
import { withImap } from './imap';
import { folderProblem, lookalikeFolder } from './names';

export interface FolderView {
  path: string;
  name: string;
  delimiter: string;
  specialUse: string | null;
  subscribed: boolean;
}

function invalid(field: string, code: string, message: string): ApiError {
  return new ApiError('validation', message, { fields: { [field]: code } });
}

function exists(path: string, code: 'exists' | 'lookalike', twin?: string): ApiError {
  const message = code === 'exists' ? `a folder "${path}" exists already` : `"${path}" would look the same as the existing folder "${twin}"`;
  return new ApiError('conflict', message, { fields: { name: code } });
}

/** The user's IMAP folders: list them, and create one whose name cannot be mistaken for another's. */
export class FolderService {
  constructor(
    private readonly imap: ImapSessions,
    private readonly logger: Logger,
  ) {}

  /** The folders mail can be filed into (no \Noselect or \NonExistent ones). */
  async list(uid: string, clientAddress: string): Promise<FolderView[]> {
    const list = await withImap(this.imap, uid, (client) => client.list(), { clientAddress });
    return list
      .filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent'))
      .map((f) => ({ path: f.path, name: f.name, delimiter: f.delimiter, specialUse: f.specialUse ?? null, subscribed: f.subscribed }));
  }

  /** Creates and subscribes `name` (under `parent` when given); both are composed (NFC) first. */
  async create(uid: string, request: { name: string; parent?: string | null }, clientAddress: string): Promise<FolderView> {
    const name = request.name.normalize('NFC');
    const parent = request.parent?.normalize('NFC');
    const created = await withImap(
      this.imap,
      uid,
      async (client) => {
        const list = await client.list();
        const delimiter = list[0]?.delimiter ?? '/';
        if (name.includes(delimiter)) throw invalid('name', 'delimiter', `a folder name may not contain "${delimiter}": choose a parent instead`);
        const problem = folderProblem(name, delimiter);
        if (problem) throw invalid('name', problem, `invalid folder name (${problem})`);
        if (parent && !list.some((f) => f.path === parent)) throw invalid('parent', 'unknown', 'no such parent folder');
        const path = parent ? `${parent}${delimiter}${name}` : name;
        if (folderProblem(path, delimiter) === 'too_long') throw invalid('name', 'too_long', 'the folder path is too long');
        const paths = list.map((f) => f.path);
        if (paths.some((p) => p.toLowerCase() === path.toLowerCase())) throw exists(path, 'exists');
        const twin = lookalikeFolder(path, paths, delimiter);
        if (twin !== null) throw exists(path, 'lookalike', twin);
        try {
          await client.mailboxCreate(path);
        } catch (error) {
          const e = error as { serverResponseCode?: string; responseText?: string; message: string };
          if (e.serverResponseCode === 'ALREADYEXISTS') throw exists(path, 'exists');
          throw invalid('name', 'refused', `the mail server refused the folder: ${e.responseText ?? e.message}`);
        }
        await client.mailboxSubscribe(path).catch(() => undefined);
        const made = (await client.list()).find((f) => f.path === path);
        return { path, name: made?.name ?? name, delimiter, specialUse: made?.specialUse ?? null, subscribed: true };
      },
      { clientAddress },
    );
    this.logger.info({ log: 'audit', uid, client: clientAddress, change: `created folder "${created.path}"` }, 'settings changed');
    return created;
  }
}
