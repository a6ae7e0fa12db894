import { expect, it } from 'vitest';
import { MAX_ENTRIES_PER_STREAM, RETENTION_DAYS, type ActivityStore, type AlertEntry, type SignInEntry } from '../../api/src/auth/activity-store';

/**
 * What every ActivityStore must do, run against the memory store (unit) and Redis (integration).
 * `make` gets a clock the test moves; each call gets its own user names so runs never meet.
 */
export function activityStoreContract(make: (now: () => number) => ActivityStore, prefix: string): void {
  const DAY = 24 * 3600 * 1000;
  let serial = 0;
  const user = (name: string) => `${prefix}-${name}-${Date.now()}-${(serial += 1)}`;
  const signIn = (at: number, outcome: SignInEntry['outcome'] = 'success'): SignInEntry => ({
    at,
    outcome,
    method: 'password',
    clientAddress: '192.0.2.7',
    userAgent: 'Mozilla/5.0 Ελληνικά',
  });

  it('lists a user’s entries newest first, apart per user and per stream', async () => {
    const clock = { now: 1_000_000 };
    const store = make(() => clock.now);
    const [anna, ben] = [user('anna'), user('ben')];
    await store.append(anna, 'sign-ins', signIn(1, 'wrong-password'));
    await store.append(anna, 'sign-ins', signIn(2));
    await store.append(ben, 'sign-ins', signIn(3, 'throttled'));
    await store.append(anna, 'changes', { at: 4, area: 'vacation', source: 'app', what: 'saved' });
    expect((await store.list(anna, 'sign-ins')).map((e) => [e.at, e.outcome])).toEqual([
      [2, 'success'],
      [1, 'wrong-password'],
    ]);
    expect((await store.list(ben, 'sign-ins')).map((e) => e.outcome)).toEqual(['throttled']);
    expect((await store.list(anna, 'changes')).map((e) => e.area)).toEqual(['vacation']);
    expect(await store.list(user('nobody'), 'sign-ins')).toEqual([]);
    expect((await store.list(anna, 'sign-ins', 1)).map((e) => e.at)).toEqual([2]);
  });

  it('keeps the text of an entry exactly, Greek and odd characters included', async () => {
    const store = make(() => 10);
    const uid = user('text');
    const entry = { ...signIn(5), userAgent: 'Σίσυφος ς ΣΊΣΥΦΟΣ e\u0301 "quoted" \\ <b>' };
    await store.append(uid, 'sign-ins', entry);
    expect(await store.list(uid, 'sign-ins')).toEqual([entry]);
  });

  it('keeps at most MAX_ENTRIES_PER_STREAM entries, dropping the oldest', async () => {
    const store = make(() => 10_000);
    const uid = user('bound');
    for (let i = 1; i <= MAX_ENTRIES_PER_STREAM + 5; i += 1) await store.append(uid, 'sign-ins', signIn(i));
    const kept = await store.list(uid, 'sign-ins');
    expect(kept).toHaveLength(MAX_ENTRIES_PER_STREAM);
    expect(kept[0]!.at).toBe(MAX_ENTRIES_PER_STREAM + 5);
    expect(kept.at(-1)!.at).toBe(6);
  });

  it(`forgets entries older than ${RETENTION_DAYS} days`, async () => {
    const clock = { now: 100 * DAY };
    const store = make(() => clock.now);
    const uid = user('retention');
    await store.append(uid, 'sign-ins', signIn(clock.now - RETENTION_DAYS * DAY - 1));
    await store.append(uid, 'sign-ins', signIn(clock.now - RETENTION_DAYS * DAY + 1000));
    expect((await store.list(uid, 'sign-ins')).map((e) => e.at)).toEqual([clock.now - RETENTION_DAYS * DAY + 1000]);
    clock.now += 2000;
    expect(await store.list(uid, 'sign-ins')).toEqual([]);
  });

  it('replaces exactly the matching entry, and says false when there is none', async () => {
    const store = make(() => 10);
    const uid = user('replace');
    const first: AlertEntry = { at: 1, id: 'a1', what: 'forward-added', details: { address: 'x@example.org' } };
    const second: AlertEntry = { at: 2, id: 'a2', what: 'forward-added' };
    await store.append(uid, 'alerts', first);
    await store.append(uid, 'alerts', second);
    expect(await store.replace(uid, 'alerts', first, { ...first, resolved: 'not-me' })).toBe(true);
    expect(await store.list(uid, 'alerts')).toEqual([second, { ...first, resolved: 'not-me' }]);
    expect(await store.replace(uid, 'alerts', first, { ...first, resolved: 'acknowledged' })).toBe(false);
    expect(await store.replace(user('other'), 'alerts', second, { ...second, resolved: 'not-me' })).toBe(false);
    expect((await store.list(uid, 'alerts'))[0]).toEqual(second);
  });
}
