import { sameAddress, splitAddress } from './mail-address';

/** What of a directory entry tells its addresses apart (ldap's Account has these fields). */
export interface AddressedEntry {
  mail: string;
  alternateAddresses: string[];
  givenName: string;
  sn: string;
}

/**
 * Which of a user's addresses is which.
 *
 * `mail` is the login address (fixed). `mailAlternateAddress` holds both the central default
 * alias (first.last, set by the university's central system, read-only here) and the user's
 * own additional aliases — and LDAP values are unordered, so "the first value is the default"
 * is not a rule one can rely on (a directory with `sortvals`, a replica, or an export/import
 * may return them in any order). The rule used here, in this order:
 *
 * 1. One value: it is the default. The central system gives every account its default alias,
 *    and the API refuses to add an additional alias to an account that has none yet
 *    (`no_default`), so a lone value is never a user's own.
 * 2. Several values: the default is the one whose local part is the `first.last` form the
 *    central system derives from givenName and sn (see defaultLocalPart; Greek is
 *    transliterated). The API refuses an additional alias with that local part (`reserved`),
 *    so the user's own alias can never take the default's place under this rule.
 * 3. Several values and none (or more than one) has that form — a name changed after the
 *    alias was made, an unusual transliteration: the first value in the server's order, which
 *    on OpenLDAP is insertion order (the default is created first; the API always adds its
 *    value last), and `ambiguous` is set so the caller logs it for an administrator.
 */
export interface UserAddresses {
  /** `mail`: the login address; '' when the entry has none. */
  login: string;
  /** The central default alias, or null when the entry has none. */
  defaultAlias: string | null;
  /** The user's own aliases. */
  additional: string[];
  /** Rule 3 decided: worth a log line. */
  ambiguous: boolean;
}

// ELOT 743 (simplified): how the central system writes Greek names in addresses.
const GREEK_DIGRAPHS: Array<[RegExp, string]> = [
  [/ου/g, 'ou'],
  [/αυ/g, 'av'],
  [/ευ/g, 'ev'],
  [/γγ/g, 'ng'],
  [/γξ/g, 'nx'],
  [/γχ/g, 'nch'],
  [/μπ/g, 'mp'],
  [/ντ/g, 'nt'],
];
const GREEK_LETTERS: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm',
  ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

function foldName(name: string): string {
  // Lower-case, strip accents (ά → α, é → e), transliterate Greek, keep [a-z0-9-].
  let text = name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  for (const [pattern, latin] of GREEK_DIGRAPHS) text = text.replace(pattern, latin);
  text = [...text].map((c) => GREEK_LETTERS[c] ?? c).join('');
  return text.replace(/[^a-z0-9-]/g, '');
}

/** The local part the central system gives a person as her default alias: `first.last`. */
export function defaultLocalPart(givenName: string, sn: string): string | null {
  const first = foldName(givenName);
  const last = foldName(sn);
  return first && last ? `${first}.${last}` : null;
}

export function classifyAddresses(account: AddressedEntry): UserAddresses {
  const values = account.alternateAddresses;
  const login = account.mail;
  if (values.length === 0) return { login, defaultAlias: null, additional: [], ambiguous: false };
  if (values.length === 1) return { login, defaultAlias: values[0] ?? null, additional: [], ambiguous: false };
  const derived = defaultLocalPart(account.givenName, account.sn);
  const byName = derived ? values.filter((v) => splitAddress(v).localPart.toLowerCase() === derived) : [];
  const ambiguous = byName.length !== 1;
  const defaultAlias = (ambiguous ? values[0] : byName[0]) ?? null;
  return { login, defaultAlias, additional: values.filter((v) => v !== defaultAlias), ambiguous };
}

/** Every address the user receives mail at: login, default, then her own (for Sieve :addresses). */
export function allAddresses(addresses: UserAddresses): string[] {
  const list = [addresses.login, addresses.defaultAlias ?? '', ...addresses.additional].filter((a) => a.length > 0);
  return list.filter((a, i) => list.findIndex((b) => sameAddress(a, b)) === i);
}
