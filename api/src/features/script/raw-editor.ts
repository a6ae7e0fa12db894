import type { Account, Directory } from '../../backends/ldap/directory';
import type { AppConfig } from '../../config/load';
import { ApiError } from '../../http/errors';
import { parseDocument, readAppSettings, SieveSyntaxError, type AssembleOptions } from '../../sieve';
import { allAddresses, classifyAddresses } from '../../shared/user-addresses';
import { scriptReplyFromProblem } from '../filters/reply-from';
import { hiddenCharacterTargets } from './raw-targets';
import { etagOf, type CheckResult, type RawScriptState, type ScriptEntry, type ScriptStore } from './store';

export interface RawScriptView {
  etag: string;
  name: string;
  text: string;
  exists: boolean;
  foreignScript: { name: string } | null;
}

export interface RawScriptSaved extends RawScriptView {
  /** false: the server took it but the app cannot show it as filters/settings. */
  readable: boolean;
  sections: { present: string[]; handEdited: string[]; removed: string[] };
}

export const rawEtag = (state: Pick<RawScriptState, 'text' | 'foreignActive'>): string => etagOf('script', state.text, state.foreignActive ?? '');

const rawView = (s: RawScriptState): RawScriptView => ({
  etag: rawEtag(s),
  name: s.name,
  text: s.text,
  exists: s.exists,
  foreignScript: s.foreignActive === null ? null : { name: s.foreignActive },
});

/** A few CHECKSCRIPTs a second while typing are fine; a flood is not. */
class CheckLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly perMinute: number) {}
  take(uid: string): number | null {
    const now = Date.now();
    const w = this.windows.get(uid);
    if (!w || now - w.start >= 60_000) {
      if (this.windows.size > 10_000) this.windows.clear();
      this.windows.set(uid, { start: now, count: 1 });
      return null;
    }
    w.count += 1;
    return w.count > this.perMinute ? Math.ceil((w.start + 60_000 - now) / 1000) : null;
  }
}

function sectionsOf(text: string, options: AssembleOptions) {
  try {
    const doc = parseDocument(text);
    return { readable: true, present: doc.items.flatMap((i) => (i.kind === 'section' ? [i.name as string] : [])), handEdited: readAppSettings(doc, options).handEdited as string[] };
  } catch (error) {
    if (error instanceof SieveSyntaxError) return { readable: false, present: [], handEdited: [] };
    throw error;
  }
}

/**
 * The advanced side of the user's Sieve: the app's script as text (read, replace, check),
 * the other scripts on the server (activate, rename, delete), the kept history, and taking
 * over another active script. Every write still goes through ScriptStore.
 */
export class RawScriptEditor {
  private readonly limiter = new CheckLimiter(60);

  constructor(
    private readonly store: ScriptStore,
    private readonly directory: Pick<Directory, 'recentAccount'>,
    private readonly config: Pick<AppConfig['sieve'], 'scriptName' | 'spamtestMaxValue'>,
    /** Holds a redirect the text adds to the forwarding page's rules, and all exits to the server's limit (features/exits). */
    private readonly checkExits: (account: Account, text: string, clientAddress: string) => Promise<void> = async () => undefined,
  ) {}

  async takeOver(uid: string, clientAddress: string): Promise<{ active: string; previousKept: boolean }> {
    const { previousKept } = await this.store.takeOver(uid, { clientAddress });
    return { active: this.config.scriptName, previousKept };
  }

  async read(uid: string, clientAddress: string): Promise<RawScriptView> {
    return rawView(await this.store.readRaw(uid, { clientAddress }));
  }

  /** Replaces the app's script with `text` (If-Match: the raw ETag). */
  async save(uid: string, text: string, ifMatch: string | undefined, clientAddress: string): Promise<RawScriptSaved> {
    const hidden = hiddenCharacterTargets(text);
    if (hidden.length > 0) throw new ApiError('script_rejected', `a folder name holds invisible characters: ${hidden.map((p) => p.message).join('; ')}; nothing was saved`, { errors: hidden });
    await this.refuseForeignReplyFrom(uid, text);
    const account = await this.directory.recentAccount(uid);
    if (account) await this.checkExits(account, text, clientAddress);
    let before = '';
    const after = await this.store.replaceText(
      uid,
      {
        ifMatch,
        etagOf: (s) => {
          before = s.text;
          return rawEtag(s);
        },
        describe: rawView,
        text,
        audit: `raw script edited (${Buffer.byteLength(text, 'utf8')} bytes)`,
      },
      { clientAddress },
    );
    return this.savedView(before, after);
  }

  /** CHECKSCRIPT only, rate-limited per user; folder names with invisible characters fail too. */
  async check(uid: string, text: string, clientAddress: string): Promise<CheckResult> {
    const wait = this.limiter.take(uid);
    if (wait !== null) throw new ApiError('rate_limited', 'too many checks; try again shortly', { retryAfter: wait });
    const verdict = await this.store.check(uid, text, { clientAddress });
    const hidden = hiddenCharacterTargets(text);
    return hidden.length > 0 ? { ...verdict, ok: false, errors: [...hidden, ...verdict.errors] } : verdict;
  }

  list(uid: string, clientAddress: string): Promise<ScriptEntry[]> {
    return this.store.listScripts(uid, { clientAddress });
  }

  async activate(uid: string, name: string, clientAddress: string): Promise<ScriptEntry[]> {
    await this.store.activate(uid, name, { clientAddress });
    return this.list(uid, clientAddress);
  }

  async rename(uid: string, name: string, newName: string, clientAddress: string): Promise<ScriptEntry[]> {
    await this.store.rename(uid, name, newName, { clientAddress });
    return this.list(uid, clientAddress);
  }

  async remove(uid: string, name: string, clientAddress: string): Promise<ScriptEntry[]> {
    await this.store.remove(uid, name, { clientAddress });
    return this.list(uid, clientAddress);
  }

  async history(uid: string, clientAddress: string): Promise<Array<{ id: string; savedAt: string; summary: string; size: number }>> {
    const entries = await this.store.history(uid, { clientAddress });
    return entries.map(({ id, savedAt, summary, size }) => ({ id, savedAt, summary, size }));
  }

  async historyEntry(uid: string, id: string, clientAddress: string): Promise<{ id: string; savedAt: string; summary: string; text: string }> {
    const entry = (await this.store.history(uid, { clientAddress })).find((e) => e.id === id);
    if (!entry) throw new ApiError('not_found', `no kept version "${id}"`);
    return { id: entry.id, savedAt: entry.savedAt, summary: entry.summary, text: entry.text };
  }

  /** Puts a kept version back, byte for byte (If-Match: the raw ETag). */
  async restore(uid: string, id: string, ifMatch: string | undefined, clientAddress: string): Promise<RawScriptSaved> {
    let before = '';
    const { state } = await this.store.restore(
      uid,
      id,
      {
        ifMatch,
        etagOf: (s) => {
          before = s.text;
          return rawEtag(s);
        },
        describe: rawView,
      },
      { clientAddress },
    );
    return this.savedView(before, state);
  }

  private savedView(before: string, after: RawScriptState): RawScriptSaved {
    const options: AssembleOptions = {
      capabilities: after.capabilities.sieve,
      spamtestMaxValue: this.config.spamtestMaxValue,
      ...(after.capabilities.maxRedirects !== undefined ? { maxRedirects: after.capabilities.maxRedirects } : {}),
    };
    const was = sectionsOf(before, options);
    const now = sectionsOf(after.text, options);
    return {
      ...rawView(after),
      readable: now.readable,
      sections: { present: now.present, handEdited: now.handEdited, removed: was.present.filter((n) => !now.present.includes(n)) },
    };
  }

  /** A vacation `:from` anywhere in the text must be the user's own (features/filters/reply-from.ts). */
  private async refuseForeignReplyFrom(uid: string, text: string): Promise<void> {
    if (!/vacation/i.test(text)) return;
    const account = await this.directory.recentAccount(uid);
    if (!account) throw new ApiError('unauthenticated', 'your account no longer exists');
    const problem = scriptReplyFromProblem(text, allAddresses(classifyAddresses(account)));
    if (!problem) return;
    const where = problem.line !== null ? `line ${problem.line}: ` : '';
    throw new ApiError('validation', `${where}an automatic reply may only be sent from one of your own addresses, with a one-line display name (${problem.code})`, {
      fields: { text: problem.code },
      ...(problem.line !== null ? { errors: [{ line: problem.line, message: `vacation :from: ${problem.code.replaceAll('_', ' ')}` }] } : {}),
    });
  }
}
