import { describe, expect, it } from 'vitest';
import { printTest } from '../../../api/src/sieve/printer.js';
import { SieveCapabilityError } from '../../../api/src/sieve/errors.js';
import { SieveValidationError } from '../../../api/src/sieve/errors.js';
import { lowestSpamThreshold, spamThresholdMatchesAll, spamThresholdTest, spamtestPercent, spamtestValue } from '../../../api/src/sieve/spam.js';

const PLUS = ['spamtestplus', 'relational', 'comparator-i;ascii-numeric'];
const PLAIN = ['spamtest', 'relational', 'comparator-i;ascii-numeric'];
const MAX = 20;

describe("Pigeonhole's spamtest scale (max 20)", () => {
  it.each([
    // The +1.001 in Pigeonhole moves each value boundary to 20·(k − 1.001)/9, not 20·(k − 1)/9.
    [0, 1, 0], [2.219, 1, 11], [2.22, 2, 11], [4.442, 2, 22], [4.443, 3, 22], [6.31, 3, 31], [6.199, 3, 30], [6.2, 3, 31], [10, 5, 50], [19.997, 9, 99], [19.998, 10, 99], [20, 10, 100], [35, 10, 100], [-3, 1, 0],
  ])('score %d → value %d, percent %d', (score, value, percent) => {
    expect(spamtestValue(score, MAX)).toBe(value);
    expect(spamtestPercent(score, MAX)).toBe(percent);
  });
});

describe('spamThresholdTest', () => {
  it('uses spamtestplus :percent where offered', () => {
    const t = spamThresholdTest(6.31, { maxValue: MAX, capabilities: PLUS });
    expect(printTest(t.test)).toBe('spamtest :percent :value "ge" :comparator "i;ascii-numeric" "31"');
    expect(t.effectiveThreshold).toBe(6.2);
  });

  it('falls back to spamtest 1..10', () => {
    const t = spamThresholdTest(5, { maxValue: MAX, capabilities: PLAIN });
    expect(printTest(t.test)).toBe('spamtest :value "ge" :comparator "i;ascii-numeric" "3"');
    expect(t.effectiveThreshold).toBe(4.443);
  });

  it.each([0.5, 1, 5, 6.31, 6.2, 10, 12.345, 19.9, 20])('threshold %d: matches on and above the effective boundary, not below (both scales)', (threshold) => {
    for (const [caps, levelOf] of [[PLUS, spamtestPercent], [PLAIN, spamtestValue]] as const) {
      if (spamThresholdMatchesAll(threshold, { maxValue: MAX, capabilities: caps })) {
        // 0.5 on the 1..10 scale is value 1, which every scanned message has: never written.
        expect(() => spamThresholdTest(threshold, { maxValue: MAX, capabilities: caps })).toThrow(SieveValidationError);
        continue;
      }
      const t = spamThresholdTest(threshold, { maxValue: MAX, capabilities: caps });
      const matches = (score: number) => levelOf(score, MAX) >= t.level;
      expect(matches(threshold)).toBe(true);
      expect(matches(threshold + 0.001)).toBe(true);
      expect(matches(t.effectiveThreshold)).toBe(true);
      expect(t.effectiveThreshold).toBeGreaterThan(0);
      expect(matches(t.effectiveThreshold - 0.001)).toBe(false);
      expect(matches(0)).toBe(false);
      expect(t.effectiveThreshold).toBeLessThanOrEqual(threshold);
    }
  });

  it('is exact where the threshold sits on a percent boundary', () => {
    expect(spamThresholdTest(6.2, { maxValue: MAX, capabilities: PLUS }).effectiveThreshold).toBe(6.2);
  });

  it('refuses a server without spamtest', () => {
    expect(() => spamThresholdTest(5, { maxValue: MAX, capabilities: ['fileinto'] })).toThrow(SieveCapabilityError);
  });
});

describe('thresholds below the scale (every message would match)', () => {
  it.each([
    // percent: 0 is what a score of 0 and an unscanned message get; value: 1 is what every scanned message gets
    ['percent', PLUS, 0.2, 0.199],
    ['value', PLAIN, 2.22, 2.219],
  ] as const)('on the %s scale the lowest is %d; just below it is refused, it and above are written', (_scale, caps, lowest, below) => {
    const options = { maxValue: MAX, capabilities: caps };
    expect(lowestSpamThreshold(options)).toBe(lowest);
    for (const refused of [below, 0.001, 1e-9, Number.MIN_VALUE]) {
      expect(spamThresholdMatchesAll(refused, options), String(refused)).toBe(true);
      expect(() => spamThresholdTest(refused, options)).toThrow(SieveValidationError);
    }
    for (const accepted of [lowest, lowest + 0.001]) {
      expect(spamThresholdMatchesAll(accepted, options)).toBe(false);
      const t = spamThresholdTest(accepted, options);
      expect(t.level).toBeGreaterThan(caps === PLUS ? 0 : 1);
      expect(printTest(t.test)).not.toMatch(/"0"$/);
    }
  });

  it.each([100, 10, 7.5])('follows the server’s max value (%d): 1%% at the lowest, 0%% a thousandth below', (max) => {
    const lowest = lowestSpamThreshold({ maxValue: max, capabilities: PLUS });
    expect(lowest).toBeCloseTo(max / 100, 2);
    expect(spamtestPercent(lowest, max)).toBe(1);
    expect(spamtestPercent(lowest - 0.001, max)).toBe(0);
  });
});
