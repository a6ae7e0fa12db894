import type { Account } from '../../backends/ldap/directory';

/** A query longer than any name or address worth typing; beyond it the search is refused. */
export const MAX_QUERY_LENGTH = 100;
export const MIN_QUERY_LENGTH = 2;
/** Results shown; the directory is asked for more so that folding can drop some. */
export const MAX_RESULTS = 20;
export const MAX_CANDIDATES = 200;

/**
 * The form names and addresses are compared in: no accents or other combining marks (tonos,
 * dialytika), lower case, final sigma as sigma. "ΑΝΔΡΈΟΥ", "Ανδρεου" and "ανδρέου" all fold to
 * "ανδρεου", in NFC or NFD alike.
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replaceAll('ς', 'σ').normalize('NFC');
}

export type QueryProblem = 'too_short' | 'too_long' | 'invalid_characters';

/** The query as typed, checked: no control or invisible format characters, 2–100 characters. */
export function checkQuery(raw: string): { query: string } | { problem: QueryProblem } {
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u.test(raw)) return { problem: 'invalid_characters' };
  const query = raw.normalize('NFC').trim();
  const length = [...query].length;
  if (length > MAX_QUERY_LENGTH) return { problem: 'too_long' };
  if (length < MIN_QUERY_LENGTH) return { problem: 'too_short' };
  return { query };
}

/**
 * Letters the directory may store with an accent or in another case form than typed. The
 * directory compares case-insensitively but keeps accents, so a name is asked for with these
 * left out (as wildcards) and the answers are then compared folded, here.
 */
const MAY_CARRY_ACCENT = /[αεηιουωσaeiouyc]/u;

/** The literal pieces of a folded query between letters that may carry an accent. */
export function namePieces(folded: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of folded) {
    if (MAY_CARRY_ACCENT.test(ch)) {
      if (piece) pieces.push(piece);
      piece = '';
    } else piece += ch;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

export interface FoundUser {
  uid: string;
  displayName: string;
  mail: string;
  /** The address or alias that matched, when it was not the name or the login. */
  matchedAddress: string | null;
}

/** Whether and how well an account answers to the folded query: lower ranks first, null for no match. */
function rank(account: Account, folded: string): { rank: number; matchedAddress: string | null } | null {
  const uid = fold(account.uid);
  if (uid === folded) return { rank: 0, matchedAddress: null };
  const addresses = [account.mail, ...account.alternateAddresses];
  const exact = addresses.find((a) => fold(a) === folded || fold(a.split('@')[0] ?? '') === folded);
  if (exact) return { rank: 1, matchedAddress: exact === account.mail ? null : exact };
  const names = [account.displayName, `${account.givenName} ${account.sn}`, `${account.sn} ${account.givenName}`].map(fold);
  if (names.some((n) => n.startsWith(folded) || n.includes(` ${folded}`))) return { rank: 2, matchedAddress: null };
  if (uid.includes(folded) || names.some((n) => n.includes(folded))) return { rank: 3, matchedAddress: null };
  const partly = addresses.find((a) => fold(a).includes(folded));
  return partly ? { rank: 4, matchedAddress: partly === account.mail ? null : partly } : null;
}

/** The accounts that really match (folded), best first, at most MAX_RESULTS. */
export function bestMatches(accounts: readonly Account[], query: string): FoundUser[] {
  const folded = fold(query);
  return accounts
    .flatMap((account) => {
      const r = rank(account, folded);
      return r ? [{ account, ...r }] : [];
    })
    .sort((a, b) => a.rank - b.rank || a.account.displayName.localeCompare(b.account.displayName, 'el') || a.account.uid.localeCompare(b.account.uid))
    .slice(0, MAX_RESULTS)
    .map(({ account, matchedAddress }) => ({ uid: account.uid, displayName: account.displayName, mail: account.mail, matchedAddress }));
}
