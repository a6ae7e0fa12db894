import { allof, anyof, command, not, str, strList, tag, test, type Command, type Test } from './ast.js';
import { parseDocument } from './document/parse-document.js';
import { APP_SECTIONS, appBeginMarker, appEndMarker, type SectionName } from './document/markers.js';
import type { AppSection, DocumentItem, SieveDocument } from './document/model.js';
import { printDocument } from './document/print-document.js';
import { SieveValidationError, type ValidationIssue } from './errors.js';
import { isDomain } from '../shared/mail-address.js';
import { checkAddress } from './rules/validate.js';
import { spamThresholdTest } from './spam.js';
import { renderTemplate, type TemplateValue } from './templates.js';
import { readTemplate } from './template-files.js';

export interface SenderLists {
  /** Addresses or whole domains exempt from the spam section (and only from it). */
  allow: string[];
  /** Addresses or whole domains whose mail is stopped before anything else runs. */
  block: string[];
  /** What happens to blocked mail: discarded (default) or filed into `blockFolder`. */
  blockAction?: 'discard' | 'folder';
  blockFolder?: string;
}

export interface SpamSettings {
  /** false: the user turned spam filing off. The section stays (empty) so the choice is kept
   *  and the site default is not added back. Default true. */
  enabled?: boolean;
  /** Score at or over which mail is filed; null files what amavisd-new tagged (X-Spam-Flag). */
  threshold: number | null;
  folder: string;
  /** Score at or over which mail is discarded without trace; null or absent: never. */
  discardAbove?: number | null;
}

export interface ForwardingSettings {
  addresses: string[];
  keepCopy: boolean;
}

/** `YYYY-MM-DDTHH:MM:SS`, a UTC instant, as compared with `currentdate :zone "+0000"`. */
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export interface VacationSettings {
  /** false: no replies, but the message is kept for next time (an empty section). Default true. */
  enabled?: boolean;
  body: string;
  subject?: string;
  from?: string;
  /** All the user's addresses: replies are sent only to mail addressed to one of them, and
   *  never to mail from one of them. */
  addresses?: string[];
  days?: number;
  seconds?: number;
  /** UTC instants (`YYYY-MM-DDTHH:MM:SS`): replies from `start` (inclusive) until `end`
   *  (exclusive). UTC, so the window does not move with daylight saving time. */
  start?: string;
  end?: string;
  /** The user's IANA time zone, kept only so the window is shown as it was entered. */
  timeZone?: string;
  /** Local parts of machine senders (lower case, no wildcards): no reply when the envelope
   *  sender's or the From address's local part is one of them, alone or with a +detail. */
  noReplyLocalParts?: string[];
  /** true: no reply to mail the site's filter flagged as spam (X-Spam-Flag: YES), whatever
   *  the user's own spam level does with it. */
  skipFlaggedSpam?: boolean;
}

/**
 * What to (re)generate. A key left out keeps that section as it is; `null` removes it.
 * The spam section embeds the allow list, so `senders` and `spam` change together.
 */
export interface ScriptSettings {
  senders?: SenderLists | null;
  spam?: SpamSettings | null;
  forwarding?: ForwardingSettings | null;
  vacation?: VacationSettings | null;
}

export interface AssembleOptions {
  /** The server's SIEVE capability list. */
  capabilities: readonly string[];
  /** Pigeonhole's `sieve_spamtest_max_value`. */
  spamtestMaxValue: number;
  /** ManageSieve MAXREDIRECTS (Dovecot's default is 4). */
  maxRedirects?: number;
}

/**
 * The state line: the section's settings as JSON, right after its begin marker, so the app
 * reads back exactly what it wrote. A section whose Sieve no longer matches its state (edited
 * by hand) is reported as such, never silently trusted.
 */
const STATE_PREFIX = '# emailng:state ';

/** The settings each section's state line carries. */
interface SectionStates {
  'allow-block': { block: string[]; blockAction: 'discard' | 'folder'; blockFolder?: string };
  spam: { spam: SpamSettings; allow: string[] };
  forwarding: ForwardingSettings;
  vacation: VacationSettings;
}

/**
 * Writes the app's sections into the document: sender lists → spam → forwarding → vacation
 * (docs/ARCHITECTURE.md, The user's Sieve script), then the user's filters and custom blocks in their own order.
 * Throws SieveValidationError for a bad value.
 */
export function assembleDocument(doc: SieveDocument, settings: ScriptSettings, options: AssembleOptions): SieveDocument {
  if (settings.senders !== undefined && settings.spam === undefined && doc.items.some((i) => i.kind === 'section' && i.name === 'spam')) {
    throw new TypeError('the spam section holds the allow list: pass spam settings together with senders');
  }
  const existing = new Map<SectionName, AppSection>();
  for (const item of doc.items) if (item.kind === 'section' && !existing.has(item.name)) existing.set(item.name, item);

  const sections: AppSection[] = [];
  for (const name of APP_SECTIONS) {
    const state = stateFor(name, settings);
    if (state === undefined) {
      const kept = existing.get(name);
      if (kept) sections.push(kept);
      continue;
    }
    if (state === null) continue;
    const text = renderSection(name, state, options, doc.newline);
    const previous = existing.get(name);
    sections.push({ kind: 'section', name, text, leading: previous?.leading ?? '', ...(previous ? { originText: previous.originText } : {}) });
  }
  const others: DocumentItem[] = doc.items.filter((i) => i.kind !== 'section');
  return { ...doc, items: [...sections, ...others] };
}

/**
 * Writes the user's script with the given settings. Untouched parts print byte-identical;
 * `require` is extended with what the new sections use. Throws SieveValidationError for a bad
 * value, SieveCapabilityError for a missing extension.
 */
export function assembleScript(current: SieveDocument | string | null, settings: ScriptSettings, options: AssembleOptions): string {
  const doc = typeof current === 'string' ? parseDocument(current) : (current ?? parseDocument(''));
  return printDocument(assembleDocument(doc, settings, options), { capabilities: options.capabilities });
}

export interface AppSettingsRead {
  senders?: SenderLists;
  spam?: SpamSettings;
  forwarding?: ForwardingSettings;
  vacation?: VacationSettings;
  /** Sections whose Sieve differs from what their settings would write: edited by hand, or
   *  written by another version. Their settings (if readable) are still returned. */
  handEdited: SectionName[];
}

/** Reads the settings the app's sections carry, checking each against its Sieve. */
export function readAppSettings(doc: SieveDocument, options: AssembleOptions): AppSettingsRead {
  const read: AppSettingsRead = { handEdited: [] };
  for (const item of doc.items) {
    if (item.kind !== 'section') continue;
    const state = readState(item);
    if (state === null) {
      read.handEdited.push(item.name);
      continue;
    }
    if (!rendersAs(item, state, options, doc.newline)) read.handEdited.push(item.name);
    switch (item.name) {
      case 'allow-block': {
        const s = state as SectionStates['allow-block'];
        read.senders = { allow: read.senders?.allow ?? [], block: s.block, blockAction: s.blockAction, ...(s.blockFolder ? { blockFolder: s.blockFolder } : {}) };
        break;
      }
      case 'spam': {
        const s = state as SectionStates['spam'];
        read.spam = s.spam;
        read.senders = { block: [], ...read.senders, allow: s.allow };
        break;
      }
      case 'forwarding':
        read.forwarding = state as SectionStates['forwarding'];
        break;
      case 'vacation':
        read.vacation = state as SectionStates['vacation'];
        break;
    }
  }
  return read;
}

function rendersAs(section: AppSection, state: unknown, options: AssembleOptions, newline: '\r\n' | '\n'): boolean {
  try {
    return renderSection(section.name, state as SectionStates[SectionName], options, newline) === section.text;
  } catch {
    return false; // a state the renderer refuses was not written by us
  }
}

function readState(section: AppSection): unknown {
  const line = section.text.split(/\r?\n/)[1] ?? '';
  if (!line.startsWith(STATE_PREFIX)) return null;
  try {
    const value: unknown = JSON.parse(line.slice(STATE_PREFIX.length));
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}

/** The state to write for a section: undefined keeps it, null removes it. */
function stateFor(name: SectionName, s: ScriptSettings): SectionStates[SectionName] | null | undefined {
  switch (name) {
    case 'allow-block':
      if (s.senders === undefined) return undefined;
      if (s.senders === null || s.senders.block.length === 0) return null;
      return {
        block: s.senders.block,
        blockAction: s.senders.blockAction ?? 'discard',
        ...(s.senders.blockAction === 'folder' ? { blockFolder: s.senders.blockFolder ?? 'SPAM' } : {}),
      };
    case 'spam':
      if (s.spam === undefined) return undefined;
      return s.spam === null ? null : { spam: s.spam, allow: s.senders?.allow ?? [] };
    case 'forwarding':
      if (s.forwarding === undefined) return undefined;
      return s.forwarding === null || s.forwarding.addresses.length === 0 ? null : s.forwarding;
    case 'vacation':
      return s.vacation;
  }
}

/** The section's text: begin marker, state line, the template's Sieve, end marker. */
function renderSection<N extends SectionName>(name: N, state: SectionStates[N], options: AssembleOptions, newline: '\r\n' | '\n'): string {
  const sieve = renderSieve(name, state, options, newline);
  const begin = appBeginMarker(name) + newline;
  const stateLine = STATE_PREFIX + JSON.stringify(state) + newline;
  if (sieve === null) return begin + stateLine + appEndMarker(name) + newline;
  if (!sieve.startsWith(begin)) throw new Error(`template ${name} must start with its begin marker`);
  return begin + stateLine + sieve.slice(begin.length);
}

function renderSieve(name: SectionName, state: SectionStates[SectionName], options: AssembleOptions, newline: '\r\n' | '\n'): string | null {
  const render = (values: Record<string, TemplateValue>) => renderTemplate(readTemplate(name), values, { newline });
  switch (name) {
    case 'allow-block': {
      const s = state as SectionStates['allow-block'];
      checkSenders('senders.block', s.block);
      const action = s.blockAction === 'folder' ? fileinto(s.blockFolder ?? 'SPAM', options) : command('discard');
      return render({ is_blocked: senderTest(s.block), action: [action] });
    }
    case 'spam': {
      const { spam, allow } = state as SectionStates['spam'];
      checkSenders('senders.allow', allow);
      if (spam.enabled === false) return null;
      const tests = spamTests(spam, options);
      const exempt = (t: Test) => (allow.length > 0 ? allof([not(senderTest(allow)), t]) : t);
      return render({
        discard_test: tests.discard ? exempt(tests.discard) : undefined,
        is_spam: exempt(tests.file),
        folder: spam.folder,
        create: options.capabilities.includes('mailbox'),
      });
    }
    case 'forwarding': {
      const s = state as SectionStates['forwarding'];
      checkAddresses('forwarding.addresses', s.addresses);
      const max = options.maxRedirects ?? 4;
      if (s.addresses.length > max) {
        throw new SieveValidationError([{ code: 'too-many-redirects', path: 'forwarding.addresses', message: `the server allows at most ${max} forwarding addresses` }]);
      }
      const copy = s.keepCopy ? [tag('copy')] : [];
      return render({ redirects: s.addresses.map((a) => command('redirect', [...copy, str(a)])) });
    }
    case 'vacation': {
      const v = state as SectionStates['vacation'];
      const issues: ValidationIssue[] = [];
      for (const [key, instant] of [['start', v.start], ['end', v.end]] as const) {
        if (instant !== undefined && !UTC_INSTANT.test(instant)) {
          issues.push({ code: 'invalid-date', path: `vacation.${key}`, message: `vacation.${key} must be a UTC instant like 2025-07-01T06:00:00` });
        }
      }
      if (issues.length > 0) throw new SieveValidationError(issues);
      if (v.enabled === false) return null;
      return render({
        when: vacationCondition(v),
        days: v.seconds === undefined ? (v.days ?? 7) : undefined,
        seconds: v.seconds,
        subject: v.subject,
        from: v.from,
        addresses: v.addresses,
        body: v.body,
      });
    }
  }
}

function fileinto(folder: string, options: AssembleOptions): Command {
  return command('fileinto', [...(options.capabilities.includes('mailbox') ? [tag('create')] : []), str(folder)]);
}

function spamTests(spam: SpamSettings, options: AssembleOptions): { file: Test; discard?: Test } {
  const byScore = (score: number) => spamThresholdTest(score, { maxValue: options.spamtestMaxValue, capabilities: options.capabilities }).test;
  const file = spam.threshold === null ? test('header', [tag('is'), str('X-Spam-Flag'), str('YES')]) : byScore(spam.threshold);
  const discardAbove = spam.discardAbove ?? null;
  if (discardAbove === null) return { file };
  if (spam.threshold !== null && discardAbove <= spam.threshold) {
    throw new SieveValidationError([{ code: 'invalid-number', path: 'spam.discardAbove', message: 'the discard score must be above the spam threshold' }]);
  }
  return { file, discard: byScore(discardAbove) };
}

/**
 * No reply to mailing lists and bulk mail, to automatic messages, or to the user's own
 * addresses — whatever Pigeonhole's own checks already catch, stated here so the rule holds
 * on any server — and only inside the date window.
 */
function vacationCondition(v: VacationSettings): Test {
  const utc = [tag('zone'), str('+0000')];
  return allof([
    ...(v.start !== undefined ? [test('currentdate', [...utc, tag('value'), str('ge'), str('iso8601'), str(v.start)])] : []),
    ...(v.end !== undefined ? [test('currentdate', [...utc, tag('value'), str('lt'), str('iso8601'), str(v.end)])] : []),
    not(test('exists', [strList(['List-Id', 'List-Unsubscribe', 'List-Post'])])),
    not(test('header', [tag('contains'), strList(['Precedence']), strList(['bulk', 'list', 'junk'])])),
    not(test('header', [tag('contains'), strList(['Auto-Submitted']), strList(['auto-'])])),
    ...(v.addresses && v.addresses.length > 0 ? [not(test('address', [tag('is'), str('from'), strList(v.addresses)]))] : []),
    ...(v.skipFlaggedSpam ? [not(test('header', [tag('is'), str('X-Spam-Flag'), str('YES')]))] : []),
    ...machineSenderTests(v.noReplyLocalParts ?? []),
  ]);
}

/** A machine sender's local part: the envelope sender's (where the reply would go) and the
 *  From address's (display names and case do not matter: `address` parses, the default
 *  comparator is i;ascii-casemap). `name+detail` counts as `name`. */
function machineSenderTests(localParts: readonly string[]): Test[] {
  if (localParts.length === 0) return [];
  const issues: ValidationIssue[] = [];
  localParts.forEach((p, i) => {
    if (!NO_REPLY_LOCAL_PART.test(p)) issues.push({ code: 'invalid-address', path: `vacation.noReplyLocalParts.${i}`, message: `"${p}" is not a plain local part` });
  });
  if (issues.length > 0) throw new SieveValidationError(issues);
  const patterns = strList(localParts.flatMap((p) => [p, `${p}+*`]));
  return [
    not(test('envelope', [tag('localpart'), tag('matches'), str('from'), patterns])),
    not(test('address', [tag('localpart'), tag('matches'), str('from'), patterns])),
  ];
}

/** Letters, digits, ".", "-", "_": nothing a :matches pattern would read as a wildcard. */
const NO_REPLY_LOCAL_PART = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * `From` is one of the addresses, or in one of the domains (entries without `@`); an entry
 * written `.example.org` covers example.org and every subdomain of it. Domains hold no `*` or
 * `?`, so `*.example.org` is a safe :matches pattern.
 */
function senderTest(entries: readonly string[]): Test {
  const addresses = entries.filter((e) => e.includes('@'));
  const subtrees = entries.filter((e) => !e.includes('@') && e.startsWith('.')).map((e) => e.slice(1));
  const domains = [...entries.filter((e) => !e.includes('@') && !e.startsWith('.')), ...subtrees];
  const tests = [
    ...(addresses.length > 0 ? [test('address', [tag('is'), str('from'), strList(addresses)])] : []),
    ...(domains.length > 0 ? [test('address', [tag('domain'), tag('is'), str('from'), strList(domains)])] : []),
    ...(subtrees.length > 0 ? [test('address', [tag('domain'), tag('matches'), str('from'), strList(subtrees.map((d) => `*.${d}`))])] : []),
  ];
  return tests.length === 1 ? (tests[0] as Test) : anyof(tests);
}

function checkSenders(path: string, entries: readonly string[]): void {
  const issues: ValidationIssue[] = [];
  entries.forEach((entry, i) => {
    if (entry.includes('@')) checkAddress(issues, `${path}.${i}`, entry);
    else if (!isDomain(entry.startsWith('.') ? entry.slice(1) : entry)) issues.push({ code: 'invalid-address', path: `${path}.${i}`, message: `${path}.${i} is neither an address nor a domain` });
  });
  if (issues.length > 0) throw new SieveValidationError(issues);
}

function checkAddresses(path: string, addresses: readonly string[]): void {
  const issues: ValidationIssue[] = [];
  addresses.forEach((a, i) => checkAddress(issues, `${path}.${i}`, a));
  if (issues.length > 0) throw new SieveValidationError(issues);
}
