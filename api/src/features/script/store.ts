import { createHash } from 'node:crypto';
import type { ManageSieveClient } from '../../backends/managesieve';
import { ManageSieveError } from '../../backends/managesieve';
import type { SieveSessions } from '../../backends/sieve-sessions';
import type { OpenContext } from '../../backends/pool';
import { ApiError } from '../../http/errors';
import { withDefaultSpam } from './defaults';
import type { Logger } from '../../logging';
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
}

/** The text of one of the app's sections ('' when absent), for a feature's ETag. */
export function sectionText(state: ScriptState, name: SectionName): string {
  const item = state.doc.items.find((i) => i.kind === 'section' && i.name === name);
  return item?.kind === 'section' ? item.text : '';
}

/** A strong ETag over what a feature shows. */
export function etagOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `"${hash.digest('base64url').slice(0, 27)}"`;
}

/**
 * The one owner of the user's script (DESIGN decision 8). Every Sieve-based feature changes
 * it here: GETSCRIPT → parse → replace only its own part → print → PUTSCRIPT (which validates,
 * so no separate CHECKSCRIPT) → SETACTIVE when needed, with the ETag check in between. All of
 * it runs on the user's pooled connection, serialized with her other commands.
 */
export class ScriptStore {
  constructor(
    private readonly sieve: SieveSessions,
    private readonly settings: { scriptName: string; spamtestMaxValue: number },
    private readonly logger: Logger,
  ) {}

  async read(uid: string, context: OpenContext = {}): Promise<ScriptState> {
    return this.withClient(uid, context, (client) => this.load(client));
  }

  async update<T>(uid: string, update: ScriptUpdate<T>, context: OpenContext = {}): Promise<ScriptState> {
    if (update.ifMatch === undefined) {
      throw new ApiError('precondition_required', 'send If-Match with the ETag of the version you are changing');
    }
    return this.withClient(uid, context, async (client) => {
      const state = await this.load(client);
      if (update.ifMatch !== update.etagOf(state)) {
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
      if (!state.active) await client.setActive(this.settings.scriptName);
      this.logger.info({ log: 'audit', uid, client: context.clientAddress, change: update.audit }, 'settings changed');
      return { ...state, text, doc: parseDocument(text), exists: true, active: true, foreignActive: null };
    });
  }

  /**
   * Makes the app's script the active one without losing anything: the active script's text
   * becomes the app's script (its rules and custom blocks kept as they are); the other
   * script stays on the server, untouched, so the user can go back to it.
   */
  async takeOver(uid: string, context: OpenContext = {}): Promise<ScriptState> {
    return this.withClient(uid, context, async (client) => {
      const state = await this.load(client);
      if (state.foreignActive === null) return state;
      const foreign = await client.getScript(state.foreignActive);
      try {
        parseDocument(foreign);
      } catch (error) {
        if (error instanceof SieveSyntaxError) {
          throw new ApiError('script_rejected', `the active script "${state.foreignActive}" cannot be read (line ${error.line}): nothing was changed`);
        }
        throw error;
      }
      await this.put(client, foreign);
      await client.setActive(this.settings.scriptName);
      this.logger.info({ log: 'audit', uid, client: context.clientAddress, change: `took over script "${state.foreignActive}"` }, 'settings changed');
      return { ...state, text: foreign, doc: parseDocument(foreign), exists: true, active: true, foreignActive: null };
    });
  }

  private async load(client: ManageSieveClient): Promise<ScriptState> {
    const scripts = await client.listScripts();
    const ours = scripts.find((s) => s.name === this.settings.scriptName);
    const active = scripts.find((s) => s.active);
    const text = ours ? await client.getScript(ours.name) : '';
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
        throw new ApiError('script_rejected', `${why}; your previous settings are still active`, error.serverText ? { serverText: error.serverText } : {});
      }
      throw error;
    }
  }

  private async withClient<T>(uid: string, context: OpenContext, work: (client: ManageSieveClient) => Promise<T>): Promise<T> {
    try {
      return await this.sieve.use(uid, work, context);
    } catch (error) {
      throw toApiError(error);
    }
  }
}

/** Errors the store's callers see: ours, typed. */
export function toApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof SieveValidationError) {
    const fields = Object.fromEntries(error.issues.map((i) => [i.path, 'invalid']));
    return new ApiError('validation', error.issues.map((i) => i.message).join('; '), { fields });
  }
  if (error instanceof ManageSieveError) {
    if (['ALL_ENDPOINTS_FAILED', 'CONNECT_FAILED', 'TIMEOUT', 'CLOSED', 'BYE', 'TRYLATER'].includes(error.code)) {
      return new ApiError('mail_unavailable', 'the mail servers are not answering; nothing was changed, try again in a few minutes');
    }
  }
  return error;
}
