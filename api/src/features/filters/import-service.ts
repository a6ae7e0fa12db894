import type { Account } from '../../backends/ldap/directory';
import { ApiError } from '../../http/errors';
import { SieveCapabilityError, SieveSyntaxError, parseDocument, printDocument, type SieveDocument } from '../../sieve';
import { allAddresses, classifyAddresses } from '../../shared/user-addresses';
import { hiddenCharacterTargets } from '../script/raw-targets';
import type { CheckResult, ScriptState, ScriptStore } from '../script/store';
import { readImportFile } from './import-file';
import { scriptReplyFromProblem } from './reply-from';
import { FILTER_LIMITS, type FiltersView } from './schemas';
import { filtersEtag, filtersView } from './service';
import { exportText, planImport, type ImportPreview } from './transfer';

export interface ImportPreviewView extends ImportPreview {
  /** The filters' ETag the preview was made against: send it as If-Match to import. */
  etag: string;
  /** The server's warnings about the file (CHECKSCRIPT), line by line. */
  warnings: Array<{ line: number | null; column?: number; message: string }>;
}

/** Checks a raw save makes, on the text an import would store: its exits against the server's limit and the forwarding rules. */
export type ExitsCheck = (account: Account, text: string, clientAddress: string) => Promise<void>;

function rejected(errors: CheckResult['errors']): ApiError {
  return new ApiError('script_rejected', `the server refused the file: ${errors.map((e) => e.message).join('; ')}; nothing was changed`, { errors });
}

/** A file whose Sieve our parser cannot read, refused with the line and column. */
function parseFile(text: string): SieveDocument {
  try {
    return parseDocument(text);
  } catch (error) {
    if (error instanceof SieveSyntaxError) {
      const message = error.message.replace(/^\d+:\d+: /, '');
      throw new ApiError('script_rejected', `line ${error.line}: ${message}; nothing was changed`, { errors: [{ line: error.line, column: error.column, message }] });
    }
    throw error;
  }
}

/**
 * Export and import of the user's filters as a `.sieve` file. An import is held to what a raw
 * save is held to (the server's CHECKSCRIPT, folder names without hidden characters, a vacation
 * `:from` only from the user's own addresses, the exits' limit and targets), shown as a preview
 * first, and saved with the filters' ETag, so a change made meanwhile answers 409.
 */
export class FilterTransfer {
  constructor(
    private readonly scripts: ScriptStore,
    private readonly checkExits: ExitsCheck = async () => undefined,
  ) {}

  async exportFile(uid: string, clientAddress: string, now = new Date()): Promise<{ text: string; filename: string }> {
    const state = await this.scripts.read(uid, { clientAddress });
    return { text: exportText(state, now.toISOString().slice(0, 10)), filename: `filters-${now.toISOString().slice(0, 10)}.sieve` };
  }

  async preview(account: Account, bytes: Uint8Array, clientAddress: string): Promise<ImportPreviewView> {
    const { state, file, merged, warnings } = await this.validate(account, bytes, clientAddress);
    // A file fine on its own may not be beside the user's sections: ask about the result too.
    const combined = await this.scripts.check(account.uid, merged.text, { clientAddress });
    if (!combined.ok) throw rejected(combined.errors);
    return { etag: filtersEtag(state), ...planImport(state, file).preview, warnings };
  }

  async save(account: Account, bytes: Uint8Array, ifMatch: string | undefined, clientAddress: string): Promise<FiltersView> {
    const { state: read, file } = await this.validate(account, bytes, clientAddress);
    // PUTSCRIPT validates what is stored: a refusal there changes nothing either.
    const state = await this.scripts.update(
      account.uid,
      {
        ifMatch,
        etagOf: filtersEtag,
        describe: filtersView,
        change: (current) => planImport(current, file).doc,
        audit: `filters imported: ${this.count(file)} filter(s)`,
        history: { what: 'filters', details: this.counts(planImport(read, file).doc) },
      },
      { clientAddress },
    );
    return filtersView(state);
  }

  /**
   * What a preview and an import both hold the file to, in the order a person fixes things:
   * the file itself, then the exits the result would have, then the server's verdict on the
   * file as it is (so its lines are the file's lines).
   */
  private async validate(account: Account, bytes: Uint8Array, clientAddress: string) {
    const { text, file } = this.readFile(account, bytes);
    const state = await this.scripts.read(account.uid, { clientAddress });
    const merged = this.merge(state, file);
    await this.checkExits(account, merged.text, clientAddress);
    const own = await this.scripts.check(account.uid, text, { clientAddress });
    if (!own.ok) throw rejected(own.errors);
    return { state, file, merged, warnings: own.warnings };
  }

  /** The file's text and document, or an ApiError: what a raw save refuses is refused here. */
  private readFile(account: Account, bytes: Uint8Array): { text: string; file: SieveDocument } {
    const text = readImportFile(bytes);
    const file = parseFile(text);
    const count = this.count(file);
    if (count === 0) throw new ApiError('validation', 'the file holds no filters; nothing was changed', { fields: { file: 'no_filters' } });
    if (count > FILTER_LIMITS.items) throw new ApiError('validation', `the file holds ${count} filters, over the ${FILTER_LIMITS.items} the app keeps; nothing was changed`, { fields: { file: 'too_many' } });
    const hidden = hiddenCharacterTargets(text);
    if (hidden.length > 0) throw new ApiError('script_rejected', `a folder name holds invisible characters: ${hidden.map((p) => p.message).join('; ')}; nothing was changed`, { errors: hidden });
    const replyFrom = scriptReplyFromProblem(text, allAddresses(classifyAddresses(account)));
    if (replyFrom) {
      const where = replyFrom.line !== null ? `line ${replyFrom.line}: ` : '';
      throw new ApiError('validation', `${where}an automatic reply may only be sent from one of your own addresses (${replyFrom.code}); nothing was changed`, {
        fields: { file: replyFrom.code },
        ...(replyFrom.line !== null ? { errors: [{ line: replyFrom.line, message: `vacation :from: ${replyFrom.code.replaceAll('_', ' ')}` }] } : {}),
      });
    }
    return { text, file };
  }

  private count(file: SieveDocument): number {
    return file.items.filter((i) => i.kind !== 'section').length;
  }

  /** What History says replaced the version: the filters after the import, counted as a filters save counts them
   *  (the ETag holds the script to the one read here). */
  private counts(result: SieveDocument): { rules: number; custom: number; customDeleted: number } {
    const rules = result.items.filter((i) => i.kind === 'rule').length;
    return { rules, custom: result.items.filter((i) => i.kind === 'custom').length, customDeleted: 0 };
  }

  private merge(state: ScriptState, file: SieveDocument): { text: string; preview: ImportPreview } {
    const plan = planImport(state, file);
    try {
      return { text: printDocument(plan.doc, { capabilities: state.options.capabilities }), preview: plan.preview };
    } catch (error) {
      if (error instanceof SieveCapabilityError) throw new ApiError('script_rejected', `the mail server does not offer ${error.missing.join(', ')}; nothing was changed`);
      throw error;
    }
  }
}
