/** A domain name as people write whole-domain entries (`example.org`). */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function isDomain(value: string): boolean {
  return DOMAIN.test(value);
}

/** Addresses compare case-insensitively (local parts are case-insensitive at this site). */
export function normalizeAddress(value: string): string {
  return value.trim().toLowerCase();
}

/** The local part and domain of an address (split at the last @; no @: all local part). */
export function splitAddress(address: string): { localPart: string; domain: string } {
  const at = address.lastIndexOf('@');
  return at < 0 ? { localPart: address, domain: '' } : { localPart: address.slice(0, at), domain: address.slice(at + 1) };
}

/** Addresses are compared as the directory does (caseIgnoreIA5Match). */
export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
