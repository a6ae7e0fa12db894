import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidTimeZone, parseLocalDateTime, toLocalDateTime, toSieveUtc, zonedToUtc } from '../../../api/src/shared/zoned-time';

const NICOSIA = 'Europe/Nicosia';

describe('vacation window time zones', () => {
  it('converts Nicosia winter (+02) and summer (+03) times to UTC', () => {
    expect(zonedToUtc('2026-12-24T00:00', NICOSIA).toISOString()).toBe('2026-12-23T22:00:00.000Z');
    expect(zonedToUtc('2026-07-01T09:30', NICOSIA).toISOString()).toBe('2026-07-01T06:30:00.000Z');
  });

  it('handles the spring gap and the autumn repeat in Nicosia', () => {
    // 2026-03-29: 03:00 → 04:00. 03:30 never shows; it is moved forward by the jump (04:30).
    expect(zonedToUtc('2026-03-29T03:30', NICOSIA).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(toLocalDateTime(zonedToUtc('2026-03-29T03:30', NICOSIA), NICOSIA)).toBe('2026-03-29T04:30');
    expect(zonedToUtc('2026-03-29T02:59', NICOSIA).toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(zonedToUtc('2026-03-29T04:00', NICOSIA).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // 2026-10-25: 04:00 → 03:00. 03:30 happens twice; the first is meant.
    expect(zonedToUtc('2026-10-25T03:30', NICOSIA).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('round-trips local times, so saving the same range again writes the same instants', () => {
    const local = fc
      .record({
        y: fc.integer({ min: 2024, max: 2035 }),
        mo: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 28 }),
        h: fc.integer({ min: 0, max: 23 }),
        mi: fc.integer({ min: 0, max: 59 }),
      })
      .map(({ y, mo, d, h, mi }) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`);
    fc.assert(
      fc.property(local, fc.constantFrom(NICOSIA, 'UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'), (text, zone) => {
        const instant = zonedToUtc(text, zone);
        const again = zonedToUtc(toLocalDateTime(instant, zone), zone);
        expect(again.getTime()).toBe(instant.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses impossible dates and unknown zones', () => {
    expect(parseLocalDateTime('2026-02-30T10:00')).toBeNull();
    expect(parseLocalDateTime('2026-01-01T24:00')).toBeNull();
    expect(parseLocalDateTime('2026-1-1T10:00')).toBeNull();
    expect(isValidTimeZone('Europe/Nicosia')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('"; discard;')).toBe(false);
  });

  it('prints the Sieve comparison prefix', () => {
    expect(toSieveUtc(new Date('2026-12-23T22:00:00.000Z'))).toBe('2026-12-23T22:00:00');
  });
});
