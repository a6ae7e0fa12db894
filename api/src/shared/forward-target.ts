import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * Whether mail may be sent on to an address: the one check for every place a forward target
 * enters (the forwarding page, in either store, and a filter's redirect action). Stricter than
 * what Sieve can carry (sieve/rules/validate.ts): it refuses what would bounce, loop or be
 * routed somewhere other than it reads, each with its own code:
 *
 * - required: empty
 * - address_too_long: over 254 octets (RFC 5321 §4.5.3.1.3 path limit less the brackets)
 * - local_part_too_long: over 64 octets before the @ (RFC 5321 §4.5.3.1.1)
 * - quoted_local_part: `"a b"@x` — legal, but relays and our own tables treat the quotes and
 *   what they hide (@, spaces) differently, so it is a way round the other checks
 * - source_route: `%` or `!` in the local part — `user%other@relay` and `host!user@relay` ask
 *   a relay to route the mail on (the percent hack, UUCP bang paths): an open-relay path
 * - invalid: anything else that is no dot-atom `local@domain` (spaces, controls, two @, …)
 * - ip_literal: `[192.0.2.1]` or a domain that is an IPv4 address (all-numeric last label)
 * - single_label_domain: `@localhost`, `@intranet`: resolves (if at all) on the server itself
 * - reserved_domain: names that never reach anyone (RFC 2606, RFC 6761, RFC 6762, RFC 8375:
 *   the top-level localhost, local, localdomain, invalid, test, example, internal, onion,
 *   and home.arpa; lan/home/corp, which ICANN will never delegate). example.com/.net/.org
 *   are real, registered domains and stay allowed.
 * - invalid_domain: a label that is empty or has other characters than letters, digits and
 *   hyphens (after IDNA), or a domain typed in a form IDNA rewrites (full-width dots,
 *   zero-width characters, upper-case Greek): what is stored must be what is delivered to
 * - label_hyphen: a label starting or ending with `-` (RFC 952/1123 host names)
 * - label_too_long: a label over 63 octets (in its ASCII form, RFC 1035 §2.3.4)
 * - own_address: one of the user's own addresses, also with a `+detail` (RFC 5233
 *   subaddress): the mail would come back to her and be forwarded again
 */
export const FORWARD_TARGET_PROBLEMS = [
  'required',
  'address_too_long',
  'local_part_too_long',
  'quoted_local_part',
  'source_route',
  'invalid',
  'ip_literal',
  'single_label_domain',
  'reserved_domain',
  'invalid_domain',
  'label_hyphen',
  'label_too_long',
  'own_address',
] as const;
export type ForwardTargetProblem = (typeof FORWARD_TARGET_PROBLEMS)[number];

export const MAX_ADDRESS_OCTETS = 254;
export const MAX_LOCAL_PART_OCTETS = 64;
export const MAX_LABEL_OCTETS = 63;
/** What separates a local part from its detail (Dovecot's recipient_delimiter). */
export const SUBADDRESS_SEPARATOR = '+';

const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LDH_LABEL = /^[a-z0-9-]+$/;
const NEVER_DELIVERED_TLDS = new Set(['localhost', 'local', 'localdomain', 'invalid', 'test', 'example', 'internal', 'onion', 'lan', 'home', 'corp']);
const NEVER_DELIVERED_DOMAINS = ['home.arpa'];

const octets = (text: string): number => Buffer.byteLength(text, 'utf8');

function localPartProblem(local: string): ForwardTargetProblem | null {
  if (local.length === 0) return 'invalid';
  if (octets(local) > MAX_LOCAL_PART_OCTETS) return 'local_part_too_long';
  if (/[%!]/.test(local)) return 'source_route';
  if (!local.split('.').every((atom) => ATEXT.test(atom))) return 'invalid';
  return null;
}

function domainProblem(domain: string): ForwardTargetProblem | null {
  if (/^\[.*\]$/.test(domain)) return 'ip_literal';
  if (domain.length === 0 || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) return 'invalid_domain';
  // Before IDNA, which reads `0x7f.1` and `2130706433` as 127.0.0.1.
  const typedLast = domain.slice(domain.lastIndexOf('.') + 1);
  if (/^[0-9]+$/.test(typedLast) || /^0x[0-9a-f]*$/.test(typedLast)) return 'ip_literal';
  // IDNA's mapping would deliver to another spelling than the one shown: refuse, don't convert.
  const ascii = domainToASCII(domain);
  if (ascii === '' || (ascii !== domain && (domainToUnicode(ascii) !== domain || domain !== domain.normalize('NFC')))) {
    // A label of 64+ letters makes IDNA give up too: say which limit it is.
    return domain.split('.').some((l) => octets(l) > MAX_LABEL_OCTETS) ? 'label_too_long' : 'invalid_domain';
  }
  const labels = ascii.split('.');
  if (!labels.every((l) => LDH_LABEL.test(l))) return 'invalid_domain';
  if (labels.some((l) => l.length > MAX_LABEL_OCTETS)) return 'label_too_long';
  if (labels.some((l) => l.startsWith('-') || l.endsWith('-'))) return 'label_hyphen';
  const last = labels[labels.length - 1] ?? '';
  if (NEVER_DELIVERED_TLDS.has(last) || NEVER_DELIVERED_DOMAINS.some((d) => ascii === d || ascii.endsWith(`.${d}`))) return 'reserved_domain';
  if (labels.length < 2) return 'single_label_domain';
  return null;
}

/** The address without its `+detail`, lower-cased: how delivery finds the mailbox. */
export function withoutDetail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const plus = local.indexOf(SUBADDRESS_SEPARATOR);
  return `${plus < 0 ? local : local.slice(0, plus)}${address.slice(at)}`.toLowerCase();
}

/**
 * Why mail cannot be forwarded to `address`, or null when it can. `address` is taken as
 * typed, trimmed (callers store the lower-cased trimmed form); `ownAddresses` are every
 * address the user receives mail at.
 */
export function forwardTargetProblem(address: string, ownAddresses: readonly string[]): ForwardTargetProblem | null {
  const text = address.trim();
  if (text === '') return 'required';
  if (octets(text) > MAX_ADDRESS_OCTETS) return 'address_too_long';
  const at = text.lastIndexOf('@');
  if (at < 0) return 'invalid';
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  if (local.startsWith('"')) return 'quoted_local_part';
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f]/u.test(text)) return 'invalid';
  const problem = localPartProblem(local) ?? domainProblem(domain);
  if (problem) return problem;
  const target = withoutDetail(text);
  if (ownAddresses.some((own) => withoutDetail(own) === target)) return 'own_address';
  return null;
}
