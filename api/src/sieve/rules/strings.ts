import type { SieveValidationCode, ValidationIssue } from '../errors.js';
import { SIEVE_LIMITS } from '../limits.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_CR = /\r(?!\n)/;

/**
 * Why a model string cannot go into Sieve, or null. Sieve strings are UTF-8 without NUL
 * (RFC 5228 §2.4.2); a lone CR has no Sieve spelling (every line break is CRLF), so it is
 * refused rather than silently turned into a line break.
 */
export function stringProblem(value: string, singleLine: boolean): { code: SieveValidationCode; message: string } | null {
  if (value.includes('\0')) return { code: 'nul-character', message: 'contains a NUL character, which Sieve cannot carry' };
  if (LONE_SURROGATE.test(value)) return { code: 'invalid-unicode', message: 'contains a lone surrogate (not valid Unicode / UTF-8)' };
  if (singleLine && /[\r\n]/.test(value)) return { code: 'line-break-not-allowed', message: 'must be a single line' };
  if (LONE_CR.test(value)) return { code: 'lone-carriage-return', message: 'contains a carriage return that is not part of a line break' };
  if (value.length > SIEVE_LIMITS.maxStringLength) {
    return { code: 'string-too-long', message: `is longer than ${SIEVE_LIMITS.maxStringLength} characters` };
  }
  return null;
}

export function checkString(issues: ValidationIssue[], path: string, value: unknown, singleLine: boolean, allowEmpty = true): void {
  if (typeof value !== 'string') {
    issues.push({ code: 'invalid-template-value', path, message: `${path} must be a string` });
    return;
  }
  if (!allowEmpty && value === '') {
    issues.push({ code: 'empty-value', path, message: `${path} must not be empty` });
    return;
  }
  const problem = stringProblem(value, singleLine);
  if (problem) issues.push({ code: problem.code, path, message: `${path} ${problem.message}` });
}

/** Model line breaks are LF; Sieve's are CRLF. */
export const toModelText = (value: string): string => value.replace(/\r\n/g, '\n');
