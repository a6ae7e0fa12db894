import { describe, expect, it } from 'vitest';
import { byLargest, percentUsed, summarize, uidSet, warningLevel } from '../../../../api/src/features/quota/levels';

describe('quota warning levels', () => {
  it('warns at 80, 90 and 95 percent, exactly at each boundary', () => {
    const limit = 102400;
    expect(warningLevel(0, limit)).toBe(0);
    expect(warningLevel(81919, limit)).toBe(0); // 79.999 %
    expect(warningLevel(81920, limit)).toBe(80);
    expect(warningLevel(92159, limit)).toBe(80);
    expect(warningLevel(92160, limit)).toBe(90);
    expect(warningLevel(97279, limit)).toBe(90);
    expect(warningLevel(97280, limit)).toBe(95);
    expect(warningLevel(limit, limit)).toBe(95);
    expect(warningLevel(limit * 1.1, limit)).toBe(95); // within Dovecot's grace
    expect(warningLevel(5, null)).toBe(0);
    expect(warningLevel(5, 0)).toBe(0);
  });

  it('rounds percent down, so it never shows 80.0 without the warning', () => {
    expect(percentUsed(81919, 102400)).toBe(79.9);
    expect(percentUsed(81920, 102400)).toBe(80);
    expect(percentUsed(1, 3)).toBe(33.3);
    expect(percentUsed(110, 100)).toBe(110);
    expect(percentUsed(1, null)).toBeNull();
  });

  it('summarizes by the fuller resource', () => {
    expect(summarize([{ used: 10, limit: 100 }, { used: 91, limit: 100 }])).toEqual({ percent: 91, warningLevel: 90, full: false });
    expect(summarize([{ used: 100, limit: 100 }, null])).toEqual({ percent: 100, warningLevel: 95, full: true });
    expect(summarize([null, null])).toEqual({ percent: null, warningLevel: 0, full: false });
  });

  it('orders folders largest first, ties by path', () => {
    const folders = [
      { path: 'b', bytes: 5 },
      { path: 'a', bytes: 5 },
      { path: 'c', bytes: 9 },
    ];
    expect(byLargest(folders).map((f) => f.path)).toEqual(['c', 'a', 'b']);
  });

  it('writes compact UID sets', () => {
    expect(uidSet([])).toBe('');
    expect(uidSet([7])).toBe('7');
    expect(uidSet([3, 1, 2, 7, 9, 10, 10])).toBe('1:3,7,9:10');
  });
});
