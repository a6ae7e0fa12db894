import { describe, expect, it } from 'vitest';
import { MemorySessionStore, SESSION_HANDLE, cleanUserAgent, newSessionHandle, type SessionRecord } from '../../../api/src/auth/session-store';
import { ssoContextRefusal } from '../../../api/src/auth/sso-context';

function record(uid: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return { handle: newSessionHandle(), uid, method: 'password', createdAt: 100, lastSeen: 100, clientAddress: '192.0.2.1', userAgent: 'UA', ...overrides };
}

describe('memory session store', () => {
  it('ends a session only for its own user, by handle or id', async () => {
    const store = new MemorySessionStore(() => 0);
    const alice = record('alice');
    const bob = record('bob');
    await store.create('sid-a', alice, 60);
    await store.create('sid-b', bob, 60);
    expect(await store.endByHandle('alice', bob.handle)).toBe(false);
    expect(await store.end('alice', 'sid-b')).toBe(false);
    expect(await store.get('sid-b')).toEqual(bob);
    expect(await store.endByHandle('alice', alice.handle)).toBe(true);
    expect(await store.get('sid-a')).toBeNull();
    expect(await store.endByHandle('alice', alice.handle)).toBe(false);
  });

  it('expires records after their TTL, slid by touch', async () => {
    const clock = { now: 0 };
    const store = new MemorySessionStore(() => clock.now);
    await store.create('sid', record('carol'), 60);
    clock.now = 50_000;
    await store.touch('sid', 150, 60);
    clock.now = 100_000;
    expect((await store.get('sid'))?.lastSeen).toBe(150);
    clock.now = 111_000;
    expect(await store.get('sid')).toBeNull();
    expect(await store.list('carol')).toEqual([]);
  });

  it('ends every other session of the user, keeping one and other users’', async () => {
    const store = new MemorySessionStore(() => 0);
    for (const sid of ['a1', 'a2', 'a3']) await store.create(sid, record('alice'), 60);
    await store.create('b1', record('bob'), 60);
    expect(await store.endOthers('alice', 'a2')).toBe(2);
    expect((await store.list('alice')).map((s) => s.sid)).toEqual(['a2']);
    expect(await store.list('bob')).toHaveLength(1);
  });

  it('returns the previous password marker', async () => {
    const store = new MemorySessionStore();
    expect(await store.swapPasswordMarker('alice', 'm1')).toBeNull();
    expect(await store.swapPasswordMarker('alice', 'm2')).toBe('m1');
  });

  it('makes handles of one shape, and cleans User-Agents', () => {
    expect(newSessionHandle()).toMatch(SESSION_HANDLE);
    expect(cleanUserAgent(undefined)).toBe('');
    expect(cleanUserAgent('Mozilla\u0000/5.0\u202e\u200b (X11)\r\n')).toBe('Mozilla /5.0 (X11)');
    expect(cleanUserAgent('x'.repeat(100_000))).toHaveLength(256);
  });
});

describe('where /sso may be used', () => {
  it('only in a frame on the same site, or another site when the cookie is partitioned', () => {
    expect(ssoContextRefusal({ dest: 'iframe', site: 'same-site' }, false)).toBeNull();
    expect(ssoContextRefusal({ dest: 'iframe', site: 'same-origin' }, false)).toBeNull();
    expect(ssoContextRefusal({ dest: 'iframe', site: 'cross-site' }, true)).toBeNull();
    expect(ssoContextRefusal({ dest: 'iframe', site: 'cross-site' }, false)).toBe('cross_site');
    expect(ssoContextRefusal({ dest: 'iframe', site: 'none' }, true)).toBe('cross_site');
    expect(ssoContextRefusal({ dest: 'iframe', site: undefined }, false)).toBe('cross_site');
    expect(ssoContextRefusal({ dest: 'document', site: 'same-site' }, false)).toBe('not_framed');
    expect(ssoContextRefusal({ dest: undefined, site: undefined }, true)).toBe('not_framed');
  });
});
