import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser } from '../../support/stack';

// An unknown login and a wrong password must not be told apart by how long the answer takes.
// 200 of each, interleaved so that whatever else the machine does weighs on both alike;
// the medians must agree within a few milliseconds.

const KNOWN = loadUser(154);
const ROUNDS = 200;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((config) => ({
    ...config,
    loginRateLimit: { maxFailuresPerAccount: 10_000, maxFailuresPerAddress: 10_000, windowSeconds: 60 },
  }));
});
afterAll(async () => {
  await server.close();
});

async function timedSignIn(username: string, password: string): Promise<number> {
  const started = performance.now();
  const res = await new ApiClient(server.url).signIn(username, password);
  const ms = performance.now() - started;
  expect(res.status).toBe(401);
  expect(res.body.code).toBe('invalid_credentials');
  return ms;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.ceil(at)]! - sorted[low]!) * (at - low);
}

function summary(samples: number[]): { p10: number; median: number; p90: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    p10: round(quantile(sorted, 0.1)),
    median: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

describe('sign-in timing', () => {
  it('an unknown user and a wrong password take the same time (200 of each)', async ({ annotate }) => {
    // Warm up connections and caches on both paths first.
    for (let i = 0; i < 10; i++) {
      await timedSignIn(KNOWN.uid, 'warm-up-wrong');
      await timedSignIn(`nobody-warm-${i}`, 'warm-up-wrong');
    }
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate which goes first, so neither always follows the other.
      if (i % 2 === 0) {
        wrong.push(await timedSignIn(KNOWN.uid, `wrong-${i}`));
        unknown.push(await timedSignIn(`nobody-timing-${i}`, `wrong-${i}`));
      } else {
        unknown.push(await timedSignIn(`nobody-timing-${i}`, `wrong-${i}`));
        wrong.push(await timedSignIn(KNOWN.uid, `wrong-${i}`));
      }
    }
    const u = summary(unknown);
    const w = summary(wrong);
    await annotate(`unknown user (ms): ${JSON.stringify(u)}; wrong password (ms): ${JSON.stringify(w)}`);
    // A few milliseconds, or a quarter of the typical time on a slow, busy machine.
    const bound = Math.max(3, 0.25 * Math.min(u.median, w.median));
    expect(Math.abs(u.median - w.median)).toBeLessThan(bound);
  }, 120_000);
});
