import { str, tag, test, type Test } from './ast.js';
import { SieveCapabilityError, SieveValidationError } from './errors.js';

/**
 * Pigeonhole's spamtest scale (ext-spamvirustest-common.c): the header score becomes a
 * ratio r = score / max in single-precision float, clamped to [0, 1]; `spamtest` reports
 * int(r·9 + 1.001) (1..10) and `spamtest :percent` (spamtestplus) int(r·100 + 0.001)
 * (0..100). The products are float, the added constant is double. 0 means "not scanned".
 */
const f32 = Math.fround;

function ratio(score: number, maxValue: number): number {
  if (score < 0) return 0;
  const r = f32(f32(score) / f32(maxValue));
  return r > 1 ? 1 : r;
}

export const spamtestValue = (score: number, maxValue: number): number => Math.trunc(f32(ratio(score, maxValue) * 9) + 1.001);
export const spamtestPercent = (score: number, maxValue: number): number => Math.trunc(f32(ratio(score, maxValue) * 100) + 0.001);

export interface SpamThresholdOptions {
  /** Pigeonhole's `sieve_spamtest_max_value` (the site uses 20). */
  maxValue: number;
  /** The server's SIEVE capability list. */
  capabilities: readonly string[];
}

export interface SpamThresholdTest {
  test: Test;
  /** The level compared against: a percent with spamtestplus, else 1..10. */
  level: number;
  scale: 'percent' | 'value';
  /**
   * The lowest score (to 0.001, amavisd's precision) the test matches. Every score at or
   * over the requested threshold matches; scores from here up to it match too, because the
   * scale is coarser than the score.
   */
  effectiveThreshold: number;
  requires: string[];
}

function scaleOf(options: SpamThresholdOptions): 'percent' | 'value' | null {
  const caps = new Set(options.capabilities);
  return caps.has('spamtestplus') ? 'percent' : caps.has('spamtest') ? 'value' : null;
}

/**
 * The lowest threshold (to 0.001) that still tells spam from the rest. Below it the level is
 * the one a score of 0 already gets — `:percent` 0, which unscanned mail has too, or value 1,
 * which every scanned message has — so the rule would file every message.
 */
export function lowestSpamThreshold(options: SpamThresholdOptions): number {
  const levelOf = scaleOf(options) === 'value' ? spamtestValue : spamtestPercent;
  const floor = levelOf(0, options.maxValue);
  let low = 0;
  let high = Math.ceil(options.maxValue * 1000);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (levelOf(mid / 1000, options.maxValue) > floor) high = mid;
    else low = mid + 1;
  }
  return low / 1000;
}

/** True when a rule for this threshold would match every message (see lowestSpamThreshold). */
export function spamThresholdMatchesAll(threshold: number, options: SpamThresholdOptions): boolean {
  const levelOf = scaleOf(options) === 'value' ? spamtestValue : spamtestPercent;
  return levelOf(threshold, options.maxValue) <= levelOf(0, options.maxValue);
}

/**
 * The test matching mail whose spam score is at least `threshold`:
 * `spamtest :percent :value "ge" :comparator "i;ascii-numeric" "<p>"` where spamtestplus
 * is offered, else the same on the 1..10 scale of plain spamtest.
 */
export function spamThresholdTest(threshold: number, options: SpamThresholdOptions): SpamThresholdTest {
  if (!Number.isFinite(threshold) || threshold <= 0 || !(options.maxValue > 0)) {
    throw new SieveValidationError([{ code: 'invalid-number', path: 'threshold', message: 'the spam threshold must be a number above 0' }]);
  }
  const caps = new Set(options.capabilities);
  const scale = scaleOf(options);
  const missing = [...(scale ? [] : ['spamtestplus']), ...['relational', 'comparator-i;ascii-numeric'].filter((c) => !caps.has(c))];
  if (missing.length > 0) throw new SieveCapabilityError(missing);
  const levelOf = scale === 'percent' ? spamtestPercent : spamtestValue;
  const level = levelOf(threshold, options.maxValue);
  if (level <= levelOf(0, options.maxValue)) {
    throw new SieveValidationError([
      { code: 'invalid-number', path: 'threshold', message: `a spam threshold of ${threshold} is below the server's scale: every message would match` },
    ]);
  }

  // Binary search over milli-points for the first score at this level (levels only grow with the score).
  let low = 0;
  let high = Math.round(threshold * 1000);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (levelOf(mid / 1000, options.maxValue) >= level) high = mid;
    else low = mid + 1;
  }
  const args = [
    ...(scale === 'percent' ? [tag('percent')] : []),
    tag('value'),
    str('ge'),
    tag('comparator'),
    str('i;ascii-numeric'),
    str(String(level)),
  ];
  return {
    test: test('spamtest', args),
    level,
    scale: scale === 'percent' ? 'percent' : 'value',
    effectiveThreshold: low / 1000,
    requires: [scale === 'percent' ? 'spamtestplus' : 'spamtest', 'relational', 'comparator-i;ascii-numeric'],
  };
}
