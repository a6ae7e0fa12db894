import { describe, expect, it } from 'vitest';
import { LoginThrottle, MemoryCounterStore } from '../../../api/src/auth/rate-limit';

function throttleAt(clock: { now: number }) {
  const store = new MemoryCounterStore(() => clock.now);
  return new LoginThrottle(store, { maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, windowSeconds: 60 });
}

describe('login throttle', () => {
  it('locks an account after the allowed failures and says how long to wait', async () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock);
    const key = LoginThrottle.accountKey('Alice');
    for (let i = 0; i < 3; i++) {
      expect(await throttle.admitAccount(key)).toEqual({ allowed: true });
      await throttle.recordFailure(key, '192.0.2.50');
    }
    clock.now = 20_000;
    expect(await throttle.admitAccount(LoginThrottle.accountKey('alice'))).toEqual({ allowed: false, retryAfterSeconds: 40, reason: 'account' });
    clock.now = 60_000;
    expect(await throttle.admitAccount(key)).toEqual({ allowed: true });
  });

  it('clears an account’s failures on success', async () => {
    const throttle = throttleAt({ now: 0 });
    const key = LoginThrottle.accountKey('bob');
    await throttle.recordFailure(key, '192.0.2.50');
    await throttle.recordFailure(key, '192.0.2.50');
    await throttle.recordSuccess(key);
    await throttle.recordFailure(key, '192.0.2.50');
    expect(await throttle.admitAccount(key)).toEqual({ allowed: true });
  });

  it('limits failed sign-ins per client address, whatever the account', async () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock);
    for (let i = 0; i < 5; i++) {
      expect((await throttle.admitAddress('192.0.2.1')).allowed).toBe(true);
      await throttle.recordFailure(LoginThrottle.accountKey(`user${i}`), '192.0.2.1');
    }
    clock.now = 15_000;
    expect(await throttle.admitAddress('192.0.2.1')).toEqual({ allowed: false, retryAfterSeconds: 45, reason: 'address' });
    expect((await throttle.admitAddress('192.0.2.2')).allowed).toBe(true);
    clock.now = 60_000;
    expect((await throttle.admitAddress('192.0.2.1')).allowed).toBe(true);
  });

  it('never counts successful sign-ins against an address (a lab behind one NAT address)', async () => {
    const throttle = throttleAt({ now: 0 });
    for (let i = 0; i < 200; i++) {
      expect((await throttle.admitAddress('192.0.2.1')).allowed).toBe(true);
      await throttle.recordSuccess(LoginThrottle.accountKey(`student${i}`));
    }
    expect((await throttle.admitAddress('192.0.2.1')).allowed).toBe(true);
  });

  it('counts attempts refused by an account lock against the address', async () => {
    const throttle = throttleAt({ now: 0 });
    for (let i = 0; i < 5; i++) await throttle.recordAddressFailure('192.0.2.9');
    expect((await throttle.admitAddress('192.0.2.9')).allowed).toBe(false);
  });
});
