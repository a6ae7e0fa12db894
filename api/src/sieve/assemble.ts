import { allof, command, not, str, strList, tag, test, type Test } from './ast.js';
import { parseDocument } from './document/parse-document.js';
import { APP_SECTIONS, type SectionName } from './document/markers.js';
import type { AppSection, DocumentItem, SieveDocument } from './document/model.js';
import { printDocument } from './document/print-document.js';
import { SieveValidationError, type ValidationIssue } from './errors.js';
import { checkAddress } from './rules/validate.js';
import { spamThresholdTest } from './spam.js';
import { renderTemplate, type TemplateValue } from './templates.js';
import { readTemplate } from './template-files.js';

export interface SenderLists {
  /** Exempt from the spam section (and only from it). */
  allow: string[];
  /** Discarded before anything else runs. */
  block: string[];
}

export interface SpamSettings {
  /** Score at or over which mail is filed; null files what amavisd-new tagged (X-Spam-Flag). */
  threshold: number | null;
  folder: string;
}

export interface ForwardingSettings {
  addresses: string[];
  keepCopy: boolean;
}

export interface VacationSettings {
  body: string;
  subject?: string;
  from?: string;
  addresses?: string[];
  days?: number;
  seconds?: number;
  /** yyyy-mm-dd, inclusive, in the server's zone. */
  start?: string;
  end?: string;
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

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Writes the user's script: sender lists → spam → forwarding → vacation (DESIGN decision 3),
 * then the user's filters and custom blocks in their own order. Untouched parts print
 * byte-identical; `require` is extended with what the new sections use. Throws
 * SieveValidationError for a bad value, SieveCapabilityError for a missing extension.
 */
export function assembleScript(current: SieveDocument | string | null, settings: ScriptSettings, options: AssembleOptions): string {
  const doc = typeof current === 'string' ? parseDocument(current) : (current ?? parseDocument(''));
  if (settings.senders !== undefined && settings.spam === undefined && doc.items.some((i) => i.kind === 'section' && i.name === 'spam')) {
    throw new TypeError('the spam section holds the allow list: pass spam settings together with senders');
  }
  const existing = new Map<SectionName, AppSection>();
  for (const item of doc.items) if (item.kind === 'section' && !existing.has(item.name)) existing.set(item.name, item);

  const sections: AppSection[] = [];
  for (const name of APP_SECTIONS) {
    const wanted = settingFor(name, settings);
    if (wanted === undefined) {
      const kept = existing.get(name);
      if (kept) sections.push(kept);
      continue;
    }
    const text = renderSection(name, settings, options, doc.newline);
    if (text === null) continue;
    const previous = existing.get(name);
    sections.push({ kind: 'section', name, text, leading: previous?.leading ?? '', ...(previous ? { originText: previous.originText } : {}) });
  }
  const others: DocumentItem[] = doc.items.filter((i) => i.kind !== 'section');
  return printDocument({ ...doc, items: [...sections, ...others] }, { capabilities: options.capabilities });
}

function settingFor(name: SectionName, s: ScriptSettings): unknown {
  switch (name) {
    case 'allow-block':
      return s.senders;
    case 'spam':
      return s.spam;
    case 'forwarding':
      return s.forwarding;
    case 'vacation':
      return s.vacation;
  }
}

/** The section's text, or null when the settings ask for no section. */
function renderSection(name: SectionName, s: ScriptSettings, options: AssembleOptions, newline: '\r\n' | '\n'): string | null {
  const render = (values: Record<string, TemplateValue>) => renderTemplate(readTemplate(name), values, { newline });
  switch (name) {
    case 'allow-block': {
      const block = s.senders?.block ?? [];
      checkAddresses('senders.block', block);
      checkAddresses('senders.allow', s.senders?.allow ?? []);
      return block.length > 0 ? render({ block }) : null;
    }
    case 'spam': {
      if (!s.spam) return null;
      const base = s.spam.threshold === null ? test('header', [tag('is'), str('X-Spam-Flag'), str('YES')]) : spamThresholdTest(s.spam.threshold, { maxValue: options.spamtestMaxValue, capabilities: options.capabilities }).test;
      const allow = s.senders?.allow ?? [];
      const isSpam = allow.length > 0 ? allof([not(test('address', [tag('is'), str('from'), strList(allow)])), base]) : base;
      return render({ is_spam: isSpam, folder: s.spam.folder, create: options.capabilities.includes('mailbox') });
    }
    case 'forwarding': {
      if (!s.forwarding || s.forwarding.addresses.length === 0) return null;
      checkAddresses('forwarding.addresses', s.forwarding.addresses);
      const max = options.maxRedirects ?? 4;
      if (s.forwarding.addresses.length > max) {
        throw new SieveValidationError([{ code: 'too-many-redirects', path: 'forwarding.addresses', message: `the server allows at most ${max} forwarding addresses` }]);
      }
      const copy = s.forwarding.keepCopy ? [tag('copy')] : [];
      return render({ redirects: s.forwarding.addresses.map((a) => command('redirect', [...copy, str(a)])) });
    }
    case 'vacation': {
      const v = s.vacation;
      if (!v) return null;
      const issues: ValidationIssue[] = [];
      for (const [key, date] of [['start', v.start], ['end', v.end]] as const) {
        if (date !== undefined && !DATE.test(date)) issues.push({ code: 'invalid-date', path: `vacation.${key}`, message: `vacation.${key} must be a date like 2025-07-01` });
      }
      if (issues.length > 0) throw new SieveValidationError(issues);
      return render({
        when: vacationWindow(v.start, v.end),
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

function vacationWindow(start: string | undefined, end: string | undefined): Test {
  const bounds = [
    ...(start !== undefined ? [test('currentdate', [tag('value'), str('ge'), str('date'), str(start)])] : []),
    ...(end !== undefined ? [test('currentdate', [tag('value'), str('le'), str('date'), str(end)])] : []),
  ];
  if (bounds.length === 0) return test('true');
  return bounds.length === 1 ? (bounds[0] as Test) : allof(bounds);
}

function checkAddresses(path: string, addresses: readonly string[]): void {
  const issues: ValidationIssue[] = [];
  addresses.forEach((a, i) => checkAddress(issues, `${path}.${i}`, a));
  if (issues.length > 0) throw new SieveValidationError(issues);
}
