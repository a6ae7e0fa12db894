import { randomBytes } from 'node:crypto';
import type { ActivityStore, AlertEntry, ExitsSeenEntry } from '../../auth/activity-store';
import type { ImapSessions } from '../../backends/imap/sessions';
import type { Account, Directory } from '../../backends/ldap/directory';
import { DirectoryError } from '../../backends/ldap/errors';
import type { AppConfig } from '../../config/load';
import type { Logger } from '../../logging';
import { forwardingNotice } from '../forwarding/notice';
import type { RawScriptState, ScriptStore } from '../script/store';
import { etagOf } from '../script/store';
import { ApiError } from '../../http/errors';
import { allAddresses, classifyAddresses } from '../../shared/user-addresses';
import { ldapExits, replyFroms, scriptExits, type MailExit } from './find';
import { rawExitProblem } from './limits';

/** Dovecot's default sieve_max_redirects, when the server does not say (MAXREDIRECTS). */
export const DEFAULT_MAX_REDIRECTS = 4;

/** What a user saw of her exits: their version is the script's text and the directory's values. */
export interface ExitsState {
  raw: RawScriptState;
  ldapValues: string[];
}

export interface ExitsView {
  etag: string;
  exits: MailExit[];
  /** The server's redirect limit, shared by every exit. */
  limit: number;
  /** Exits that count against it (active ones). */
  counted: number;
}

/** Which page a change came through ('outside': found changed on a read). */
export type ExitsVia = 'forwarding' | 'filters' | 'raw' | 'restore' | 'take-over' | 'vacation' | 'not-me' | 'outside';

export const exitsEtag = (state: Pick<RawScriptState, 'text' | 'foreignActive'>, ldapValues: readonly string[]): string =>
  etagOf('exits', state.text, state.foreignActive ?? '', ...[...ldapValues].sort());

const SNAPSHOT_REFRESH_MS = 24 * 3600 * 1000;

function publicExit(exit: MailExit): MailExit {
  const { id, source, address, keepsCopy, active, place } = exit;
  return { id, source, address, keepsCopy, active, ...(place !== undefined ? { place } : {}) };
}

/**
 * One list of every exit (features/exits/find.ts), the limit they share, and the watch that
 * notices a new one: whatever path added it, the user gets a notice in her INBOX and an alert
 * on the Security page. The app's own saves are compared with what was there before them
 * (exits-seen in the activity store); reads compare with it too, so an exit added elsewhere
 * (another client, the directory) is found on the next look.
 */
export class ExitsService {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: { scripts: ScriptStore; directory: Directory; imap: ImapSessions; activity: ActivityStore; logger: Logger },
    private readonly config: Pick<AppConfig, 'mail'>,
  ) {}

  async read(account: Account, clientAddress: string): Promise<ExitsState> {
    const [raw, ldapValues] = await Promise.all([this.deps.scripts.readRaw(account.uid, { clientAddress }), this.deps.directory.forwardingAddresses(account.dn)]);
    return { raw, ldapValues };
  }

  view(account: Account, state: ExitsState): ExitsView {
    const exits = [...scriptExits(state.raw.text).map(publicExit), ...ldapExits(state.ldapValues, account.mail)];
    return {
      etag: exitsEtag(state.raw, state.ldapValues),
      exits,
      limit: state.raw.capabilities.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
      counted: exits.filter((e) => e.active).length,
    };
  }

  /** The exits now, after noticing what is new since the last look. */
  async list(account: Account, clientAddress: string): Promise<ExitsView> {
    return this.serialized(account.uid, async () => {
      const state = await this.read(account, clientAddress);
      const before = await this.lastSeen(account.uid);
      // The first look has nothing to compare with: what is there now is where watching starts.
      if (before === null) await this.remember(account, state);
      else await this.compare(account, before, state, 'outside', clientAddress, true);
      return this.view(account, state);
    });
  }

  /**
   * Runs one of the app's saves and notices what it added. `notice: false` when the page
   * leaves its own INBOX notice (the forwarding page writes one on every change);
   * `changedNothing` says from the result that the save was refused.
   */
  async watch<T>(account: Account, via: ExitsVia, clientAddress: string, work: () => Promise<T>, options: { notice?: boolean; changedNothing?: (result: T) => boolean } = {}): Promise<T> {
    return this.serialized(account.uid, async () => {
      let before: ExitsSeenEntry;
      try {
        before = (await this.lastSeen(account.uid)) ?? this.seen(account, await this.read(account, clientAddress));
      } catch (error) {
        // Saves of what lives in Sieve go on through an LDAP outage (backends/ldap/last-known.ts);
        // the exits are compared again on the next read once the directory answers.
        if (!directoryDown(error)) throw error;
        this.deps.logger.warn({ uid: account.uid }, 'the directory is not answering: this save is not compared for new exits');
        return work();
      }
      this.deps.scripts.watchWrites(account.uid);
      let result: T;
      let written: RawScriptState | null;
      try {
        result = await work();
      } finally {
        written = this.deps.scripts.takeWritten(account.uid);
      }
      // A refused save changed nothing: no second read.
      if (options.changedNothing?.(result)) return result;
      try {
        // The script as the save left it, when it wrote one: no second read of it.
        const after = written ? { raw: written, ldapValues: await this.deps.directory.forwardingAddresses(account.dn) } : await this.read(account, clientAddress);
        await this.compare(account, before, after, via, clientAddress, options.notice ?? true);
      } catch (error) {
        // The save has happened; a lost alert is logged, the next read compares again.
        this.deps.logger.error({ uid: account.uid, err: (error as Error).message }, 'could not compare the exits after a save');
      }
      return result;
    });
  }

  /** Refuses a raw script that adds a bad exit or goes over the limit (limits.ts); the server judges the rest. */
  async checkRaw(account: Account, text: string, clientAddress: string): Promise<void> {
    const state = await this.read(account, clientAddress);
    const limit = state.raw.capabilities.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    const problem = rawExitProblem(state.raw.text, text, allAddresses(classifyAddresses(account)), ldapExits(state.ldapValues, account.mail).length, limit);
    if (!problem) return;
    const what = problem.code === 'too_many_redirects' ? `more than the server's ${limit} forwards and redirects in all` : `redirect to ${JSON.stringify(problem.address)}: ${problem.code.replaceAll('_', ' ')}`;
    throw new ApiError('validation', `${problem.line !== null ? `line ${problem.line}: ` : ''}${what}; nothing was saved`, {
      fields: { text: problem.code },
      ...(problem.line !== null ? { errors: [{ line: problem.line, message: what }] } : {}),
    });
  }

  /** Exits outside the app's script (the directory's forwarding): they share the server's limit. */
  async directoryExits(account: Account): Promise<number> {
    try {
      return ldapExits(await this.deps.directory.forwardingAddresses(account.dn), account.mail).length;
    } catch (error) {
      // While the directory is down its forwards cannot be counted; the server still limits its own redirects.
      if (directoryDown(error)) return 0;
      throw error;
    }
  }

  /** Active exits in the user's script (for a store outside it: they share the limit). */
  async scriptExitCount(account: Account, clientAddress: string): Promise<{ count: number; limit: number }> {
    const raw = await this.deps.scripts.readRaw(account.uid, { clientAddress });
    return { count: scriptExits(raw.text).filter((e) => e.active).length, limit: raw.capabilities.maxRedirects ?? DEFAULT_MAX_REDIRECTS };
  }

  /** Records what is there now without alerting (after "This wasn't me" removed an exit). */
  async remember(account: Account, state: ExitsState): Promise<void> {
    await this.deps.activity.append(account.uid, 'exits-seen', this.seen(account, state));
  }

  private seen(account: Account, state: ExitsState): ExitsSeenEntry {
    const view = this.view(account, state);
    return { at: Date.now(), exits: view.exits.filter((e) => e.active).map((e) => e.id), froms: [...new Set(replyFroms(state.raw.text))] };
  }

  private async lastSeen(uid: string): Promise<ExitsSeenEntry | null> {
    return (await this.deps.activity.list(uid, 'exits-seen', 1))[0] ?? null;
  }

  private async compare(account: Account, before: ExitsSeenEntry, state: ExitsState, via: ExitsVia, clientAddress: string, notice: boolean): Promise<void> {
    const now = this.seen(account, state);
    const added = this.view(account, state).exits.filter((e) => e.active && !before.exits.includes(e.id));
    const own = account.mail.toLowerCase();
    const froms = now.froms.filter((f) => !before.froms.includes(f) && f.trim().toLowerCase() !== own);
    const alerts: AlertEntry[] = [
      ...added.map((e) => ({
        at: now.at,
        id: randomBytes(12).toString('base64url'),
        what: e.source === 'forwarding' || e.source === 'ldap' ? 'forward-added' : 'redirect-added',
        details: { exitId: e.id, source: e.source, address: e.address, keepsCopy: e.keepsCopy, via, ...(e.place !== undefined ? { place: e.place } : {}), clientAddress },
      })),
      ...froms.map((from) => ({ at: now.at, id: randomBytes(12).toString('base64url'), what: 'reply-from-changed', details: { from, via, clientAddress } })),
    ];
    for (const alert of alerts) await this.deps.activity.append(account.uid, 'alerts', alert);
    if (via === 'outside') {
      for (const e of added) {
        await this.deps.activity.append(account.uid, 'changes', { at: now.at, area: 'forwarding', source: 'outside', what: 'exit-added', details: { source: e.source, address: e.address } });
      }
    }
    const changed = now.exits.join('\0') !== before.exits.join('\0') || now.froms.join('\0') !== before.froms.join('\0');
    if (changed || now.at - before.at > SNAPSHOT_REFRESH_MS) await this.deps.activity.append(account.uid, 'exits-seen', now);
    if (notice && added.length > 0) await this.leaveNotice(account, added, clientAddress);
  }

  /** Best effort, like the forwarding page's: the exit exists; a lost note is logged. */
  private async leaveNotice(account: Account, added: MailExit[], clientAddress: string): Promise<void> {
    try {
      const raw = await forwardingNotice({
        to: account.mail,
        domain: this.config.mail.domain,
        addresses: added.map((e) => e.address),
        keepCopy: added.every((e) => e.keepsCopy),
        clientAddress,
        at: new Date(),
      });
      await this.deps.imap.use(account.uid, (client) => client.append('INBOX', raw), { clientAddress });
    } catch (error) {
      this.deps.logger.error({ uid: account.uid, err: (error as Error).message }, 'could not leave the new-exit notice in INBOX');
    }
  }

  /** One look or save at a time per user, so a save and a read never alert the same exit twice. */
  private serialized<T>(uid: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(uid) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const tail = next.catch(() => undefined);
    this.queues.set(uid, tail);
    void tail.then(() => {
      if (this.queues.get(uid) === tail) this.queues.delete(uid);
    });
    return next;
  }
}

const directoryDown = (error: unknown): boolean => error instanceof DirectoryError && error.code === 'UNAVAILABLE';
