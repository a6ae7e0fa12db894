// Helpers shared by the filters integration tests (each file keeps to its own users).
import { expect } from 'vitest';
import { ManageSieveClient } from '../../../api/src/backends/managesieve';
import { sieveConnectOptions } from '../../../api/src/backends/sieve-sessions';
import { ApiClient } from '../../support/http';
import type { TestServer } from '../../support/server';
import { DOMAIN, deliverMessage, makeMessage, resetUser } from '../../support/stack';

export interface RuleBody {
  kind: 'rule';
  id: string;
  name: string;
  enabled: boolean;
  match: 'all' | 'any' | 'always';
  conditions: Array<Record<string, unknown>>;
  actions: Array<Record<string, unknown>>;
  stop: boolean;
}

let counter = 0;
export function newRule(over: Partial<RuleBody> = {}): RuleBody {
  counter += 1;
  return { kind: 'rule', id: `new-${counter}`, name: `Rule ${counter}`, enabled: true, match: 'all', conditions: [], actions: [], stop: false, ...over };
}

export const subjectContains = (value: string) => ({ type: 'subject', operator: 'contains', negate: false, value });

export interface FiltersView {
  etag: string;
  items: Array<{ kind: 'rule'; rule: Omit<RuleBody, 'kind'>; editable: true } | { kind: 'custom'; id: string; text: string; writer?: string; name?: string }>;
  sections: string[];
  foreignScript: { name: string } | null;
  capabilities: Record<string, boolean>;
  maxRedirects: number;
}

export async function getFilters(api: ApiClient): Promise<FiltersView> {
  const res = await api.request('GET', '/api/filters');
  expect(res.status, res.text).toBe(200);
  return res.body as unknown as FiltersView;
}

/** The view's items as PUT takes them back. */
export function asInput(view: FiltersView): Array<RuleBody | { kind: 'custom'; id: string }> {
  return view.items.map((i) => (i.kind === 'rule' ? { kind: 'rule' as const, ...i.rule } : { kind: 'custom' as const, id: i.id }));
}

export async function putFilters(api: ApiClient, items: unknown[], etag?: string, extra: Record<string, unknown> = {}) {
  return api.request('PUT', '/api/filters', { json: { items, ...extra }, headers: { 'if-match': etag ?? (await getFilters(api)).etag } });
}

export async function withSieve<T>(server: TestServer, uid: string, work: (c: ManageSieveClient) => Promise<T>): Promise<T> {
  const client = await ManageSieveClient.connect(sieveConnectOptions(server.services.config, uid));
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

/** The active script's text straight from the server ('' when none). */
export function activeScript(server: TestServer, uid: string): Promise<string> {
  return withSieve(server, uid, async (c) => {
    const active = (await c.listScripts()).find((s) => s.active);
    return active ? c.getScript(active.name) : '';
  });
}

/** UID, subject and flags of every message in a folder, through the app's IMAP sessions. */
export async function folderMessages(server: TestServer, uid: string, folder: string): Promise<Array<{ uid: number; subject: string; flags: string[] }>> {
  return server.services.imap.use(uid, async (client) => {
    const lock = await client.getMailboxLock(folder, { readOnly: true });
    try {
      if (!client.mailbox || client.mailbox.exists === 0) return [];
      const out = await client.fetchAll('1:*', { uid: true, flags: true, envelope: true });
      return out.map((m) => ({ uid: m.uid, subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort() }));
    } finally {
      lock.release();
    }
  });
}

/** The flags of the message with `subject` in `folder`, or undefined when it is not there. */
export async function flagsOf(server: TestServer, uid: string, folder: string, subject: string): Promise<string[] | undefined> {
  return (await folderMessages(server, uid, folder)).find((m) => m.subject === subject)?.flags;
}

/** Which of `folders` hold a message with `subject` (a folder that does not exist holds none). */
export async function foldersHolding(server: TestServer, uid: string, subject: string, folders: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const folder of folders) if ((await folderMessages(server, uid, folder).catch(() => [])).some((m) => m.subject === subject)) out.push(folder);
  return out;
}

/** `uid` starts afresh (mail and scripts deleted) and is signed in on `server`. */
export async function freshUser(server: TestServer, uid: string, password = 'load-pass'): Promise<ApiClient> {
  await resetUser(uid);
  const api = new ApiClient(server.url);
  expect((await api.signIn(uid, password)).status).toBe(200);
  return api;
}

/**
 * Delivers a small message with `subject` to `uid` over LMTP. `from` is the envelope sender
 * and, unless `headerFrom` gives another (a display name, an encoded-word), the From header.
 */
export async function deliverSubject(uid: string, subject: string, extra: { from?: string; headerFrom?: string; headers?: Record<string, string> } = {}): Promise<void> {
  const from = extra.from ?? 'sender@example.org';
  await deliverMessage({ to: uid, from, raw: makeMessage({ from: extra.headerFrom ?? from, to: `${uid}@${DOMAIN}`, subject, ...(extra.headers ? { headers: extra.headers } : {}) }) });
}
