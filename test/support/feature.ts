import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { AppConfig } from '../../api/src/config/load';
import { ManageSieveClient } from '../../api/src/backends/managesieve';
import { sieveConnectOptions } from '../../api/src/backends/sieve-sessions';
import { ApiClient } from './http';
import { startTestServer, type TestServer } from './server';
import { resetUser, type DemoUser } from './stack';

/** The text of the user's active Sieve script ('' when none), read over ManageSieve. */
export async function activeScript(config: AppConfig, uid: string): Promise<string> {
  const client = await ManageSieveClient.connect(sieveConnectOptions(config, uid));
  try {
    const active = (await client.listScripts()).find((s) => s.active);
    return active ? await client.getScript(active.name) : '';
  } finally {
    await client.logout();
  }
}

/** The text of one of the user's scripts, by name. */
export async function scriptNamed(config: AppConfig, uid: string, name: string): Promise<string> {
  const client = await ManageSieveClient.connect(sieveConnectOptions(config, uid));
  try {
    return await client.getScript(name);
  } finally {
    await client.logout();
  }
}

/** Every script of the user, name → text, and which one is active (null: none), read over ManageSieve. */
export async function allScripts(config: AppConfig, uid: string): Promise<{ active: string | null; texts: Record<string, string> }> {
  const client = await ManageSieveClient.connect(sieveConnectOptions(config, uid));
  try {
    const list = await client.listScripts();
    const texts: Record<string, string> = {};
    for (const s of list) texts[s.name] = await client.getScript(s.name);
    return { active: list.find((s) => s.active)?.name ?? null, texts };
  } finally {
    await client.logout();
  }
}

/** Writes a script over ManageSieve and makes it the active one (for a test's starting point). */
export async function putActiveScript(config: AppConfig, uid: string, name: string, text: string): Promise<void> {
  const client = await ManageSieveClient.connect(sieveConnectOptions(config, uid));
  try {
    await client.putScript(name, text);
    await client.setActive(name);
  } finally {
    await client.logout();
  }
}

export interface FeatureContext {
  server: TestServer;
  /** Signed in as the user, afresh before each test, on a mailbox reset before each test. */
  api: ApiClient;
  /** The user's active script, as the server has it. */
  script(): Promise<string>;
}

/**
 * The usual frame of a feature's integration tests: one real API for the file; before each
 * test the user's mail and scripts are reset and she signs in again.
 */
export function featureTestContext(user: DemoUser, adjust?: (config: AppConfig) => AppConfig): FeatureContext {
  const context = {} as FeatureContext;
  beforeAll(async () => {
    context.server = await startTestServer(adjust);
    context.script = () => activeScript(context.server.services.config, user.uid);
  });
  afterAll(async () => {
    await context.server.close();
  });
  beforeEach(async () => {
    await resetUser(user.uid);
    context.api = new ApiClient(context.server.url);
    expect((await context.api.signIn(user.uid, user.password)).status).toBe(200);
  });
  return context;
}

/** Writes a script over ManageSieve without making it active (another client's script, for a test's starting point). */
export async function putInactiveScript(config: AppConfig, uid: string, name: string, text: string): Promise<void> {
  const client = await ManageSieveClient.connect(sieveConnectOptions(config, uid));
  try {
    await client.putScript(name, text);
  } finally {
    await client.logout();
  }
}
