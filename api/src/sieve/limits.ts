/**
 * Every bound the Sieve layer enforces, in one place. Inputs beyond them are refused
 * with a positioned SieveSyntaxError instead of consuming unbounded time or stack.
 */
export const SIEVE_LIMITS = {
  /** Dovecot's default `sieve_max_script_size` is 1 MiB; nothing bigger can be stored anyway. */
  maxScriptLength: 1024 * 1024,
  /** Longest single string (a vacation body is the biggest thing users write). */
  maxStringLength: 256 * 1024,
  /**
   * Blocks and nested tests together. Pigeonhole itself stops at 31 nested blocks; the
   * generic parser accepts a little more so foreign scripts still parse and can be shown,
   * but stays far below anything that could exhaust the JS stack.
   */
  maxNestingDepth: 64,
  /**
   * RFC 5228 allows numbers up to 2^64 - 1 and Pigeonhole takes exactly that much, with the
   * quantifier applied (17179869183G passes, 17179869184G does not). Kept exact as a bigint.
   */
  maxNumber: 2n ** 64n - 1n,
  /** Items in one string list (address lists are the long ones). */
  maxListItems: 10_000,
} as const;
