import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../api/src/config/load';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { loadUser } from '../../support/stack';
import { startRedis, type RedisServer } from './redis-server';

// An administrator's revocation ends every session of a user on every instance sharing Redis:
// from the command line and from the admin route, audited and shown on the user's page.

const TARGET = loadUser(48);
const ADMIN = loadUser(51);
const BYSTANDER = loadUser(52);
const run = promisify(execFile);

let redis: RedisServer;
let one: TestServer;
let two: TestServer;
let dir: string;
let configFile: string;

beforeAll(async () => {
  redis = await startRedis();
  const prefix = `revoke-${randomBytes(4).toString('hex')}:`;
  const shared = (config: AppConfig): AppConfig => ({ ...config, administrators: [ADMIN.uid], redis: { url: redis.url, keyPrefix: prefix, timeoutMs: 2000 } });
  one = await startTestServer(shared);
  two = await startTestServer(shared);
  dir = await mkdtemp(path.join(tmpdir(), 'emailng-revoke-'));
  configFile = path.join(dir, 'config.yaml');
  const local = await readFile('deploy/config/local.yaml', 'utf8');
  await writeFile(configFile, `${local}\nredis:\n  url: ${redis.url}\n  keyPrefix: "${prefix}"\n`);
}, 30_000);
afterAll(async () => {
  await one?.close();
  await two?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function signedIn(server: TestServer, user: { uid: string; password: string }): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  expect((await client.signIn(user.uid, user.password)).status).toBe(200);
  return client;
}

/** Polls until every client answers 401; returns how long that took after `since`. */
async function allEnded(clients: ApiClient[], since: number): Promise<number> {
  for (;;) {
    const statuses = await Promise.all(clients.map(async (c) => (await c.request('GET', '/api/me')).status));
    if (statuses.every((s) => s === 401)) return Date.now() - since;
    expect(Date.now() - since).toBeLessThan(1000);
  }
}

describe('administrator revocation', () => {
  it('npm run revoke ends the user’s sessions on both instances within a second, and tells her', async ({ annotate }) => {
    const sessions = [await signedIn(one, TARGET), await signedIn(two, TARGET), await signedIn(two, TARGET)];
    const bystander = await signedIn(one, BYSTANDER);
    const { stdout, stderr } = await run('npx', ['tsx', 'api/src/ops/revoke.ts', TARGET.uid, 'laptop', 'stolen'], { env: { ...process.env, CONFIG: configFile } });
    const done = Date.now();
    expect(JSON.parse(stdout)).toEqual({ uid: TARGET.uid, ended: 3 });
    const took = await allEnded(sessions, done);
    await annotate(`revocation seen by both instances ${took} ms after the command returned`);
    expect((await bystander.request('GET', '/api/me')).status).toBe(200);
    expect(stderr).toMatch(/"event":"sessions_revoked"/);
    const again = await signedIn(two, TARGET);
    const page = await again.request('GET', '/api/security');
    expect((page.body.helpdesk as Array<Record<string, unknown>>)[0]).toMatchObject({ kind: 'action', what: 'sessions-revoked', reason: 'laptop stolen', actor: expect.stringMatching(/^cli:/) });
    expect((await again.request('DELETE', '/api/session')).status).toBe(204);
  }, 120_000);

  it('the admin route does the same, for configured administrators only', async () => {
    const target = [await signedIn(one, TARGET), await signedIn(two, TARGET)];
    const admin = await signedIn(two, ADMIN);
    const refused = await target[0]!.request('POST', '/api/admin/revoke-sessions', { json: { uid: BYSTANDER.uid, reason: 'x' } });
    expect(refused.status).toBe(403);
    const bad = await admin.request('POST', '/api/admin/revoke-sessions', { json: { uid: TARGET.uid, reason: 'a\u202eb' } });
    expect(bad.status).toBe(400);
    expect((await admin.request('POST', '/api/admin/revoke-sessions', { json: { uid: 'no-such-user-xyz', reason: 'x' } })).status).toBe(404);
    const started = Date.now();
    const res = await admin.request('POST', '/api/admin/revoke-sessions', { json: { uid: TARGET.uid, reason: 'Ύποπτη σύνδεση' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.ended).toBe(2);
    await allEnded(target, started);
    expect((await admin.request('GET', '/api/me')).status).toBe(200);
    expect(one.logs.concat(two.logs).some((l) => l.event === 'sessions_revoked' && l.uid === TARGET.uid && l.by === ADMIN.uid)).toBe(true);
  });
});
