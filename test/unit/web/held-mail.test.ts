import { effectScope } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../web/src/api/errors';
import type { HeldList, HeldQuery } from '../../../web/src/api/types';
import { SEARCH_DEBOUNCE_MS, searchText, useHeldMail } from '../../../web/src/composables/useHeldMail';

// The Held mail page's list state, with the API replaced by a function the test answers.

const page = (total: number): HeldList => ({ items: [], total, retentionDays: 30 });

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('searchText', () => {
  it('drops control characters the API refuses, trims, and keeps Greek as typed', () => {
    expect(searchText('  a\u0000b\tc\n ')).toBe('a b c');
    expect(searchText('Καλημέρα ς')).toBe('Καλημέρα ς');
    expect(searchText('%_\'')).toBe('%_\'');
    expect(searchText('x'.repeat(1000))).toHaveLength(200);
  });
});

describe('useHeldMail', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once after typing pauses, from page 1', async () => {
    const asked: HeldQuery[] = [];
    const scope = effectScope();
    const held = scope.run(() => useHeldMail(async (q) => (asked.push(q), page(0))))!;
    held.query.page = 3;
    held.search('a');
    held.search('al');
    held.search('ali');
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(asked).toEqual([{ search: 'ali', reason: '', page: 1, pageSize: 50 }]);
    scope.stop();
  });

  it('keeps the last question’s answer when an older one arrives late', async () => {
    const first = deferred<HeldList>();
    const second = deferred<HeldList>();
    const answers = [first, second];
    const scope = effectScope();
    const held = scope.run(() => useHeldMail(() => answers.shift()!.promise))!;
    const a = held.load();
    const b = held.load();
    second.resolve(page(7));
    await b;
    first.resolve(page(99));
    await a;
    expect(held.list.value?.total).toBe(7);
    expect(held.loading.value).toBe(false);
    scope.stop();
  });

  it('says when the quarantine does not answer, and keeps the last list shown', async () => {
    let fail = false;
    const scope = effectScope();
    const held = scope.run(() =>
      useHeldMail(async () => {
        if (fail) throw new ApiError({ code: 'quarantine_unavailable', status: 503 });
        return page(3);
      }),
    )!;
    await held.load();
    fail = true;
    await held.load();
    expect(held.unavailable.value).toBe(true);
    expect(held.notConfigured.value).toBe(false);
    expect(held.list.value?.total).toBe(3);
    scope.stop();
  });

  it('goes back to the last page when messages went away meanwhile', async () => {
    const asked: number[] = [];
    const scope = effectScope();
    const held = scope.run(() => useHeldMail(async (q) => (asked.push(q.page), page(120))))!;
    held.query.page = 5;
    await held.load();
    expect(asked).toEqual([5, 3]);
    expect(held.query.page).toBe(3);
    expect(held.pages.value).toBe(3);
    scope.stop();
  });
});
