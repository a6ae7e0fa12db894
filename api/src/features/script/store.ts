import { createHash } from 'node:crypto';
import type { ManageSieveClient } from '../../backends/managesieve';
import { ManageSieveError, isManageSieveConnectionLoss, isManageSieveUnavailable } from '../../backends/managesieve';
import type { SieveSessions } from '../../backends/sieve-sessions';
import type { OpenContext } from '../../backends/pool';
import { ApiError } from '../../http/errors';
import { activeFingerprint, changedAreas } from './changed-areas';
import { withDefaultSpam } from './defaults';
import { addToHistory, parseHistory, type HistoryEntry } from './history';
import { parseServerProblems, type ScriptProblem } from './server-errors';
import { serverRefusal } from './server-refusal';
import type { Logger } from '../../logging';
import type { ManageSieveCapabilities } from '../../backends/managesieve';
import {
  SieveCapabilityError,
  SieveSyntaxError,
  SieveValidationError,
  parseDocument,
  printDocument,
  type AssembleOptions,
  type SectionName,
  type SieveDocument,
} from '../../sieve';

/** The user's Sieve as the features see it. */
export interface ScriptState {
  /** The app's script text ('' when it does not exist yet). */
  text: string;
  doc: SieveDocument;
  /** The app's script exists on the server. */
  exists: boolean;
  /** The app's script is the active one. */
  active: boolean;
  /** Name of the active script when it is another than the app's: settings written to the
   *  app's script would not act until the user takes it over. */
  foreignActive: string | null;
  /** What the server offers, for printing and for checks (MAXREDIRECTS). */
  options: AssembleOptions;
}

export interface ScriptUpdate<T> {
  /** The version the user saw (the feature's ETag); undefined refuses the save (428). */
  ifMatch: string | undefined;
  /** The feature's version of the state, compared with `ifMatch`. */
  etagOf: (state: ScriptState) => string;
  /** What the conflict answer carries: the current state as the feature shows it. */
  describe: (state: ScriptState) => T;
  /** The new document; throwing an ApiError refuses the save with nothing written. */
  change: (state: ScriptState) => SieveDocument;
  /** For the audit line: what was changed, in a few words (no message bodies). */
  audit: string;
  /**
   * A second write that must succeed with the script's (the spam levels in LDAP). It runs
   * once the new script is stored, before it is activated, still serialized with the user's
   * other commands, so no other save comes between the two. If it throws, the previous script
   * is put back (or the new one deleted when there was none) and its error goes on.
   */
  alongside?: (state: ScriptState) => Promise<void>;
}

/** The app's script as text only (the raw editor): nothing parsed, so a script the app's
 *  parser cannot read can still be opened and fixed. */
export interface RawScriptState {
  name: string;
  text: string;
  exists: boolean;
  active: boolean;
  foreignActive: string | null;
  capabilities: ManageSieveCapabilities;
}

export interface RawUpdate<T> {
  ifMatch: string | undefined;
  etagOf: (state: RawScriptState) => string;
  describe: (state: RawScriptState) => T;
  /** The new text, exactly as it is to be stored. */
  text: string;
  audit: string;
}

export interface ScriptEntry {
  name: string;
  active: boolean;
  /** The app's own script (edited by the app's features). */
  app: boolean;
  /** The app's history of previous versions (never activated, never deleted here). */
  history: boolean;
}

export interface CheckResult {
  ok: boolean;
  errors: ScriptProblem[];
  warnings: ScriptProblem[];
}

/** The text of one of the app's sections ('' when absent), for a feature's ETag. */
export function sectionText(state: ScriptState, name: SectionName): string {
  const item = state.doc.items.find((i) => i.kind === 'section' && i.name === name);
  return item?.kind === 'section' ? item.text : '';
}

/** How the app changed the script: a settings page, the raw editor (or a restore), taking over another script, activating one. */
export type ScriptWriteKind = 'page' | 'raw' | 'take-over' | 'activate';

/**
 * Told of every read and write of the user's scripts (the Security page's "what changed").
 * Its methods must not throw: a failure to record never fails the user's request.
 */
export interface ScriptObserver {
  /** What is active now (activeFingerprint), on every read: a change the app did not make shows here. */
  seen(uid: string, fingerprint: string): Promise<void>;
  /** The app changed it; `fingerprint` null: what is active now is not known (seen next time). */
  written(uid: string, write: { fingerprint: string | null; areas: string[]; kind: ScriptWriteKind }): Promise<void>;
}

/** A strong ETag over what a feature shows. */
export function etagOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `"${hash.digest('base64url').slice(0, 27)}"`;
}

/**
 * The one owner of the user's script (docs/ARCHITECTURE.md, The user's Sieve script). Every Sieve-based feature changes
 * it here: GETSCRIPT → parse → replace only its own part → print → PUTSCRIPT (which validates,
 * so no separate CHECKSCRIPT) → SETACTIVE when needed, with the ETag check in between. All of
 * it runs on the user's pooled connection, serialized with her other commands.
 */
export class ScriptStore {
  constructor(
    private readonly sieve: SieveSessions,
    private readonly settings: { scriptName: string; spamtestMaxValue: number },
    private readonly logger: Logger,
    private readonly observer: ScriptObserver | null = null,
  ) {}

  async read(uid: string, context: OpenContext = {}): Promise<ScriptState> {
    return this.withClient(uid, context, (client) => this.load(client, uid));
  }

  async update<T>(uid: string, update: ScriptUpdate<T>, context: OpenContext = {}): Promise<ScriptState> {
    if (update.ifMatch === undefined) {
      throw new ApiError('precondition_required', 'send If-Match with the ETag of the version you are changing');
    }
    let attempt = 0;
    let firstRead: string | undefined;
    return this.withClient(uid, context, async (client) => {
      attempt += 1;
      const state = await this.load(client, uid);
      firstRead ??= state.text;
      if (update.ifMatch !== update.etagOf(state) && !(attempt > 1 && this.alreadyApplied(state, update))) {
        throw new ApiError('conflict', 'changed elsewhere since you loaded it; nothing was saved', { current: update.describe(state) });
      }
      if (state.foreignActive !== null) {
        throw new ApiError('foreign_script_active', `another script ("${state.foreignActive}") is active; take it over first`);
      }
      const changed = update.change(state);
      // A first script replaces the site default for this user: carry its spam rule over.
      const doc = state.text === '' ? withDefaultSpam(changed, state.options) : changed;
      const text = this.print(doc, state.options);
      if (text !== state.text || !state.exists) await this.put(client, text);
      const written: ScriptState = { ...state, text, doc: parseDocument(text), exists: true, active: true, foreignActive: null };
      if (update.alongside) await this.alongsideOrPutBack(client, uid, state, update.alongside, written);
      if (!state.active) await client.setActive(this.settings.scriptName);
      const replaced = replacedText(state.text, text, firstRead);
      if (text !== replaced) await this.keepHistory(client, uid, replaced, update.audit);
      this.logger.info({ log: 'audit', uid, client: context.clientAddress, change: update.audit }, 'settings changed');
      await this.observer?.written(uid, { fingerprint: activeFingerprint(written), areas: changedAreas(replaced, text), kind: 'page' });
      return written;
    });
  }

  private async alongsideOrPutBack(client: ManageSieveClient, uid: string, before: ScriptState, write: (state: ScriptState) => Promise<void>, written: ScriptState): Promise<void> {
    try {
      await write(written);
    } catch (error) {
      try {
        if (before.exists) await client.putScript(this.settings.scriptName, before.text);
        else await client.deleteScript(this.settings.scriptName);
      } catch (restoreError) {
        this.logger.error({ uid, err: (restoreError as Error).message }, 'could not put the previous script back after a failed second write');
        throw new ApiError('mail_unavailable', 'the change was only half saved: your filter has the new settings but the directory does not; save again');
      }
      throw error;
    }
  }

  /**
   * Makes the app's script the active one without losing anything: the active script's text
   * becomes the app's script (its rules and custom blocks kept as they are); the other
   * script stays on the server, untouched, so the user can go back to it. When the app's
   * script was there already (inactive: the user switched to another in some other program),
   * the text it had goes to the history, so it can be restored (`previousKept`).
   */
  async takeOver(uid: string, context: OpenContext = {}): Promise<{ state: ScriptState; previousKept: boolean }> {
    return this.withClient(uid, context, async (client) => {
      const state = await this.load(client, uid);
      if (state.foreignActive === null) return { state, previousKept: false };
      const foreign = await client.getScript(state.foreignActive);
      try {
        parseDocument(foreign);
      } catch (error) {
        if (error instanceof SieveSyntaxError) {
          throw new ApiError('script_rejected', `the active script "${state.foreignActive}" cannot be read (line ${error.line}): nothing was changed`);
        }
        throw error;
      }
      const replaced = state.text !== '' && state.text !== foreign;
      await this.put(client, foreign);
      await client.setActive(this.settings.scriptName);
      const previousKept = replaced && (await this.keepHistory(client, uid, state.text, `replaced by taking over script "${state.foreignActive}"`));
      this.logger.info({ log: 'audit', uid, client: context.clientAddress, change: `took over script "${state.foreignActive}"` }, 'settings changed');
      await this.observer?.written(uid, { fingerprint: activeFingerprint({ text: foreign, active: true, foreignActive: null }), areas: ['script'], kind: 'take-over' });
      return { state: { ...state, text: foreign, doc: parseDocument(foreign), exists: true, active: true, foreignActive: null }, previousKept };
    });
  }

  /**
   * The pool runs a command once more on a fresh connection when the first one died under it
   * (a director going down). A write may then find its own change already stored: PUTSCRIPT
   * reached the server and only its OK was lost. The ETag no longer matches, yet this is
   * success, not a conflict: the change applied to what is stored now changes nothing.
   */
  private alreadyApplied<T>(state: ScriptState, update: ScriptUpdate<T>): boolean {
    if (!state.exists || !state.active || state.foreignActive !== null) return false;
    try {
      return this.print(update.change(state), state.options) === state.text;
    } catch {
      return false;
    }
  }

  /** The name of the script holding the previous versions of the app's script. */
  get historyName(): string {
    return `${this.settings.scriptName}.history`;
  }

  get scriptName(): string {
    return this.settings.scriptName;
  }

  async readRaw(uid: string, context: OpenContext = {}): Promise<RawScriptState> {
    return this.withClient(uid, context, (client) => this.loadRaw(client, uid));
  }

  /**
   * Replaces the app's script with `text`, exactly (the raw editor, a history restore). The
   * server is the judge of the text: its refusal comes back as script_rejected with the
   * problems per line, and the script that was active stays active. The previous text goes
   * to the history.
   */
  async replaceText<T>(uid: string, update: RawUpdate<T>, context: OpenContext = {}): Promise<RawScriptState> {
    if (update.ifMatch === undefined) {
      throw new ApiError('precondition_required', 'send If-Match with the ETag of the version you are changing');
    }
    let firstRead: string | undefined;
    // A retry (see alreadyApplied) that finds exactly this text stored and active succeeds.
    return this.withClient(uid, context, (client) =>
      this.replaceWith(client, uid, update, context, firstRead, (text) => {
        firstRead ??= text;
      }),
    );
  }

  /** `firstRead`: the text the first attempt read, on a retry; `onRead` is told what this one read. */
  private async replaceWith<T>(
    client: ManageSieveClient,
    uid: string,
    update: RawUpdate<T>,
    context: OpenContext,
    firstRead?: string,
    onRead?: (text: string) => void,
  ): Promise<RawScriptState> {
    const state = await this.loadRaw(client, uid);
    onRead?.(state.text);
    const retry = firstRead !== undefined;
    const landed = retry && state.exists && state.active && state.foreignActive === null && state.text === update.text;
    if (update.ifMatch !== update.etagOf(state) && !landed) {
      throw new ApiError('conflict', 'changed elsewhere since you loaded it; nothing was saved', { current: update.describe(state) });
    }
    if (state.foreignActive !== null) {
      throw new ApiError('foreign_script_active', `another script ("${state.foreignActive}") is active; take it over first`);
    }
    const size = Buffer.byteLength(update.text, 'utf8');
    try {
      await client.haveSpace(this.settings.scriptName, size);
    } catch (error) {
      if (error instanceof ManageSieveError && error.code === 'QUOTA') {
        throw new ApiError('payload_too_large', `the mail server does not take a script of ${size} bytes: ${error.serverText?.trim() || 'over its size or count limit'}; nothing was saved`, {
          ...(error.serverText ? { serverText: error.serverText } : {}),
        });
      }
      throw serverRefusal(error);
    }
    if (update.text !== state.text || !state.exists) await this.put(client, update.text);
    if (!state.active) await client.setActive(this.settings.scriptName);
    const replaced = replacedText(state.text, update.text, firstRead);
    if (update.text !== replaced) await this.keepHistory(client, uid, replaced, update.audit);
    this.logger.info({ log: 'audit', uid, client: context.clientAddress, change: update.audit }, 'settings changed');
    const written = { ...state, text: update.text, exists: true, active: true, foreignActive: null };
    if (update.text !== replaced || !state.active) {
      await this.observer?.written(uid, { fingerprint: activeFingerprint(written), areas: changedAreas(replaced, update.text), kind: 'raw' });
    }
    return written;
  }

  /** CHECKSCRIPT only: what the server thinks of a text, nothing stored. */
  async check(uid: string, text: string, context: OpenContext = {}): Promise<CheckResult> {
    return this.withClient(uid, context, async (client) => {
      try {
        const result = await client.checkScript(text);
        return { ok: true, errors: [], warnings: parseServerProblems(result.warnings) };
      } catch (error) {
        if (error instanceof ManageSieveError && (error.code === 'COMMAND_FAILED' || error.code === 'QUOTA')) {
          const errors = parseServerProblems(error.serverText);
          return { ok: false, errors: errors.length > 0 ? errors : [{ line: null, message: error.message }], warnings: [] };
        }
        throw error;
      }
    });
  }

  async listScripts(uid: string, context: OpenContext = {}): Promise<ScriptEntry[]> {
    return this.withClient(uid, context, async (client) =>
      (await client.listScripts()).map((s) => ({ name: s.name, active: s.active, app: s.name === this.settings.scriptName, history: s.name === this.historyName })),
    );
  }

  async activate(uid: string, name: string, context: OpenContext = {}): Promise<void> {
    if (name === this.historyName) throw new ApiError('validation', 'the history script only holds old versions; restore one instead', { fields: { name: 'history_script' } });
    await this.withClient(uid, context, async (client) => {
      await this.manage(() => client.setActive(name));
      this.logger.info({ log: 'audit', uid, client: context.clientAddress, change: `activated script "${name}"` }, 'settings changed');
      await this.observer?.written(uid, { fingerprint: null, areas: ['script'], kind: 'activate' });
    });
  }

  async rename(uid: string, name: string, newName: string, context: OpenContext = {}): Promise<void> {
    const reserved = [this.settings.scriptName, this.historyName];
    if (reserved.includes(name)) throw new ApiError('validation', 'the app’s own scripts keep their names', { fields: { name: 'reserved' } });
    if (reserved.includes(newName)) throw new ApiError('validation', 'that name belongs to the app’s own scripts', { fields: { newName: 'reserved' } });
    await this.withClient(uid, context, async (client) => {
      await this.manage(() => client.renameScript(name, newName));
      this.logger.info({ log: 'audit', uid, client: context.clientAddress, change: `renamed script "${name}" to "${newName}"` }, 'settings changed');
    });
  }

  async remove(uid: string, name: string, context: OpenContext = {}): Promise<void> {
    if (name === this.historyName) throw new ApiError('validation', 'the history of your script is kept by the app', { fields: { name: 'reserved' } });
    await this.withClient(uid, context, async (client) => {
      const found = (await client.listScripts()).find((s) => s.name === name);
      if (!found) throw new ApiError('not_found', `no script "${name}"`);
      if (found.active) throw new ApiError('conflict', `"${name}" is the active script: activate another one (or none) first`);
      await this.manage(() => client.deleteScript(name));
      this.logger.info({ log: 'audit', uid, client: context.clientAddress, change: `deleted script "${name}"` }, 'settings changed');
    });
  }

  /** The kept versions of the app's script, newest first. */
  async history(uid: string, context: OpenContext = {}): Promise<HistoryEntry[]> {
    return this.withClient(uid, context, (client) => this.loadHistory(client));
  }

  /** Puts a kept version back, byte for byte (the current text goes to the history). */
  async restore<T>(uid: string, id: string, update: Omit<RawUpdate<T>, 'text' | 'audit'>, context: OpenContext = {}): Promise<{ state: RawScriptState; entry: HistoryEntry }> {
    if (update.ifMatch === undefined) {
      throw new ApiError('precondition_required', 'send If-Match with the ETag of the version you are changing');
    }
    return this.withClient(uid, context, async (client) => {
      const entry = (await this.loadHistory(client)).find((e) => e.id === id);
      if (!entry) throw new ApiError('not_found', `no kept version "${id}"`);
      const state = await this.replaceWith(client, uid, { ...update, text: entry.text, audit: `restored the version of ${entry.savedAt}` }, context);
      return { state, entry };
    });
  }

  private async loadHistory(client: ManageSieveClient): Promise<HistoryEntry[]> {
    try {
      return parseHistory(await client.getScript(this.historyName));
    } catch (error) {
      if (error instanceof ManageSieveError && error.code === 'NONEXISTENT') return [];
      throw error;
    }
  }

  /**
   * Adds the replaced text to the history, after the new script is in place: a history that
   * cannot be written (size or count limits) must not undo or block the user's change, so a
   * failure here is logged, not thrown. One PUTSCRIPT: the history is old or new, never half.
   */
  private async keepHistory(client: ManageSieveClient, uid: string, previous: string, summary: string): Promise<boolean> {
    if (previous === '') return false;
    try {
      let current = '';
      try {
        current = await client.getScript(this.historyName);
      } catch (error) {
        if (!(error instanceof ManageSieveError && error.code === 'NONEXISTENT')) throw error;
      }
      const next = addToHistory(this.settings.scriptName, current, previous, summary);
      if (next !== null) await client.putScript(this.historyName, next);
      return true;
    } catch (error) {
      if (isManageSieveConnectionLoss(error)) throw error;
      this.logger.warn({ uid, err: (error as Error).message }, 'could not keep the previous version of the script in its history');
      return false;
    }
  }

  /** ManageSieve answers about named scripts, as API errors. */
  private async manage<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ManageSieveError) {
        if (error.code === 'NONEXISTENT') throw new ApiError('not_found', 'no such script');
        if (error.code === 'ALREADYEXISTS') throw new ApiError('conflict', 'a script of that name exists already');
        if (error.code === 'ACTIVE') throw new ApiError('conflict', 'the script is active');
        if (error.code === 'BAD_ARGUMENT') throw new ApiError('validation', error.message, { fields: { name: 'invalid' } });
        if (error.code === 'COMMAND_FAILED' || error.code === 'QUOTA') {
          throw new ApiError('script_rejected', `the server refused: ${error.serverText?.trim() ?? error.message}`, error.serverText ? { serverText: error.serverText } : {});
        }
      }
      throw error;
    }
  }

  private async loadRaw(client: ManageSieveClient, uid: string): Promise<RawScriptState> {
    const scripts = await client.listScripts();
    const ours = scripts.find((s) => s.name === this.settings.scriptName);
    const active = scripts.find((s) => s.active);
    const state = {
      name: this.settings.scriptName,
      text: ours ? await client.getScript(ours.name) : '',
      exists: ours !== undefined,
      active: ours?.active === true,
      foreignActive: active && active.name !== this.settings.scriptName ? active.name : null,
      capabilities: client.capabilities,
    };
    await this.observer?.seen(uid, activeFingerprint(state));
    return state;
  }

  private async load(client: ManageSieveClient, uid: string): Promise<ScriptState> {
    const scripts = await client.listScripts();
    const ours = scripts.find((s) => s.name === this.settings.scriptName);
    const active = scripts.find((s) => s.active);
    const text = ours ? await client.getScript(ours.name) : '';
    const foreignActive = active && active.name !== this.settings.scriptName ? active.name : null;
    await this.observer?.seen(uid, activeFingerprint({ text, active: ours?.active === true, foreignActive }));
    let doc: SieveDocument;
    try {
      doc = parseDocument(text);
    } catch (error) {
      if (error instanceof SieveSyntaxError) {
        throw new ApiError('script_rejected', `your script cannot be read by this app (line ${error.line}, column ${error.column}): edit it in the raw editor`);
      }
      throw error;
    }
    const capabilities = client.capabilities;
    return {
      text,
      doc,
      exists: ours !== undefined,
      active: ours?.active === true,
      foreignActive: active && active.name !== this.settings.scriptName ? active.name : null,
      options: {
        capabilities: capabilities.sieve,
        spamtestMaxValue: this.settings.spamtestMaxValue,
        ...(capabilities.maxRedirects !== undefined ? { maxRedirects: capabilities.maxRedirects } : {}),
      },
    };
  }

  private print(doc: SieveDocument, options: AssembleOptions): string {
    try {
      return printDocument(doc, { capabilities: options.capabilities });
    } catch (error) {
      if (error instanceof SieveCapabilityError) {
        throw new ApiError('script_rejected', `the mail server does not offer ${error.missing.join(', ')}; nothing was saved`);
      }
      throw error;
    }
  }

  private async put(client: ManageSieveClient, text: string): Promise<void> {
    try {
      await client.putScript(this.settings.scriptName, text);
    } catch (error) {
      if (error instanceof ManageSieveError && (error.code === 'COMMAND_FAILED' || error.code === 'QUOTA')) {
        const why = error.code === 'QUOTA' ? 'the script is over the server’s size or count limit' : 'the server refused the script';
        const errors = parseServerProblems(error.serverText, this.settings.scriptName);
        throw new ApiError('script_rejected', `${why}; your previous settings are still active`, {
          ...(error.serverText ? { serverText: error.serverText } : {}),
          errors: errors.length > 0 ? errors : [{ line: null, message: why }],
        });
      }
      throw error;
    }
  }

  private async withClient<T>(uid: string, context: OpenContext, work: (client: ManageSieveClient) => Promise<T>): Promise<T> {
    try {
      return await this.sieve.use(uid, work, context);
    } catch (error) {
      throw toApiError(serverRefusal(error, this.settings.scriptName));
    }
  }
}

/**
 * The text a write replaced. Normally what this attempt read; but a retry that finds its own
 * text already stored (the first PUTSCRIPT landed, its OK was lost) replaced what the first
 * attempt read, and that is what the history must keep.
 */
function replacedText(read: string, written: string, firstRead: string | undefined): string {
  return firstRead !== undefined && read === written ? firstRead : read;
}

/** Errors the store's callers see: ours, typed. */
export function toApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof SieveValidationError) {
    const fields = Object.fromEntries(error.issues.map((i) => [i.path, 'invalid']));
    return new ApiError('validation', error.issues.map((i) => i.message).join('; '), { fields });
  }
  if (isManageSieveUnavailable(error)) {
    return new ApiError('mail_unavailable', 'the mail servers are not answering; nothing was changed, try again in a few minutes');
  }
  return error;
}
