import { randomBytes } from 'node:crypto';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aliasPolicy } from '../../../api/src/features/aliases/policy';
import { AliasService } from '../../../api/src/features/aliases/service';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { DOMAIN, LDAP, USERS, deliverMessage, loadUser, mailboxMessages, makeMessage, resetUser, userDn } from '../../support/stack';

// Users written here: load012 (create/change/remove), load010 + load011 (the race),
// load013 (refusals, hostile input). Their mailAlternateAddress is restored after each test.
const CRUD = loadUser(12);
const RACE_A = loadUser(10);
const RACE_B = loadUser(11);
const HOSTILE = loadUser(13);
const WRITTEN = [CRUD, RACE_A, RACE_B, HOSTILE];

let server: TestServer;
let admin: Client;
const original = new Map<string, string[]>();
// A temporary person whose uid and mail are long enough to be valid alias local parts.
const tempUid = `aliastest${randomBytes(4).toString('hex')}`;
const tempMail = `aliasmail${randomBytes(4).toString('hex')}@${DOMAIN}`;

async function alternates(uid: string): Promise<string[]> {
  const { searchEntries } = await admin.search(userDn(uid), { scope: 'base', attributes: ['mailAlternateAddress'] });
  const value = searchEntries[0]?.mailAlternateAddress ?? [];
  return (Array.isArray(value) ? value : [value]).map(String).sort();
}

async function restore(uid: string): Promise<void> {
  const values = original.get(uid);
  if (!values) return;
  if ((await alternates(uid)).join() === [...values].sort().join()) return;
  await admin.modify(userDn(uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'mailAlternateAddress', values }) }));
}

function fresh(prefix = 'emailng'): string {
  return `${prefix}.${randomBytes(5).toString('hex')}@${DOMAIN}`;
}

async function signedIn(user: { uid: string; password: string }): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  const res = await client.signIn(user.uid, user.password);
  expect(res.status).toBe(200);
  return client;
}

beforeAll(async () => {
  server = await startTestServer((config) => ({ ...config, aliases: { ...config.aliases, checksPerMinute: 1000, reserved: ['dean-office-cs'] } }));
  admin = new Client({ url: LDAP.url });
  await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  for (const u of WRITTEN) original.set(u.uid, await alternates(u.uid));
  await admin.add(`uid=${tempUid},${LDAP.peopleDn}`, {
    objectClass: ['inetOrgPerson'],
    uid: tempUid,
    cn: 'Alias Test',
    sn: 'Test',
    mail: tempMail,
  });
});

afterEach(async () => {
  for (const u of WRITTEN) await restore(u.uid);
});

afterAll(async () => {
  for (const u of WRITTEN) await restore(u.uid);
  await admin.del(`uid=${tempUid},${LDAP.peopleDn}`).catch(() => undefined);
  await admin.unbind();
  await server.close();
});

describe('GET /api/aliases', () => {
  it('shows login, default and additional addresses, and the policy', async () => {
    const bob = await signedIn(USERS.bob);
    const res = await bob.request('GET', '/api/aliases');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      login: 'bob@cs.ucy.ac.cy',
      default: 'bob.builder@cs.ucy.ac.cy',
      additional: [],
      policy: { domain: 'cs.ucy.ac.cy', minLocalPartLength: 10, maxLocalPartLength: 64, maxAdditional: 1, punctuation: '.-' },
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('needs a session, and writes need the CSRF token', async () => {
    expect((await new ApiClient(server.url).request('GET', '/api/aliases')).status).toBe(401);
    const client = await signedIn(CRUD);
    const res = await client.request('PUT', '/api/aliases/additional', { json: { address: fresh() }, csrf: false });
    expect(res.status).toBe(403);
    expect(await alternates(CRUD.uid)).toEqual(original.get(CRUD.uid));
  });
});

describe('create, change, remove the additional alias', () => {
  it('creates, changes and removes it: the directory entry says so at each step, and the default stays', async () => {
    const client = await signedIn(CRUD);
    const first = fresh();
    const created = await client.request('PUT', '/api/aliases/additional', { json: { address: first.toUpperCase() } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ default: CRUD.alias, additional: [first], changed: true });
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias, first].sort());

    // The same again changes nothing.
    const again = await client.request('PUT', '/api/aliases/additional', { json: { address: first } });
    expect(again.body).toMatchObject({ additional: [first], changed: false });

    // Only the local part: the site's domain is added. One alias allowed: it replaces the first.
    const second = fresh();
    const changed = await client.request('PUT', '/api/aliases/additional', { json: { address: second.split('@')[0] } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ default: CRUD.alias, additional: [second] });
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias, second].sort());

    // Replacing a value that is no longer hers: 409 changed, nothing written.
    const stale = await client.request('PUT', '/api/aliases/additional', { json: { address: fresh(), replace: first } });
    expect(stale.status).toBe(409);
    expect(stale.body.fields).toEqual({ address: 'changed' });
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias, second].sort());

    const removed = await client.request('DELETE', '/api/aliases/additional');
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ default: CRUD.alias, additional: [] });
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias]);
    // Removing again is harmless; the default cannot be removed here.
    expect((await client.request('DELETE', '/api/aliases/additional')).body).toMatchObject({ changed: false });
    const def = await client.request('DELETE', `/api/aliases/additional?address=${encodeURIComponent(CRUD.alias)}`);
    expect(def.status).toBe(403);
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias]);
  });

  it('writes an audit line per change with uid, what changed and the client address', async () => {
    const client = await signedIn(CRUD);
    const alias = fresh();
    await client.request('PUT', '/api/aliases/additional', { json: { address: alias } });
    await client.request('DELETE', '/api/aliases/additional');
    const audit = server.logs.filter((l) => l.log === 'audit' && l.uid === CRUD.uid);
    expect(audit).toContainEqual(expect.objectContaining({ event: 'alias_set', added: alias, removed: null, client: '127.0.0.1' }));
    expect(audit).toContainEqual(expect.objectContaining({ event: 'alias_removed', removed: alias, client: '127.0.0.1' }));
  });

  it('mail to the new alias reaches the user’s INBOX', async () => {
    await resetUser(CRUD.uid);
    const client = await signedIn(CRUD);
    const alias = fresh();
    expect((await client.request('PUT', '/api/aliases/additional', { json: { address: alias } })).status).toBe(200);
    const subject = `to alias ${randomBytes(4).toString('hex')}`;
    const raw = makeMessage({ to: alias, subject });
    // The stack's LMTP accepts only uid and mail (the MTA resolves aliases in the real system;
    // deploy/stack/README.md). So resolve the alias as the MTA does — by mailAlternateAddress in
    // the directory — and deliver to the mailbox it names. If LMTP ever accepts aliases, use it.
    let recipient = alias;
    try {
      await deliverMessage({ to: alias, raw });
    } catch {
      const { searchEntries } = await admin.search(LDAP.peopleDn, { scope: 'sub', filter: `(mailAlternateAddress=${alias})`, attributes: ['mail'] });
      expect(searchEntries.map((e) => e.dn)).toEqual([userDn(CRUD.uid)]);
      recipient = String(searchEntries[0]?.mail);
      await deliverMessage({ to: recipient, raw });
    }
    expect(recipient).toBeTruthy();
    const inbox = await mailboxMessages(CRUD.uid);
    expect(inbox.some((m) => m.includes(`Subject: ${subject}`) && m.includes(`To: ${alias}`))).toBe(true);
  });
});

describe('onAddressesChanged (the hook for the vacation block’s :addresses)', () => {
  function service(hook: (uid: string, addresses: string[]) => Promise<void>) {
    const { directory, config, logger } = server.services;
    return new AliasService({ directory, policy: aliasPolicy(config), logger, checksPerMinute: 1000, onAddressesChanged: hook });
  }

  it('is called after each change with every address the user now has', async () => {
    const calls: Array<[string, string[]]> = [];
    const aliases = service(async (uid, addresses) => void calls.push([uid, addresses]));
    const alias = fresh();
    await aliases.setAdditional(CRUD.uid, alias, undefined, '192.0.2.1');
    await aliases.removeAdditional(CRUD.uid, undefined, '192.0.2.1');
    expect(calls).toEqual([
      [CRUD.uid, [CRUD.mail, CRUD.alias, alias]],
      [CRUD.uid, [CRUD.mail, CRUD.alias]],
    ]);
  });

  it('when it fails, the directory change is undone and the error surfaces', async () => {
    const kept = fresh();
    await service(async () => undefined).setAdditional(CRUD.uid, kept, undefined, '192.0.2.1');
    const failing = service(async () => {
      throw new Error('sieve down');
    });
    await expect(failing.setAdditional(CRUD.uid, fresh(), undefined, '192.0.2.1')).rejects.toThrow('sieve down');
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias, kept].sort());
    await expect(failing.removeAdditional(CRUD.uid, kept, '192.0.2.1')).rejects.toThrow('sieve down');
    expect(await alternates(CRUD.uid)).toEqual([CRUD.alias, kept].sort());
  });
});

describe('refusals', () => {
  const refusedCases: Array<[string, () => string, number, string]> = [
    ['another user’s default alias', () => RACE_B.alias, 409, 'taken'],
    ['a Greek user’s default alias', () => USERS.gandre01.alias, 409, 'taken'],
    ['another user’s uid', () => `${tempUid}@${DOMAIN}`, 409, 'taken'],
    ['another user’s uid, upper case', () => tempUid.toUpperCase(), 409, 'taken'],
    ['another user’s mail', () => tempMail, 409, 'taken'],
    ['a list’s address', () => `seminar-list@${DOMAIN}`, 409, 'taken'],
    ['her own default alias', () => HOSTILE.alias, 400, 'own_address'],
    ['too short', () => 'short', 400, 'too_short'],
    ['another domain', () => 'long.enough.name@example.org', 400, 'wrong_domain'],
    ['postmaster (RFC 2142)', () => 'postmaster', 400, 'role_address'],
    ['hostmaster, full address in capitals', () => `HOSTMASTER@${DOMAIN.toUpperCase()}`, 400, 'role_address'],
    ['mailer-daemon', () => 'mailer-daemon', 400, 'role_address'],
    ['mailer.daemon (another separator)', () => 'Mailer.Daemon', 400, 'role_address'],
    ['administrator', () => 'administrator', 400, 'role_address'],
    ['p0stmaster (a look-alike)', () => 'p0stmaster', 400, 'role_address'],
    ['the API’s own service account', () => 'emailng-api', 400, 'role_address'],
    ['a name on the site’s list', () => 'dean.office.cs', 400, 'role_address'],
  ];

  for (const [what, address, status, field] of refusedCases) {
    it(`${what}: ${status} ${field || 'accepted'}, entry unchanged when refused`, async () => {
      const client = await signedIn(HOSTILE);
      const res = await client.request('PUT', '/api/aliases/additional', { json: { address: address() } });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (status !== 200) {
        expect(res.body.code).toBe(status === 409 ? 'conflict' : 'validation');
        expect(res.body.fields).toEqual({ address: field });
        expect(await alternates(HOSTILE.uid)).toEqual(original.get(HOSTILE.uid));
        const check = await client.request('GET', `/api/aliases/availability?address=${encodeURIComponent(address())}`);
        expect(check.body).toEqual({ available: false, reason: field });
      }
    });
  }

  it('refuses somebody else’s additional alias', async () => {
    const owner = await signedIn(RACE_A);
    const alias = fresh();
    expect((await owner.request('PUT', '/api/aliases/additional', { json: { address: alias } })).status).toBe(200);
    const other = await signedIn(HOSTILE);
    const res = await other.request('PUT', '/api/aliases/additional', { json: { address: alias } });
    expect(res.status).toBe(409);
    expect(res.body.fields).toEqual({ address: 'taken' });
    // "taken" says nothing about whose it is.
    expect(res.text).not.toContain(RACE_A.uid);
    const check = await other.request('GET', `/api/aliases/availability?address=${encodeURIComponent(alias)}`);
    expect(check.body).toEqual({ available: false, reason: 'taken' });
    expect(check.text).not.toContain(RACE_A.uid);
  });

  it('hostile input finds nothing and changes nothing', async () => {
    const client = await signedIn(HOSTILE);
    const hostile = [
      '*',
      `*@${DOMAIN}`,
      'load.user01*',
      `load.user01*@${DOMAIN}`,
      '*)(uid=*',
      `x*)(|(mail=*@${DOMAIN}`,
      '(objectclass=*)',
      'backslash\\5cuser',
      `load.user\\2a@${DOMAIN}`,
      'nul.character\0x',
      `bob.builder\0@${DOMAIN}`,
      'γιώργος.ανδρέου',
      `giorgos.andreou\u200b@${DOMAIN}`,
      'emoji.alias😀x',
      'x'.repeat(10_000),
      `${'a'.repeat(64)}@${'b'.repeat(250)}`,
    ];
    for (const address of hostile) {
      const put = await client.request('PUT', '/api/aliases/additional', { json: { address } });
      expect(put.status, JSON.stringify(address).slice(0, 60)).toBe(400);
      expect(put.body.code).toBe('validation');
      expect(['invalid_characters', 'too_long', 'wrong_domain']).toContain((put.body.fields as Record<string, string>).address);
      if (address.length < 1000) {
        const check = await client.request('GET', `/api/aliases/availability?address=${encodeURIComponent(address)}`);
        expect(check.status).toBe(200);
        expect(check.body.available).toBe(false);
      }
      const del = await client.request('DELETE', `/api/aliases/additional?address=${encodeURIComponent(address.slice(0, 300))}`);
      expect([404, 400]).toContain(del.status);
    }
    expect(await alternates(HOSTILE.uid)).toEqual(original.get(HOSTILE.uid));

    // Below the policy: the directory search itself escapes every value, so a wildcard is a
    // literal character that no entry has.
    const { directory } = server.services;
    expect(await directory.findAddressHolders(RACE_B.alias, 'load011')).toContain(userDn(RACE_B.uid));
    for (const value of ['*', `*@${DOMAIN}`, 'load.user01*', '*)(uid=*', '\\2a', '\0', 'load*', `load.user011@${DOMAIN})(uid=*`]) {
      expect(await directory.findAddressHolders(value, value), value).toEqual([]);
    }
  });

  it('sends a body that is not JSON of the right shape to validation', async () => {
    const client = await signedIn(HOSTILE);
    const res = await client.request('PUT', '/api/aliases/additional', { json: { address: 42 } });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ address: 'invalid' });
    const missing = await client.request('PUT', '/api/aliases/additional', { json: {} });
    expect(missing.body.fields).toEqual({ address: 'required' });
  });
});

describe('availability', () => {
  it('says available for a free address and for her own additional alias', async () => {
    const client = await signedIn(HOSTILE);
    const alias = fresh();
    expect((await client.request('GET', `/api/aliases/availability?address=${alias}`)).body).toEqual({ available: true });
    await client.request('PUT', '/api/aliases/additional', { json: { address: alias } });
    expect((await client.request('GET', `/api/aliases/availability?address=${alias}`)).body).toEqual({ available: true });
  });

  it('is limited per user per minute', async () => {
    const limited = await startTestServer((config) => ({ ...config, aliases: { ...config.aliases, checksPerMinute: 3 } }));
    try {
      const client = new ApiClient(limited.url);
      await client.signIn(HOSTILE.uid, HOSTILE.password);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await client.request('GET', `/api/aliases/availability?address=${fresh()}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const res = await client.request('GET', `/api/aliases/availability?address=${fresh()}`);
      expect(res.body.code).toBe('rate_limited');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('the race', () => {
  it('two users claiming the same new alias at the same moment: exactly one gets it, the other 409 taken', async () => {
    const a = await signedIn(RACE_A);
    const b = await signedIn(RACE_B);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const alias = fresh('race');
      const [ra, rb] = await Promise.all([
        a.request('PUT', '/api/aliases/additional', { json: { address: alias } }),
        b.request('PUT', '/api/aliases/additional', { json: { address: alias } }),
      ]);
      expect([ra.status, rb.status].sort(), `round ${i}`).toEqual([200, 409]);
      const loser = ra.status === 409 ? ra : rb;
      expect(loser.body.code).toBe('conflict');
      expect(loser.body.fields).toEqual({ address: 'taken' });
      const holders = [(await alternates(RACE_A.uid)).includes(alias), (await alternates(RACE_B.uid)).includes(alias)];
      expect(holders.filter(Boolean)).toHaveLength(1);
      expect(holders[0]).toBe(ra.status === 200);
      outcomes.push(ra.status === 200 ? 'a' : 'b');
    }
    // Both defaults untouched throughout.
    expect(await alternates(RACE_A.uid)).toContain(RACE_A.alias);
    expect(await alternates(RACE_B.uid)).toContain(RACE_B.alias);
    expect(outcomes).toHaveLength(20);
    // At least some rounds got past both searches and were decided by the directory's unique
    // overlay (serialize) refusing the second modify — the path the search alone cannot cover.
    expect(server.logs.filter((l) => l.event === 'alias_taken_by_directory').length).toBeGreaterThan(0);
  });
});
