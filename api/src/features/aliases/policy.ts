import type { AppConfig } from '../../config/load';
import { isReservedLocalPart, reservedSkeletons, serviceAccountNames } from './reserved';

/**
 * The alias policy (docs/ARCHITECTURE.md, Site policies): a user may define additional aliases (default: one) whose
 * local part is at least `minLocalPartLength` characters of ASCII letters, digits and the
 * configured punctuation, in the site's domain. Pure code: no directory, no I/O.
 */
export interface AliasPolicy {
  domain: string;
  maxAdditional: number;
  minLocalPartLength: number;
  /** RFC 5321: a local part has at most 64 octets. */
  maxLocalPartLength: number;
  /** Allowed besides ASCII letters and digits, e.g. ".-". */
  punctuation: string;
  /** Skeletons (see reserved.ts) of the role and system names nobody may take. */
  reserved: ReadonlySet<string>;
}

/** RFC 5321 limits. */
export const MAX_LOCAL_PART = 64;
export const MAX_ADDRESS = 254;

export function aliasPolicy(config: Pick<AppConfig, 'aliases' | 'mail' | 'ldap' | 'masterUser'>): AliasPolicy {
  return {
    domain: (config.aliases.domain ?? config.mail.domain).toLowerCase(),
    maxAdditional: config.aliases.maxAdditional,
    minLocalPartLength: config.aliases.minLocalPartLength,
    maxLocalPartLength: MAX_LOCAL_PART,
    punctuation: config.aliases.punctuation,
    reserved: reservedSkeletons([...config.aliases.reserved, ...serviceAccountNames(config.ldap.serviceDn, config.masterUser.name)]),
  };
}

/**
 * Field codes the UI translates (in `fields.address` of a `validation` error, or as the
 * `reason` of an availability answer):
 * - required: empty
 * - too_long: over 64 characters before the @ (or 254 in all)
 * - too_short: fewer than minLocalPartLength characters before the @
 * - invalid_characters: anything but ASCII letters, digits and the allowed punctuation
 *   (spaces, Greek, emoji, `*`, `(`, `\`, NUL …), or more than one @
 * - bad_punctuation: starts or ends with a dot/hyphen/underscore, or has two dots in a row
 * - wrong_domain: an @ followed by a domain other than the site's
 * - role_address: a role or system name (postmaster, abuse, mailer-daemon, the site's list…),
 *   in any spelling that reads the same (see reserved.ts)
 */
export type PolicyCode = 'required' | 'too_long' | 'too_short' | 'invalid_characters' | 'bad_punctuation' | 'wrong_domain' | 'role_address';

export type PolicyResult =
  | { ok: true; /** lower-case, full address */ address: string; localPart: string }
  | { ok: false; code: PolicyCode };

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, (c) => `\\${c}`);
}

/**
 * Checks a requested alias against the policy and normalizes it. Accepts the full address
 * (`name@domain`, the site's domain only) or just the local part (the domain is added); the
 * answer is always the full address in lower case (addresses are compared case-insensitively
 * by the directory and by mail routing). Leading and trailing white space is trimmed, as a
 * form field would; any inside is refused. Characters are checked before case folding, so
 * look-alikes that fold to ASCII (the Kelvin sign K → k, ſ) are refused, not converted.
 */
export function checkAlias(input: string, policy: AliasPolicy): PolicyResult {
  const text = input.trim();
  if (text.length === 0) return { ok: false, code: 'required' };
  if (text.length > MAX_ADDRESS) return { ok: false, code: 'too_long' };
  const parts = text.split('@');
  if (parts.length > 2) return { ok: false, code: 'invalid_characters' };
  const [local = '', domain] = parts;
  if (domain !== undefined && (!/^[\x21-\x7e]*$/.test(domain) || domain.toLowerCase() !== policy.domain)) {
    return { ok: false, code: local.length === 0 ? 'required' : 'wrong_domain' };
  }
  if (local.length === 0) return { ok: false, code: 'required' };
  const allowed = new RegExp(`^[A-Za-z0-9${escapeClass(policy.punctuation)}]+$`);
  if (!allowed.test(local)) return { ok: false, code: 'invalid_characters' };
  if (local.length > policy.maxLocalPartLength) return { ok: false, code: 'too_long' };
  if (local.length < policy.minLocalPartLength) return { ok: false, code: 'too_short' };
  if (/^[^A-Za-z0-9]|[^A-Za-z0-9]$/.test(local) || local.includes('..')) return { ok: false, code: 'bad_punctuation' };
  const localPart = local.toLowerCase();
  if (isReservedLocalPart(localPart, policy.reserved)) return { ok: false, code: 'role_address' };
  return { ok: true, localPart, address: `${localPart}@${policy.domain}` };
}

