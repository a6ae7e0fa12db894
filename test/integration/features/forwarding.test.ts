import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client } from 'ldapts';
import { featureTestContext, putActiveScript } from '../../support/feature';
import { ApiClient } from '../../support/http';
import { decodedNotices } from '../../support/notices';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, deliverMessage, loadUser, mailboxMessages, makeMessage, readOutbox, resetUser, userDn } from '../../support/stack';

// Users of this file only: others test on the same stack at the same time.
const USER = loadUser(64);
const LDAP_USER = loadUser(65);

const run = promisify(execFile);

const ctx = featureTestContext(USER);

interface ForwardingView {
  etag: string;
  forwarding: { addresses: string[]; keepCopy: boolean };
  limits: { maxAddresses: number };
  store: 'sieve' | 'ldap';
}

async function view(client = ctx.api): Promise<ForwardingView> {
  const res = await client.request('GET', '/api/forwarding');
  expect(res.status).toBe(200);
  return res.body as unknown as ForwardingView;
}

async function save(addresses: string[], keepCopy: boolean, client = ctx.api) {
  return client.request('PUT', '/api/forwarding', { json: { addresses, keepCopy }, headers: { 'if-match': (await view(client)).etag } });
}

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}`;
}


describe('forwarding on real delivery', () => {
  it('forwards a copy and keeps the local one when asked to', async () => {
    const target = `${unique('home')}@example.net`;
    expect((await save([target], true)).status).toBe(200);
    const subject = unique('fwd-keep');
    await deliverMessage({ to: USER.uid, raw: makeMessage({ to: USER.mail, subject }) });
    const sent = (await readOutbox()).filter((m) => m.recipients.includes(target));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.raw).toContain(subject);
    expect((await mailboxMessages(USER.uid)).some((m) => m.includes(subject))).toBe(true);
  });

  it('forwards without a local copy when the switch is off', async () => {
    const target = `${unique('away')}@example.net`;
    expect((await save([target], false)).status).toBe(200);
    const subject = unique('fwd-only');
    await deliverMessage({ to: USER.uid, raw: makeMessage({ to: USER.mail, subject }) });
    expect((await readOutbox()).filter((m) => m.recipients.includes(target) && m.raw.includes(subject))).toHaveLength(1);
    expect((await mailboxMessages(USER.uid)).some((m) => m.includes(subject))).toBe(false);
  });

  it('leaves a notice in the INBOX on every change, saying what, when and from where', async () => {
    const target = `${unique('notice')}@example.net`;
    await save([target], true);
    await save([], true);
    const notices = decodedNotices(await mailboxMessages(USER.uid));
    expect(notices).toHaveLength(2);
    expect(notices[0]).toContain(`Your mail is now forwarded to: ${target}.`);
    expect(notices[0]).toContain('from the address 127.0.0.1');
    expect(notices[0]).toContain('Η αλληλογραφία σας προωθείται πλέον');
    expect(notices[1]).toContain('Forwarding of your mail was turned off.');
  });

  it('counts the redirects in the user’s own filters against the server’s limit', async () => {
    const twoRedirects = 'if header :contains "subject" "a" { redirect "a@example.org"; }\r\nif header :contains "subject" "b" { redirect "b@example.org"; }\r\n';
    await putActiveScript(ctx.server.services.config, USER.uid, 'emailng', twoRedirects);
    expect((await view()).limits.maxAddresses).toBe(2); // MAXREDIRECTS 4 − 2 in the filters
    const res = await save(['x1@example.net', 'x2@example.net', 'x3@example.net'], true);
    expect(res.status).toBe(400);
    expect(res.body.fields).toMatchObject({ addresses: 'too_many' });
  });
});

describe('forwarding (bad input changes nothing)', () => {
  const cases: Array<[string, string[], Record<string, string>]> = [
    ['a malformed address', ['not-an-address'], { 'addresses.0': 'invalid' }],
    ['a Sieve injection', ['x@example.org"; discard; #'], { 'addresses.0': 'invalid' }],
    ['the user’s own login address', [USER.mail], { 'addresses.0': 'own_address' }],
    ['the user’s own alias, in capitals', [USER.alias.toUpperCase()], { 'addresses.0': 'own_address' }],
    ['the same address twice', ['a@example.net', 'A@example.net'], { 'addresses.1': 'duplicate' }],
    ['more than the limit', ['a@example.net', 'b@example.net', 'c@example.net', 'd@example.net'], { addresses: 'too_many' }],
    // Addresses Sieve can carry but mail cannot reach, or that loop or route elsewhere.
    ['a label starting with a hyphen', ['a@-mail.example.net'], { 'addresses.0': 'label_hyphen' }],
    ['a label ending with a hyphen', ['a@mail-.example.net'], { 'addresses.0': 'label_hyphen' }],
    ['a bare IP literal', ['a@[192.0.2.1]'], { 'addresses.0': 'ip_literal' }],
    ['a domain that is an IP address', ['a@192.0.2.1'], { 'addresses.0': 'ip_literal' }],
    ['a local part over 64 octets', [`${'a'.repeat(65)}@example.net`], { 'addresses.0': 'local_part_too_long' }],
    ['a label over 63 octets', [`a@${'b'.repeat(64)}.net`], { 'addresses.0': 'label_too_long' }],
    ['an address over 254 characters (the request schema says so)', [`a@${Array.from({ length: 4 }, () => 'b'.repeat(62)).join('.')}.net`], { 'addresses.0': 'too_long' }],
    ['an address over 254 octets, under 254 characters', [`a@${Array.from({ length: 4 }, () => 'β'.repeat(40)).join('.')}.net`], { 'addresses.0': 'address_too_long' }],
    ['the percent hack', ['victim%evil.example.net@relay.example.net'], { 'addresses.0': 'source_route' }],
    ['a bang path', ['host!user@relay.example.net'], { 'addresses.0': 'source_route' }],
    ['a quoted local part', ['"x@evil.example.net"@example.net'], { 'addresses.0': 'quoted_local_part' }],
    ['the user’s own address with a +detail (a loop)', [USER.mail.replace('@', '+loop@')], { 'addresses.0': 'own_address' }],
    ['the user’s own alias with a +detail, in capitals', [USER.alias.replace('@', '+X@').toUpperCase()], { 'addresses.0': 'own_address' }],
    ['@localhost', ['root@localhost'], { 'addresses.0': 'reserved_domain' }],
    ['a single-label domain', ['someone@mailhub'], { 'addresses.0': 'single_label_domain' }],
    ['a zero-width space in the domain', ['a@exam\u200bple.net'], { 'addresses.0': 'invalid_domain' }],
  ];

  it.each(cases)('%s', async (_name, addresses, fields) => {
    await save(['kept@example.net'], true);
    const before = await view();
    const script = await ctx.script();
    const res = await ctx.api.request('PUT', '/api/forwarding', { json: { addresses, keepCopy: true }, headers: { 'if-match': before.etag } });
    expect(res.status).toBe(400);
    expect(res.body.fields).toMatchObject(fields);
    expect((await view()).etag).toBe(before.etag);
    expect(await ctx.script()).toBe(script);
  });
});

describe('forwarding stored in LDAP (mailForwardingAddress)', () => {
  let ldapServer: TestServer;
  let client: ApiClient;
  const admin = new Client({ url: LDAP.url });

  async function values(): Promise<string[]> {
    const { searchEntries } = await admin.search(userDn(LDAP_USER.uid), { scope: 'base', attributes: ['mailForwardingAddress'] });
    const v = searchEntries[0]?.mailForwardingAddress;
    return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
  }

  beforeAll(async () => {
    ldapServer = await startTestServer((c) => ({ ...c, forwarding: { ...c.forwarding, store: 'ldap' } }));
    await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  });
  afterAll(async () => {
    await ldapServer.close();
    await admin.unbind();
  });
  beforeEach(async () => {
    await resetUser(LDAP_USER.uid);
    client = new ApiClient(ldapServer.url);
    expect((await client.signIn(LDAP_USER.uid, LDAP_USER.password)).status).toBe(200);
  });

  it('writes the addresses, plus the user’s own when keeping a copy, and removes them', async () => {
    expect((await save(['far@example.net'], true, client)).status).toBe(200);
    expect((await values()).sort()).toEqual(['far@example.net', LDAP_USER.mail].sort());
    expect((await view(client)).forwarding).toEqual({ addresses: ['far@example.net'], keepCopy: true });
    await save(['far@example.net'], false, client);
    expect(await values()).toEqual(['far@example.net']);
    await save([], true, client);
    expect(await values()).toEqual([]);
    expect(decodedNotices(await mailboxMessages(LDAP_USER.uid))).toHaveLength(3);
  });

  it('refuses a stale save with 409 and changes nothing', async () => {
    const stale = (await view(client)).etag;
    await save(['one@example.net'], true, client);
    const res = await client.request('PUT', '/api/forwarding', { json: { addresses: ['two@example.net'], keepCopy: true }, headers: { 'if-match': stale } });
    expect(res.status).toBe(409);
    expect((await values()).sort()).toEqual(['one@example.net', LDAP_USER.mail].sort());
  });
});

describe('Postfix reads LDAP forwarding (deploy/postfix/ldap-forwarding.cf)', () => {
  let dir = '';
  const admin = new Client({ url: LDAP.url });
  const ldapUser = loadUser(66);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'emailng-postfix-'));
    // The reference table, pointed at the local stack: plain LDAP on loopback, Dovecot's read account.
    const reference = await readFile('deploy/postfix/ldap-forwarding.cf', 'utf8');
    const local = reference
      .replace(/^server_host = .*$/m, `server_host = ${LDAP.url}`)
      .replace(/^start_tls = .*$/m, 'start_tls = no')
      .replace(/^bind_dn = .*$/m, `bind_dn = ${LDAP.dovecot.dn}`)
      .replace(/^bind_pw = .*$/m, `bind_pw = ${LDAP.dovecot.password}`);
    await writeFile(path.join(dir, 'ldap-forwarding.cf'), local);
    await writeFile(path.join(dir, 'main.cf'), '');
    await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  });
  afterAll(async () => {
    await admin.unbind();
    await rm(dir, { recursive: true, force: true });
  });

  const lookup = async (address: string) => {
    const { stdout } = await run('postmap', ['-c', dir, '-q', address, `ldap:${path.join(dir, 'ldap-forwarding.cf')}`]).catch(
      (e: { code?: number; stdout?: string }) => (e.code === 1 ? { stdout: '' } : Promise.reject(e)),
    );
    return stdout.trim();
  };

  it('expands the address the app wrote, by primary address and by alias', async () => {
    const server = await startTestServer((c) => ({ ...c, forwarding: { ...c.forwarding, store: 'ldap' } }));
    try {
      const client = new ApiClient(server.url);
      await client.signIn(ldapUser.uid, ldapUser.password);
      expect((await save(['far.away@example.net'], true, client)).status).toBe(200);
      const expected = ['far.away@example.net', ldapUser.mail].sort();
      expect((await lookup(ldapUser.mail)).split(',').sort()).toEqual(expected);
      expect((await lookup(ldapUser.alias)).split(',').sort()).toEqual(expected);
      await save([], true, client);
      expect(await lookup(ldapUser.mail)).toBe('');
    } finally {
      await server.close();
    }
  });
});
