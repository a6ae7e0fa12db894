import type { Account, AmavisSettings, Directory } from '../../backends/ldap/directory';
import type { AppConfig } from '../../config/load';
import { ApiError } from '../../http/errors';
import { isDomain, normalizeAddress } from '../../shared/mail-address';
import { checkAddress } from '../../sieve/rules/validate';
import type { ValidationIssue } from '../../sieve';
import { assembleDocument, lowestSpamThreshold, readAppSettings, spamThresholdMatchesAll, spamThresholdTest, type SenderLists, type SpamSettings } from '../../sieve';
import { etagOf, sectionText, type ScriptState, type ScriptStore } from '../script/store';
import { spamDeliveryOf } from './delivery';
import type { SpamInput, SpamLevel, SpamView } from './schemas';

/** The site's spam settings, and how long its content filter keeps held mail (null: no quarantine in this app). */
export type SpamPolicy = AppConfig['spam'] & { quarantineDays?: number | null };

export function spamEtag(state: ScriptState): string {
  return etagOf('spam', sectionText(state, 'spam'), sectionText(state, 'allow-block'), state.foreignActive ?? '');
}

/**
 * Without a spam section, what happens depends on whose script runs: with none at all, the
 * site default files tagged mail (Standard); with a script of the user's own (or another
 * tool's), nothing of ours does, so the truthful answer is Off.
 */
function levelOf(spam: SpamSettings | undefined, state: ScriptState, policy: SpamPolicy): SpamLevel {
  if (!spam) return state.active || state.foreignActive !== null ? 'off' : 'standard';
  if (spam.threshold === null && spam.enabled !== false) return 'standard';
  if (spam.enabled === false) return 'off';
  if (spam.threshold === policy.presets.lenient) return 'lenient';
  if (spam.threshold === policy.presets.strict) return 'strict';
  return 'custom';
}

function thresholdOf(level: SpamLevel, custom: number | null, policy: SpamPolicy): number | null {
  switch (level) {
    case 'lenient':
      return policy.presets.lenient;
    case 'strict':
      return policy.presets.strict;
    case 'custom':
      return custom;
    default:
      return null;
  }
}

export function spamView(state: ScriptState, policy: SpamPolicy): SpamView {
  const read = readAppSettings(state.doc, state.options);
  const spam = read.spam;
  const level = levelOf(spam, state, policy);
  const threshold = spam?.threshold ?? null;
  return {
    etag: spamEtag(state),
    handEdited: read.handEdited.includes('spam') || read.handEdited.includes('allow-block'),
    foreignScript: state.foreignActive === null ? null : { name: state.foreignActive },
    spam: {
      level,
      threshold,
      folder: spam?.folder === 'Junk' ? 'Junk' : 'SPAM',
      discardAbove: spam?.discardAbove ?? null,
      allow: read.senders?.allow ?? [],
      block: read.senders?.block ?? [],
      blockAction: read.senders?.blockAction ?? 'discard',
    },
    presets: [
      { level: 'off', threshold: null },
      { level: 'lenient', threshold: policy.presets.lenient },
      { level: 'standard', threshold: null },
      { level: 'strict', threshold: policy.presets.strict },
    ],
    siteThreshold: policy.siteThreshold,
    quarantineScore: policy.quarantineScore,
    effectiveThreshold: threshold === null || level === 'off' ? null : effectiveThreshold(threshold, state),
    lowestThreshold: lowestSpamThreshold({ maxValue: state.options.spamtestMaxValue, capabilities: state.options.capabilities }),
    maxListEntries: policy.maxListEntries,
    delivery: safeDelivery(state, spam, policy.siteThreshold),
    held: heldOf(spam, policy),
  };
}

/**
 * What the site's content filter holds back before delivery. With the amavis attributes written
 * (spam.amavisLdap), the user's "delete above" score is amavisd's kill level for her: such mail
 * is quarantined for the retention, so the page says "held" with her number (her Sieve still
 * deletes from it what reaches it unscanned: `delivery` stays what the Sieve does); otherwise
 * the filter holds from the site's level and her Sieve deletes from hers.
 */
function heldOf(spam: SpamSettings | undefined, policy: SpamPolicy): SpamView['held'] {
  const days = policy.quarantineDays ?? null;
  if (days === null) return null;
  const own = policy.amavisLdap && spam?.enabled !== false && spam?.discardAbove != null ? spam.discardAbove : null;
  return { from: own ?? policy.quarantineScore, days, followsDiscard: policy.amavisLdap };
}

/** A section holding a threshold the scale refuses (written by an older version) is shown as
 *  what its Sieve does: it matches every message. */
function safeDelivery(state: ScriptState, spam: SpamSettings | undefined, siteThreshold: number): SpamView['delivery'] {
  try {
    return spamDeliveryOf(state, spam, siteThreshold);
  } catch {
    return { filing: 'score', folder: spam?.folder ?? 'SPAM', from: 0, discardFrom: null };
  }
}

function effectiveThreshold(threshold: number, state: ScriptState): number | null {
  try {
    return spamThresholdTest(threshold, { maxValue: state.options.spamtestMaxValue, capabilities: state.options.capabilities }).effectiveThreshold;
  } catch {
    return null;
  }
}

/**
 * The server compares scores on a coarse scale (spamtest 1..10, or percent): a threshold
 * whose level is the one a score of 0 gets would file every message, unscanned ones too.
 * Refused per field; the view tells the lowest accepted score.
 */
function checkThresholdScale(spam: SpamSettings, state: ScriptState): void {
  if (spam.enabled === false || spam.threshold === null) return;
  const scale = { maxValue: state.options.spamtestMaxValue, capabilities: state.options.capabilities };
  if (spamThresholdMatchesAll(spam.threshold, scale)) {
    throw new ApiError('validation', `a threshold of ${spam.threshold} would file every message: the lowest is ${lowestSpamThreshold(scale)}`, {
      fields: { threshold: 'below_scale' },
    });
  }
}

/** Field codes for the lists: not an address or domain, duplicates, too many. */
function checkList(name: 'allow' | 'block', values: string[], max: number, fields: Record<string, string>): string[] {
  const normalized = values.map(normalizeAddress);
  if (normalized.length > max) fields[name] = 'too_many';
  normalized.forEach((entry, i) => {
    // `.example.org`: the domain and its subdomains.
    const ok = entry.includes('@') ? isMailAddress(entry) : isDomain(entry.startsWith('.') ? entry.slice(1) : entry);
    if (!ok) fields[`${name}.${i}`] ??= 'not_address_or_domain';
    else if (normalized.indexOf(entry) !== i) fields[`${name}.${i}`] ??= 'duplicate';
  });
  return normalized;
}

/** Turns the input into the section settings, or refuses with field codes. */
export function spamSettings(input: SpamInput, policy: SpamPolicy): { spam: SpamSettings; senders: SenderLists } {
  const fields: Record<string, string> = {};
  const threshold = thresholdOf(input.level, input.threshold, policy);
  if (input.level === 'custom') {
    if (input.threshold === null) fields.threshold = 'required';
    else if (input.threshold <= 0 || input.threshold >= policy.quarantineScore) fields.threshold = 'out_of_range';
  }
  const lowest = threshold ?? policy.siteThreshold;
  if (input.discardAbove !== null) {
    if (input.discardAbove > policy.quarantineScore || input.discardAbove <= 0) fields.discardAbove = 'out_of_range';
    else if (input.discardAbove <= lowest) fields.discardAbove = 'discard_below_threshold';
  }
  const allow = checkList('allow', input.allow, policy.maxListEntries, fields);
  const block = checkList('block', input.block, policy.maxListEntries, fields);
  block.forEach((entry, i) => {
    if (allow.includes(entry)) fields[`block.${i}`] ??= 'duplicate';
  });
  if (Object.keys(fields).length > 0) {
    throw new ApiError('validation', `invalid spam settings: ${Object.entries(fields).map(([f, c]) => `${f}: ${c}`).join(', ')}`, { fields });
  }
  return {
    spam: {
      ...(input.level === 'off' ? { enabled: false } : {}),
      threshold,
      folder: input.folder,
      ...(input.discardAbove !== null ? { discardAbove: input.discardAbove } : {}),
    },
    senders: { allow, block, blockAction: input.blockAction, ...(input.blockAction === 'folder' ? { blockFolder: input.folder } : {}) },
  };
}

/**
 * What the relays should apply for these settings (amavisd-new LDAP lookups): the user's
 * filing score as her tag2 level (none: the site's), her discard score as kill level, and the
 * lists, domains written `@domain`, a domain with its subdomains `@.domain` (amavisd-new's
 * lookup forms).
 */
export function amavisSettingsFor(settings: { spam: SpamSettings; senders: SenderLists }): AmavisSettings {
  const lookup = (entry: string) => (entry.includes('@') ? entry : `@${entry}`);
  const filing = settings.spam.enabled === false ? null : settings.spam.threshold;
  return {
    tag2Level: filing,
    killLevel: settings.spam.enabled === false ? null : (settings.spam.discardAbove ?? null),
    whitelist: settings.senders.allow.map(lookup),
    blacklist: settings.senders.block.map(lookup),
  };
}

export class SpamService {
  constructor(
    private readonly scripts: ScriptStore,
    private readonly policy: SpamPolicy,
    private readonly directory?: Directory,
  ) {}

  async get(uid: string, clientAddress: string): Promise<SpamView> {
    return spamView(await this.scripts.read(uid, { clientAddress }), this.policy);
  }

  /**
   * The ETag is checked and the script written first; the relays' copy in LDAP (when the site
   * uses it) is written next, in the same serialized step, and a failure there puts the
   * script back: a refused or failed save changes nothing anywhere, and two saves racing from
   * the same version leave the winner's values in both places.
   */
  async save(account: Account, input: SpamInput, ifMatch: string | undefined, clientAddress: string): Promise<SpamView> {
    const settings = spamSettings(input, this.policy);
    const directory = this.policy.amavisLdap ? this.directory : undefined;
    const state = await this.scripts.update(
      account.uid,
      {
        ifMatch,
        etagOf: spamEtag,
        describe: (current) => spamView(current, this.policy),
        change: (current) => {
          checkThresholdScale(settings.spam, current);
          return assembleDocument(current.doc, settings, current.options);
        },
        audit: `spam ${input.level}${input.level === 'custom' ? ` ${input.threshold}` : ''}, ${settings.senders.allow.length} allowed, ${settings.senders.block.length} blocked`,
        history: {
          what: 'spam',
          details: { level: input.level, ...(input.level === 'custom' && input.threshold != null ? { threshold: input.threshold } : {}), allowed: settings.senders.allow.length, blocked: settings.senders.block.length },
        },
        ...(directory ? { alongside: () => directory.writeAmavisSettings(account.dn, amavisSettingsFor(settings)).catch(directoryTrouble) } : {}),
      },
      { clientAddress },
    );
    return spamView(state, this.policy);
  }
}

function directoryTrouble(): never {
  throw new ApiError('directory_unavailable', 'the directory (LDAP) did not take the change, so your filter was put back as it was: nothing was changed, try again in a few minutes');
}

/** An address Sieve can carry and mail can reach (the Sieve layer's syntax, one for the whole API). */
function isMailAddress(value: string): boolean {
  const issues: ValidationIssue[] = [];
  checkAddress(issues, 'address', value);
  return issues.length === 0;
}
