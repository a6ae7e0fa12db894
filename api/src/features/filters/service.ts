import type { Account } from '../../backends/ldap/directory';
import { ApiError } from '../../http/errors';
import { forwardTargetProblem } from '../../shared/forward-target';
import {
  flagProblem,
  isTextCondition,
  missingCapabilities,
  parseScript,
  readAppSettings,
  requiredCapabilities,
  ruleToCommand,
  validateRule,
  type Command,
  type Condition,
  type CustomBlock,
  type FlagProblem,
  type Rule,
  type RuleItem,
  type SieveDocument,
  type SieveValidationCode,
} from '../../sieve';
import { allAddresses, classifyAddresses } from '../../shared/user-addresses';
import { folderProblem, lookalikeFolder } from '../folders/names';
import { etagOf, type ScriptState, type ScriptStore } from '../script/store';
import type { FilterItemView, FiltersView, RuleInput, SaveFiltersInput } from './schemas';
import { replyFromProblem } from './reply-from';
import { filterItems, withFilterItems } from './filter-slots';

/** Dovecot's default sieve_max_redirects, when the server does not say (MAXREDIRECTS). */
const DEFAULT_MAX_REDIRECTS = 4;

/** Extensions the rule builder can use; the UI hides what the server lacks. */
const CAPABILITY_NAMES = ['body', 'regex', 'reject', 'imap4flags', 'copy', 'mailbox', 'date', 'relational', 'vacation', 'envelope', 'fileinto', 'variables', 'editheader', 'spamtest', 'spamtestplus'] as const;

const CODES: Partial<Record<SieveValidationCode, string>> = {
  'empty-value': 'required',
  'string-too-long': 'too_long',
  'line-break-not-allowed': 'line_break',
  'invalid-header-name': 'invalid_header_name',
  'invalid-address': 'invalid_address',
  'invalid-flag': 'invalid_flag',
  'invalid-regex': 'invalid_regex',
  'invalid-number': 'out_of_range',
  'conditions-required': 'required',
  'conditions-not-allowed': 'not_allowed',
  'invalid-date': 'invalid_date',
  'too-many-redirects': 'too_many_redirects',
};

/** An IMAP flag the server would skip at delivery: \Recent, a space, non-ASCII, over 50 characters… */
const FLAG_CODES: Record<FlagProblem, string> = { empty: 'required', 'too-long': 'too_long', invalid: 'invalid_flag' };

/** Custom blocks get ids from their text: stable while it is unchanged, numbered on repeats. */
export function customIds(doc: SieveDocument): Map<CustomBlock, string> {
  const ids = new Map<CustomBlock, string>();
  const seen = new Map<string, number>();
  for (const item of doc.items) {
    if (item.kind !== 'custom') continue;
    let hash = 0x811c9dc5;
    for (let i = 0; i < item.text.length; i++) hash = Math.imul(hash ^ item.text.charCodeAt(i), 0x01000193);
    const base = 'c' + (hash >>> 0).toString(36);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.set(item, count === 0 ? base : `${base}-${count}`);
  }
  return ids;
}


/** Over the filters and custom blocks only: a vacation or spam change does not conflict. */
export function filtersEtag(state: ScriptState): string {
  return etagOf('filters', ...filterItems(state.doc).map((i) => (i.kind === 'rule' ? (i.origin?.text ?? JSON.stringify(i.rule)) : i.text)), state.foreignActive ?? '');
}

function countRedirects(commands: readonly Command[]): number {
  return commands.reduce((n, c) => n + (c.name.toLowerCase() === 'redirect' ? 1 : 0) + countRedirects(c.block ?? []), 0);
}

function sectionRedirects(doc: SieveDocument): number {
  let n = 0;
  for (const item of doc.items) if (item.kind === 'section') n += countRedirects(parseScript(item.text).commands);
  return n;
}

export function filtersView(state: ScriptState): FiltersView {
  const ids = customIds(state.doc);
  const items: FilterItemView[] = filterItems(state.doc).map((item) =>
    item.kind === 'rule'
      ? { kind: 'rule' as const, rule: item.rule as RuleInput, editable: true as const, ...(item.upgraded ? { upgraded: true as const } : {}) }
      : { kind: 'custom' as const, id: ids.get(item) as string, text: item.text, ...(item.writer ? { writer: item.writer } : {}), ...(item.name !== undefined ? { name: item.name } : {}) },
  );
  const sieve = state.options.capabilities;
  return {
    etag: filtersEtag(state),
    items,
    sections: state.doc.items.flatMap((i) => (i.kind === 'section' ? [i.name] : [])),
    foreignScript: state.foreignActive === null ? null : { name: state.foreignActive },
    capabilities: Object.fromEntries(CAPABILITY_NAMES.map((name) => [name, sieve.includes(name)])),
    maxRedirects: state.options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    forwardingRedirects: sectionRedirects(state.doc),
    spamScoreMax: state.options.spamtestMaxValue,
  };
}

/** Deep equality that ignores key order and keys whose value is undefined. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export interface RuleContext {
  ownAddresses: readonly string[];
  capabilities: readonly string[];
  /** The user's folders, when known: a target that reads like one of them but is another is refused. */
  folders?: { paths: readonly string[]; delimiter: string };
}

/**
 * Field codes for one rule, keyed by path inside the rule (`conditions.0.value`). The app's
 * own checks come first (they are the clearer ones), then the Sieve layer's validateRule.
 */
export function ruleProblems(rule: Rule, context: RuleContext): Record<string, string> {
  const fields: Record<string, string> = {};
  const add = (path: string, code: string) => (fields[path] ??= code);
  // No name is fine (issue 18): the editor proposes one from the conditions, and the list
  // shows that proposal for a rule saved without one.
  const checkCondition = (c: Condition, path: string): void => {
    if (c.type === 'group') {
      c.conditions.forEach((inner, j) => checkCondition(inner, `${path}.conditions.${j}`));
      return;
    }
    if (c.type === 'header' && c.header.trim() === '') add(`${path}.header`, 'required');
    // An empty (or blank) value would match every message: never a catch-all by accident.
    if ((isTextCondition(c) || c.type === 'currentdate') && c.value.trim() === '') add(`${path}.value`, 'required');
    if (isTextCondition(c) && c.operator === 'regex' && !context.capabilities.includes('regex')) add(`${path}.operator`, 'unsupported');
    if (c.type === 'body' && !context.capabilities.includes('body')) add(`${path}.type`, 'unsupported');
    if (c.type === 'spamscore' && !context.capabilities.includes('spamtestplus')) add(`${path}.type`, 'unsupported');
    if (c.type === 'hasflag') {
      if (!context.capabilities.includes('imap4flags')) add(`${path}.type`, 'unsupported');
      c.flags.forEach((f, j) => {
        const problem = flagProblem(f);
        if (problem) add(`${path}.flags.${j}`, FLAG_CODES[problem]);
      });
    }
  };
  rule.conditions.forEach((c, i) => checkCondition(c, `conditions.${i}`));
  rule.actions.forEach((a, i) => {
    if (a.type === 'vacation' && a.from !== undefined) {
      const problem = replyFromProblem(a.from, context.ownAddresses);
      if (problem) add(`actions.${i}.from`, problem);
    }
    if (a.type === 'fileinto') {
      // The folder page's rules (folders/names.ts), and no second folder that looks like one she has.
      const problem = folderProblem(a.mailbox, context.folders?.delimiter);
      if (problem) add(`actions.${i}.mailbox`, problem);
      else if (context.folders && lookalikeFolder(a.mailbox, context.folders.paths, context.folders.delimiter) !== null) add(`actions.${i}.mailbox`, 'lookalike');
    } else if (a.type === 'redirect') {
      // The forwarding page's check: the same addresses are refused, with the same codes.
      const problem = forwardTargetProblem(a.address, context.ownAddresses);
      if (problem) add(`actions.${i}.address`, problem === 'invalid' ? 'invalid_address' : problem);
    }
    if ('flags' in a && a.flags !== undefined) {
      a.flags.forEach((f, j) => {
        const problem = flagProblem(f);
        if (problem) add(`actions.${i}.flags.${j}`, FLAG_CODES[problem]);
      });
    }
  });
  if (rule.actions.length === 0) add('actions', 'required');
  for (const issue of validateRule(rule)) add(issue.path || '(rule)', CODES[issue.code] ?? 'invalid');
  if (Object.keys(fields).length === 0) {
    const missing = missingCapabilities(requiredCapabilities([ruleToCommand(rule)]), context.capabilities);
    if (missing.length > 0) add('(rule)', 'unsupported');
  }
  return fields;
}

function validationError(fields: Record<string, string>): ApiError {
  return new ApiError('validation', `invalid filters: ${Object.entries(fields).slice(0, 20).map(([f, c]) => `${f}: ${c}`).join(', ')}`, { fields });
}

/** A rule as the model has it (zod filled the defaults). */
export const toRule = (input: RuleInput): Rule => input as Rule;

/**
 * The document with the user's filters and custom blocks replaced by `input`, in its order.
 * The app's sections keep their places; a rule whose content is unchanged keeps its original
 * text byte for byte (and an edited one its leading comments); a custom block is only moved.
 */
export function applyFilters(state: ScriptState, input: SaveFiltersInput, account: Account, folders?: RuleContext['folders'], otherExits = 0): SieveDocument {
  const doc = state.doc;
  const fields: Record<string, string> = {};
  const ids = customIds(doc);
  const customById = new Map([...ids].map(([block, id]) => [id, block]));
  const rulesById = new Map(filterItems(doc).flatMap((i) => (i.kind === 'rule' ? [[i.rule.id, i] as const] : [])));
  const context: RuleContext = { ownAddresses: allAddresses(classifyAddresses(account)), capabilities: state.options.capabilities, ...(folders ? { folders } : {}) };
  const usedCustom = new Set<string>();
  const usedRules = new Set<string>();
  const next: Array<RuleItem | CustomBlock> = [];
  let redirects = sectionRedirects(doc);

  input.items.forEach((item, i) => {
    if (item.kind === 'custom') {
      const block = customById.get(item.id);
      if (!block) fields[`items.${i}.id`] = 'unknown';
      else if (usedCustom.has(item.id)) fields[`items.${i}.id`] = 'duplicate';
      else {
        usedCustom.add(item.id);
        next.push(block);
        redirects += countRedirects(parseScript(block.text).commands);
      }
      return;
    }
    const { kind: _kind, ...fromInput } = item;
    const rule = toRule(fromInput);
    // Only a new or edited rule is held to the folder list: one saved before stays as it was.
    const before = rulesById.get(rule.id);
    const edited = !before || !sameValue(rule, before.rule);
    const problems = ruleProblems(rule, edited ? context : { ...context, folders: undefined });
    for (const [path, code] of Object.entries(problems)) fields[path === '(rule)' ? `items.${i}` : `items.${i}.${path}`] = code;
    if (Object.keys(problems).length > 0) return;
    if (rule.enabled) redirects += rule.actions.filter((a) => a.type === 'redirect').length;
    const old = rulesById.get(rule.id);
    if (old && !usedRules.has(rule.id)) {
      usedRules.add(rule.id);
      // Unchanged (whatever the key order the client sent): the very same model, so it prints
      // its original text, unless the user asked for an upgraded rule's corrected form.
      const rewrite = old.upgraded === true && input.upgrade.includes(rule.id);
      if (sameValue(rule, old.rule) && !rewrite) next.push(old);
      else next.push({ kind: 'rule', rule, ...(old.origin ? { origin: old.origin } : {}), ...(rewrite ? { rewrite: true as const } : {}) });
    } else {
      next.push({ kind: 'rule', rule });
    }
  });
  for (const id of input.deleteCustom) {
    if (!customById.has(id)) fields.deleteCustom = 'unknown';
    else if (usedCustom.has(id)) fields.deleteCustom = 'also_kept';
  }
  const missing = [...customById.keys()].filter((id) => !usedCustom.has(id) && !input.deleteCustom.includes(id));
  if (missing.length > 0) fields.items = 'custom_missing';
  const max = state.options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  // The directory's forwards (otherExits) share the limit (features/exits).
  if (redirects + otherExits > max && !fields.items) fields.items = 'too_many_redirects';
  if (Object.keys(fields).length > 0) throw validationError(fields);

  return withFilterItems(doc, next);
}

function counts(input: SaveFiltersInput): { rules: number; custom: number; customDeleted: number } {
  const rules = input.items.filter((i) => i.kind === 'rule').length;
  return { rules, custom: input.items.length - rules, customDeleted: input.deleteCustom.length };
}

function summary(input: SaveFiltersInput): string {
  const { rules, custom, customDeleted } = counts(input);
  return `filters: ${rules} rule(s), ${custom} custom block(s)${customDeleted > 0 ? `, ${customDeleted} custom block(s) deleted` : ''}`;
}

/** The user's folders, or null when they cannot be listed now (the target checks that need them are then skipped). */
export type FolderLister = (uid: string, clientAddress: string) => Promise<RuleContext['folders'] | null>;

export class FiltersService {
  constructor(
    private readonly scripts: ScriptStore,
    private readonly listFolders: FolderLister = async () => null,
    /** Exits outside the script (the directory's forwards): they count against the same limit. */
    private readonly otherExits: (account: Account) => Promise<number> = async () => 0,
  ) {}

  async get(uid: string, clientAddress: string): Promise<FiltersView> {
    return filtersView(await this.scripts.read(uid, { clientAddress }));
  }

  async save(account: Account, input: SaveFiltersInput, ifMatch: string | undefined, clientAddress: string): Promise<FiltersView> {
    const filesIntoFolders = input.items.some((i) => i.kind === 'rule' && i.actions.some((a) => a.type === 'fileinto'));
    const folders = filesIntoFolders ? ((await this.listFolders(account.uid, clientAddress)) ?? undefined) : undefined;
    const others = await this.otherExits(account);
    const state = await this.scripts.update(
      account.uid,
      {
        ifMatch,
        etagOf: filtersEtag,
        describe: filtersView,
        change: (current) => applyFilters(current, input, account, folders, others),
        audit: summary(input),
        history: { what: 'filters', details: counts(input) },
      },
      { clientAddress },
    );
    return filtersView(state);
  }

  /** Sections whose Sieve no longer matches what the app wrote (after a raw edit). */
  static handEdited(state: ScriptState): string[] {
    return readAppSettings(state.doc, state.options).handEdited;
  }
}
