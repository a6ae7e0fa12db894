import { describe, expect, it } from 'vitest';
import { LoginThrottle, MemoryCounterStore } from '../../../api/src/auth/rate-limit';

function throttleAt(clock: { now: number }) {
  const store = new MemoryCounterStore(() => clock.now);
  return new LoginThrottle(store, { maxFailuresPerAccount: 3, maxAttemptsPerAddress: 5, windowSeconds: 60 });
}

describe('login throttle', () => {
  it('locks an account after the allowed failures and says how long to wait', async () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock);
    const key = LoginThrottle.accountKey('Alice');
    for (let i = 0; i < 3; i++) {
      expect(await throttle.admitAccount(key)).toEqual({ allowed: true });
      await throttle.recordFailure(key);
    }
    clock.now = 20_000;
    expect(await throttle.admitAccount(LoginThrottle.accountKey('alice'))).toEqual({ allowed: false, retryAfterSeconds: 40, reason: 'account' });
    clock.now = 60_000;
    expect(await throttle.admitAccount(key)).toEqual({ allowed: true });
  });

  it('clears an account’s failures on success', async () => {
    const throttle = throttleAt({ now: 0 });
    const key = LoginThrottle.accountKey('bob');
    await throttle.recordFailure(key);
    await throttle.recordFailure(key);
    await throttle.recordSuccess(key);
    await throttle.recordFailure(key);
    expect(await throttle.admitAccount(key)).toEqual({ allowed: true });
  });

  it('limits attempts per client address, whatever the account', async () => {
    const throttle = throttleAt({ now: 0 });
    for (let i = 0; i < 5; i++) expect((await throttle.admitAddress('192.0.2.1')).allowed).toBe(true);
    expect(await throttle.admitAddress('192.0.2.1')).toEqual({ allowed: false, retryAfterSeconds: 60, reason: 'address' });
    expect((await throttle.admitAddress('192.0.2.2')).allowed).toBe(true);
  });
});
