import { describe, expect, it } from 'vitest';
import { LoginThrottle, MemoryAttemptStore, type AttemptVerdict } from '../../../api/src/auth/login-throttle';

const POLICY = { maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, windowSeconds: 60 };

function throttleAt(clock: { now: number }) {
  // Waiting for a busy slot advances the fake clock instead of sleeping.
  return new LoginThrottle(new MemoryAttemptStore(() => clock.now), POLICY, async (ms) => {
    clock.now += ms;
  });
}

async function fail(throttle: LoginThrottle, account: string, address: string): Promise<AttemptVerdict> {
  const attempt = await throttle.begin(LoginThrottle.accountKey(account), address);
  if (attempt.allowed) await attempt.failed();
  return attempt;
}

describe('login throttle', () => {
  it('locks an account after the allowed failures and says how long to wait', async () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock);
    for (let i = 0; i < 3; i++) expect((await fail(throttle, 'Alice', '192.0.2.50')).allowed).toBe(true);
    clock.now = 20_000;
    // The lock follows the account whatever the case of the login.
    expect(await throttle.begin(LoginThrottle.accountKey('alice'), '192.0.2.51')).toEqual({ allowed: false, retryAfterSeconds: 40, reason: 'account' });
    clock.now = 60_000;
    expect((await throttle.begin(LoginThrottle.accountKey('alice'), '192.0.2.51')).allowed).toBe(true);
  });

  it('clears an account’s failures on success', async () => {
    const throttle = throttleAt({ now: 0 });
    await fail(throttle, 'bob', '192.0.2.50');
    await fail(throttle, 'bob', '192.0.2.50');
    const ok = await throttle.begin(LoginThrottle.accountKey('bob'), '192.0.2.50');
    if (!ok.allowed) throw new Error('refused');
    await ok.succeeded();
    await fail(throttle, 'bob', '192.0.2.50');
    await fail(throttle, 'bob', '192.0.2.50');
    expect((await throttle.begin(LoginThrottle.accountKey('bob'), '192.0.2.50')).allowed).toBe(true);
  });

  it('limits failed sign-ins per client address, whatever the account', async () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock);
    for (let i = 0; i < 5; i++) expect((await fail(throttle, `user${i}`, '192.0.2.1')).allowed).toBe(true);
    clock.now = 15_000;
    expect(await throttle.admitAddress('192.0.2.1')).toEqual({ allowed: false, retryAfterSeconds: 45, reason: 'address' });
    expect(await throttle.begin(LoginThrottle.accountKey('user9'), '192.0.2.1')).toEqual({ allowed: false, retryAfterSeconds: 45, reason: 'address' });
    expect((await throttle.begin(LoginThrottle.accountKey('user9'), '192.0.2.2')).allowed).toBe(true);
    clock.now = 60_000;
    expect((await throttle.admitAddress('192.0.2.1')).allowed).toBe(true);
  });

  it('never counts successful sign-ins against an address (a lab behind one NAT address)', async () => {
    const throttle = throttleAt({ now: 0 });
    for (let i = 0; i < 200; i++) {
      const attempt = await throttle.begin(LoginThrottle.accountKey(`student${i}`), '192.0.2.1');
      if (!attempt.allowed) throw new Error(`student${i} refused`);
      await attempt.succeeded();
    }
    expect((await throttle.admitAddress('192.0.2.1')).allowed).toBe(true);
  });

  it('counts attempts refused by an account lock against the address', async () => {
    const throttle = throttleAt({ now: 0 });
    for (let i = 0; i < 3; i++) await fail(throttle, 'locked', '192.0.2.9');
    expect((await fail(throttle, 'locked', '192.0.2.9')).allowed).toBe(false);
    expect((await fail(throttle, 'locked', '192.0.2.9')).allowed).toBe(false);
    expect((await throttle.admitAddress('192.0.2.9')).allowed).toBe(false);
  });

  it('reserves before the check: 100 attempts at once get no more than the limit through', async () => {
    const clock = { now: 0 };
    const throttle = throttleAt(clock);
    const attempts = await Promise.all(Array.from({ length: 100 }, () => throttle.begin(LoginThrottle.accountKey('target'), '192.0.2.60')));
    const admitted = attempts.filter((a) => a.allowed);
    // Three are in flight; the others wait for them (the fake clock runs out the wait) and are refused.
    expect(admitted).toHaveLength(3);
    for (const a of admitted) if (a.allowed) await a.failed();
    expect((await throttle.begin(LoginThrottle.accountKey('target'), '192.0.2.61')).allowed).toBe(false);
  });

  it('lets waiting attempts through when the ones in flight succeed (many right passwords at once)', async () => {
    const throttle = new LoginThrottle(new MemoryAttemptStore(), { ...POLICY, maxFailuresPerAddress: 2 }, () => new Promise((r) => setImmediate(r)));
    const started = Array.from({ length: 6 }, (_, i) => throttle.begin(LoginThrottle.accountKey(`lab${i}`), '192.0.2.70'));
    const outcomes = await Promise.all(
      started.map(async (pending) => {
        const attempt = await pending;
        if (attempt.allowed) await attempt.succeeded();
        return attempt.allowed;
      }),
    );
    expect(outcomes).toEqual([true, true, true, true, true, true]);
  });

  it('refunds an attempt the directory could not check', async () => {
    const throttle = throttleAt({ now: 0 });
    for (let i = 0; i < 10; i++) {
      const attempt = await throttle.begin(LoginThrottle.accountKey('carol'), '192.0.2.80');
      if (!attempt.allowed) throw new Error('refused');
      await attempt.abandoned();
    }
    expect((await throttle.begin(LoginThrottle.accountKey('carol'), '192.0.2.80')).allowed).toBe(true);
  });
});
