import type { ValidationIssue } from '../sieve';
import { checkAddress } from '../sieve/rules/validate';

/** A domain name as people write whole-domain entries (`example.org`). */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** An address Sieve can carry and mail can reach (one syntax for the whole API: the Sieve layer's). */
export function isMailAddress(value: string): boolean {
  const issues: ValidationIssue[] = [];
  checkAddress(issues, 'address', value);
  return issues.length === 0;
}

export function isDomain(value: string): boolean {
  return DOMAIN.test(value);
}

/** Addresses compare case-insensitively (local parts are case-insensitive at this site). */
export function normalizeAddress(value: string): string {
  return value.trim().toLowerCase();
}
