// The local mail stack itself (deploy/stack/): real slapd and real Dovecot on loopback.
// Run: bash deploy/stack/up.sh && npx vitest run --project integration test/integration/stack.test.ts
//
// Speaks the protocols raw (a tiny line reader over TCP) so it tests the stack, not our
// clients.  Never logs in with a wrong password at Dovecot: a failed login delays every
// later login from the same address (docs/ARCHITECTURE.md, decision 3); wrong passwords are tried against LDAP.
import { readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Attribute,
  Change,
  Client,
  ConstraintViolationError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
} from 'ldapts';
import {
  DIRECTORS,
  LDAP,
  MASTER,
  SIEVE,
  STACK_DIR,
  USERS,
  DEFAULT_QUOTA,
  deliverMessage,
  mailboxMessages,
  makeMessage,
  readOutbox,
  resetUser,
  waitForOutbox,
  startPiece,
  stopPiece,
  userDn,
  type Director,
} from '../support/stack';
import { ampdpRequest } from '../../api/src/backends/quarantine';
import { AMAVIS_LDAP_ACCOUNT, CONTENT_FILTER, RELEASE_ENDPOINT, mailLogAs } from '../support/content-filter';

// Another test file may have left a piece stopped; start is a no-op for running pieces.
beforeAll(async () => {
  for (const piece of ['ldap', 'backend', 'theano', 'elysso', 'pg', 'amavis'] as const) await startPiece(piece);
});

// ---------------------------------------------------------------------------------------
// A minimal line-oriented TCP client (CRLF lines, `{n}` / `{n+}` literals at line end)

class LineClient {
  private buffer = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private ended: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    const end = (err?: Error) => {
      this.ended ??= err ?? new Error('connection closed');
      this.wake?.();
    };
    socket.on('error', end);
    socket.on('close', () => end());
  }

  static connect(host: string, port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  private async waitFor(ready: () => boolean): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!ready()) {
      if (this.ended) throw this.ended;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for the server');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Next line without CRLF; a trailing `{n}` literal is read and appended (with its CRLF). */
  async line(): Promise<string> {
    await this.waitFor(() => this.buffer.includes('\r\n'));
    const i = this.buffer.indexOf('\r\n');
    let text = this.buffer.subarray(0, i).toString('utf8');
    this.buffer = this.buffer.subarray(i + 2);
    const literal = /\{(\d+)\+?\}$/.exec(text);
    if (literal) {
      const n = Number(literal[1]);
      await this.waitFor(() => this.buffer.length >= n);
      text += `\r\n${this.buffer.subarray(0, n).toString('utf8')}`;
      this.buffer = this.buffer.subarray(n);
      text += await this.line();
    }
    return text;
  }

  write(data: string): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }
}

// IMAP: tagged commands, returns the untagged lines and the tagged status line.
class Imap {
  private n = 0;
  private constructor(readonly c: LineClient, readonly greeting: string) {}

  static async connect(host: string, port: number): Promise<Imap> {
    const c = await LineClient.connect(host, port);
    return new Imap(c, await c.line());
  }

  async command(cmd: string): Promise<{ ok: boolean; status: string; lines: string[] }> {
    const tag = `t${++this.n}`;
    this.c.write(`${tag} ${cmd}\r\n`);
    const lines: string[] = [];
    for (;;) {
      const l = await this.c.line();
      if (l.startsWith(`${tag} `)) return { ok: l.startsWith(`${tag} OK`), status: l, lines };
      lines.push(l);
    }
  }

  async logout(): Promise<void> {
    await this.command('LOGOUT').catch(() => undefined);
    this.c.close();
  }
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}
function plain(authz: string, authc: string, password: string): string {
  return b64(`${authz}\0${authc}\0${password}`);
}

// ManageSieve (RFC 5804): responses end with OK / NO / BYE.
class Sieve {
  private constructor(readonly c: LineClient) {}

  static async connect(host: string, port: number): Promise<{ sieve: Sieve; capabilities: string[] }> {
    const c = await LineClient.connect(host, port);
    const s = new Sieve(c);
    const greeting = await s.response();
    expect(greeting.ok).toBe(true);
    return { sieve: s, capabilities: greeting.lines };
  }

  async response(): Promise<{ ok: boolean; status: string; lines: string[] }> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.c.line();
      if (/^(OK|NO|BYE)\b/.test(l)) return { ok: l.startsWith('OK'), status: l, lines };
      lines.push(l);
    }
  }

  async command(cmd: string): Promise<{ ok: boolean; status: string; lines: string[] }> {
    this.c.write(`${cmd}\r\n`);
    return this.response();
  }

  async putScript(name: string, script: string): Promise<{ ok: boolean; status: string }> {
    const bytes = Buffer.byteLength(script, 'utf8');
    this.c.write(`PUTSCRIPT "${name}" {${bytes}+}\r\n${script}\r\n`);
    return this.response();
  }

  async logout(): Promise<void> {
    await this.command('LOGOUT').catch(() => undefined);
    this.c.close();
  }
}

/** ManageSieve session for `uid` as the master user (SASL PLAIN with authzid), through a director. */
async function sieveAs(uid: string, director: Director = DIRECTORS[0]!): Promise<Sieve> {
  const { sieve } = await Sieve.connect(director.host, director.sievePort);
  const auth = await sieve.command(`AUTHENTICATE "PLAIN" "${plain(uid, MASTER.name, MASTER.password)}"`);
  expect(auth.ok, auth.status).toBe(true);
  return sieve;
}

/** IMAP session for `uid` as `uid*emailng-api`, through a director. */
async function imapAs(uid: string, director: Director = DIRECTORS[0]!): Promise<Imap> {
  const imap = await Imap.connect(director.host, director.imapPort);
  const login = await imap.command(`LOGIN "${uid}${MASTER.separator}${MASTER.name}" "${MASTER.password}"`);
  expect(login.ok, login.status).toBe(true);
  return imap;
}

async function messageCount(uid: string, mailbox: string): Promise<number> {
  const imap = await imapAs(uid);
  try {
    const r = await imap.command(`STATUS "${mailbox}" (MESSAGES)`);
    expect(r.ok, r.status).toBe(true);
    const m = /MESSAGES (\d+)/.exec(r.lines.join('\n'));
    return Number(m?.[1] ?? NaN);
  } finally {
    await imap.logout();
  }
}

/** Parses `* QUOTA "root" (STORAGE used limit MESSAGE used limit)`. */
function quotaOf(lines: string[]): Record<string, { used: number; limit: number }> {
  const q = lines.find((l) => l.startsWith('* QUOTA '));
  const out: Record<string, { used: number; limit: number }> = {};
  const inner = /\(([^)]*)\)/.exec(q ?? '')?.[1] ?? '';
  const parts = inner.split(/\s+/);
  for (let i = 0; i + 2 < parts.length + 1; i += 3) {
    const [name, used, limit] = [parts[i], parts[i + 1], parts[i + 2]];
    if (name) out[name] = { used: Number(used), limit: Number(limit) };
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// LDAP

type Entries = Awaited<ReturnType<Client['search']>>['searchEntries'];

/** What a search shows: no entries, or noSuchObject when even the base is hidden, both count as "nothing". */
async function visibleEntries(client: Client, base: string, options: Parameters<Client['search']>[1]): Promise<Entries> {
  try {
    return (await client.search(base, options)).searchEntries;
  } catch (e) {
    if (e instanceof NoSuchObjectError) return [];
    throw e;
  }
}

async function ldapAs(dn?: string, password?: string): Promise<Client> {
  const client = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
  if (dn) await client.bind(dn, password);
  return client;
}

describe('OpenLDAP (ldap://127.0.0.1:3389)', () => {
  it('lets alice bind with her password and refuses a wrong one', async () => {
    const alice = await ldapAs(userDn('alice'), USERS.alice.password);
    await alice.unbind();
    const other = new Client({ url: LDAP.url });
    await expect(other.bind(userDn('alice'), 'not-her-password')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await other.unbind();
  });

  it('shows anonymous nothing', async () => {
    const anon = await ldapAs();
    try {
      expect(await visibleEntries(anon, LDAP.suffix, { scope: 'sub', filter: '(objectClass=*)' })).toEqual([]);
      expect(await visibleEntries(anon, LDAP.peopleDn, { scope: 'sub', filter: '(uid=alice)' })).toEqual([]);
      expect(await visibleEntries(anon, userDn('alice'), { scope: 'base' })).toEqual([]);
    } finally {
      await anon.unbind();
    }
  });

  it('lets alice find and read her own entry, without her password hash, and not bob’s', async () => {
    const alice = await ldapAs(userDn('alice'), USERS.alice.password);
    try {
      const own = await alice.search(LDAP.peopleDn, { scope: 'sub', filter: '(uid=alice)', attributes: ['*', 'userPassword'] });
      expect(own.searchEntries).toHaveLength(1);
      const entry = own.searchEntries[0]!;
      expect(entry.dn).toBe(userDn('alice'));
      expect(entry.mail).toBe(USERS.alice.mail);
      expect(entry.mailAlternateAddress).toBe(USERS.alice.alias);
      expect(entry.mailQuota).toBe('104857600');
      expect(entry.cn).toBe('Alice Liddell');
      // (ldapts lists a requested attribute the server did not return as [])
      expect(entry.userPassword ?? []).toEqual([]);
      const bob = await alice.search(LDAP.peopleDn, { scope: 'sub', filter: '(uid=bob)' });
      expect(bob.searchEntries).toEqual([]);
      expect(await visibleEntries(alice, userDn('bob'), { scope: 'base' })).toEqual([]);
    } finally {
      await alice.unbind();
    }
  });

  it('keeps the Greek display name intact', async () => {
    const api = await ldapAs(LDAP.api.dn, LDAP.api.password);
    try {
      const r = await api.search(LDAP.peopleDn, { scope: 'sub', filter: '(uid=gandre01)', attributes: ['cn', 'displayName', 'givenName', 'sn'] });
      expect(r.searchEntries[0]).toMatchObject({ cn: 'Γιώργος Ανδρέου', displayName: 'Γιώργος Ανδρέου', givenName: 'Γιώργος', sn: 'Ανδρέου' });
    } finally {
      await api.unbind();
    }
  });

  it('does not let alice write her own mailAlternateAddress', async () => {
    const alice = await ldapAs(userDn('alice'), USERS.alice.password);
    try {
      const change = new Change({
        operation: 'add',
        modification: new Attribute({ type: 'mailAlternateAddress', values: ['alice.wonderland.x@cs.ucy.ac.cy'] }),
      });
      await expect(alice.modify(userDn('alice'), change)).rejects.toBeInstanceOf(InsufficientAccessError);
    } finally {
      await alice.unbind();
    }
  });

  it('lets the service account read people and groups, write bob’s aliases, but not his mail or password', async () => {
    const api = await ldapAs(LDAP.api.dn, LDAP.api.password);
    const extra = 'bob.stack-test.alias@cs.ucy.ac.cy';
    try {
      const groups = await api.search(LDAP.groupsDn, { scope: 'one', filter: '(objectClass=groupOfUniqueNames)' });
      expect(groups.searchEntries.map((e) => e.cn).sort()).toEqual(['cs-staff', 'cs-students', 'helpdesk', 'helpdesk-readonly', 'seminar-list']);
      const bob = await api.search(userDn('bob'), { scope: 'base', attributes: ['*', 'userPassword'] });
      expect(bob.searchEntries[0]?.userPassword ?? []).toEqual([]);

      await api.modify(
        userDn('bob'),
        new Change({ operation: 'add', modification: new Attribute({ type: 'mailAlternateAddress', values: [extra] }) }),
      );
      const after = await api.search(userDn('bob'), { scope: 'base', attributes: ['mailAlternateAddress'] });
      expect(after.searchEntries[0]?.mailAlternateAddress).toEqual([USERS.bob.alias, extra]);
      await api.modify(
        userDn('bob'),
        new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisSpamTag2Level', values: ['5.5'] }) }),
      );

      await expect(
        api.modify(
          userDn('bob'),
          new Change({ operation: 'replace', modification: new Attribute({ type: 'mail', values: ['bob2@cs.ucy.ac.cy'] }) }),
        ),
      ).rejects.toBeInstanceOf(InsufficientAccessError);
      await expect(
        api.modify(
          userDn('bob'),
          new Change({ operation: 'replace', modification: new Attribute({ type: 'userPassword', values: ['x'] }) }),
        ),
      ).rejects.toBeInstanceOf(InsufficientAccessError);
    } finally {
      await api
        .modify(userDn('bob'), [
          new Change({ operation: 'replace', modification: new Attribute({ type: 'mailAlternateAddress', values: [USERS.bob.alias] }) }),
          new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisSpamTag2Level', values: [] }) }),
        ])
        .catch(() => undefined);
      await api.unbind();
    }
  });

  it('refuses (unique overlay) a second user or alias with an existing mailAlternateAddress', async () => {
    const admin = await ldapAs(LDAP.admin.dn, LDAP.admin.password);
    const api = await ldapAs(LDAP.api.dn, LDAP.api.password);
    const dn = userDn('uniqtest');
    try {
      await expect(
        admin.add(dn, {
          objectClass: ['inetOrgPerson', 'emailngMailUser', 'amavisAccount'],
          uid: 'uniqtest',
          cn: 'Uniq Test',
          sn: 'Test',
          mail: 'uniqtest@cs.ucy.ac.cy',
          mailAlternateAddress: USERS.alice.alias,
        }),
      ).rejects.toBeInstanceOf(ConstraintViolationError);
      await expect(
        admin.add(dn, {
          objectClass: ['inetOrgPerson', 'emailngMailUser', 'amavisAccount'],
          uid: 'uniqtest',
          cn: 'Uniq Test',
          sn: 'Test',
          mail: USERS.alice.mail,
        }),
      ).rejects.toBeInstanceOf(ConstraintViolationError);
      await expect(
        api.modify(
          userDn('bob'),
          new Change({ operation: 'add', modification: new Attribute({ type: 'mailAlternateAddress', values: [USERS.alice.alias] }) }),
        ),
      ).rejects.toBeInstanceOf(ConstraintViolationError);
    } finally {
      await admin.del(dn).catch(() => undefined);
      await admin.unbind();
      await api.unbind();
    }
  });
});

describe('OpenLDAP: amavisd-new’s schema and account', () => {
  it('has amavisAccount from amavis.schema on every person; amavisd’s account reads the settings and the address only', async () => {
    const api = await ldapAs(LDAP.api.dn, LDAP.api.password);
    const amavis = await ldapAs(AMAVIS_LDAP_ACCOUNT.dn, AMAVIS_LDAP_ACCOUNT.password);
    try {
      const schema = await api.search('cn=Subschema', { scope: 'base', attributes: ['objectClasses'] });
      const classes = ([] as string[]).concat(schema.searchEntries[0]?.objectClasses as string[]);
      // amavisd-new's own OID arc, not a look-alike
      expect(classes.find((c) => c.includes("NAME 'amavisAccount'"))).toMatch(/^\( 1\.3\.6\.1\.4\.1\.15312\.2\.2\.2\.1 /);
      const all = await api.search(LDAP.peopleDn, { scope: 'one', filter: '(objectClass=inetOrgPerson)', attributes: ['objectClass'] });
      expect(all.searchEntries.length).toBeGreaterThan(200);
      expect(all.searchEntries.filter((e) => !([] as string[]).concat(e.objectClass as string[]).includes('amavisAccount'))).toEqual([]);

      await api.modify(
        userDn('bob'),
        new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisSpamKillLevel', values: ['12.5'] }) }),
      );
      const seen = await amavis.search(LDAP.peopleDn, {
        scope: 'sub',
        filter: `(&(objectClass=amavisAccount)(mail=${USERS.bob.mail}))`,
        attributes: ['objectClass', 'mail', 'amavisSpamKillLevel', 'uid', 'cn', 'mailAlternateAddress', 'mailQuota', 'userPassword'],
      });
      const { dn: _dn, ...attrs } = seen.searchEntries[0]!;
      // (ldapts lists a requested attribute the server did not return as [])
      const returned = Object.fromEntries(Object.entries(attrs).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
      expect(returned).toEqual({
        objectClass: ['inetOrgPerson', 'emailngMailUser', 'amavisAccount'],
        mail: USERS.bob.mail,
        amavisSpamKillLevel: '12.5',
      });
      await expect(
        amavis.modify(
          userDn('bob'),
          new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisSpamKillLevel', values: ['99'] }) }),
        ),
      ).rejects.toBeInstanceOf(InsufficientAccessError);
    } finally {
      await api
        .modify(userDn('bob'), new Change({ operation: 'replace', modification: new Attribute({ type: 'amavisSpamKillLevel', values: [] }) }))
        .catch(() => undefined);
      await api.unbind();
      await amavis.unbind();
    }
  });
});

// ---------------------------------------------------------------------------------------
// The content filter's pieces (behaviour: test/integration/content-filter.test.ts)

describe('amavisd-new and PostgreSQL', () => {
  it('amavisd greets on SMTP 127.0.0.1:10024 and answers AM.PDP on :9998', async () => {
    const smtp = await LineClient.connect(CONTENT_FILTER.host, CONTENT_FILTER.smtpPort);
    try {
      expect(await smtp.line()).toMatch(/^220 /);
    } finally {
      smtp.close();
    }
    // A release without a secret_id is refused (auth_required_release).
    const answer = await ampdpRequest(RELEASE_ENDPOINT, [
      ['request', 'release'],
      ['mail_id', 'AAAAAAAAAAAA'],
      ['quar_type', 'Q'],
    ]);
    expect(answer.get('setreply')?.[0]).toMatch(/^[45]\d\d /);
  });

  it('mail_log on 127.0.0.1:5433: webapp reads and may only set rs; housekeeping may delete', async () => {
    const webapp = await mailLogAs('webapp');
    const housekeeping = await mailLogAs('housekeeping');
    try {
      const tables = await webapp.query<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(tables.rows.map((r) => r.t)).toEqual(['emailng_digest', 'maddr', 'msgrcpt', 'msgs', 'quarantine']);
      const grants = await webapp.query<{ t: string; p: string }>(
        `SELECT table_name AS t, privilege_type AS p FROM information_schema.role_table_grants
          WHERE grantee = 'webapp' ORDER BY 1, 2`,
      );
      // amavisd's tables: read only; the app's own digest state (mail_log.d/20-digests.sql): read and write, never delete.
      expect(grants.rows.map((r) => `${r.t}:${r.p}`)).toEqual([
        'emailng_digest:INSERT', 'emailng_digest:SELECT', 'emailng_digest:UPDATE',
        'maddr:SELECT', 'msgrcpt:SELECT', 'msgs:SELECT', 'quarantine:SELECT',
      ]);
      const columns = await webapp.query<{ c: string }>(
        `SELECT table_name || '.' || column_name AS c FROM information_schema.column_privileges
          WHERE grantee = 'webapp' AND privilege_type = 'UPDATE' AND table_name <> 'emailng_digest'`,
      );
      expect(columns.rows.map((r) => r.c)).toEqual(['msgrcpt.rs']);
      await expect(webapp.query('DELETE FROM maddr WHERE false')).rejects.toThrow(/permission denied/);

      // Inside a transaction that is rolled back: only the permission is under test.
      await housekeeping.query('BEGIN');
      await housekeeping.query(`DELETE FROM msgs WHERE time_iso < now() - interval '3650 days'`);
      await housekeeping.query('DELETE FROM quarantine WHERE false');
      await expect(housekeeping.query(`UPDATE msgrcpt SET rs = 'D' WHERE false`)).rejects.toThrow(/permission denied/);
      await housekeeping.query('ROLLBACK');
    } finally {
      await webapp.end();
      await housekeeping.end();
    }
  });
});

// ---------------------------------------------------------------------------------------
// IMAP and ManageSieve through both directors

describe.each(DIRECTORS.map((d) => [d.name, d] as const))('IMAP through %s', (_name, director) => {
  it('logs alice in with her password: INBOX, quota from mailQuota, the standard folders', async () => {
    const backendLog = path.join(STACK_DIR, 'logs/backend.log');
    const logStart = (await stat(backendLog)).size;
    const imap = await Imap.connect(director.host, director.imapPort);
    try {
      expect(imap.greeting).toMatch(/^\* OK /);
      const id = await imap.command('ID ("name" "emailng-stack-test" "x-originating-ip" "192.0.2.44")');
      expect(id.ok, id.status).toBe(true);
      const login = await imap.command(`LOGIN "alice" "${USERS.alice.password}"`);
      expect(login.ok, login.status).toBe(true);
      expect(login.status).toMatch(/QUOTA/);
      expect(login.status).toMatch(/FILTER=SIEVE/);
      const select = await imap.command('SELECT INBOX');
      expect(select.ok, select.status).toBe(true);
      const quota = await imap.command('GETQUOTAROOT INBOX');
      expect(quota.ok, quota.status).toBe(true);
      const q = quotaOf(quota.lines);
      expect(q.STORAGE?.limit).toBe(102400);
      expect(q.MESSAGE?.limit).toBe(DEFAULT_QUOTA.messages);
      const list = await imap.command('LIST "" "*"');
      const names = list.lines.map((l) => /"\/" "?([^"]+)"?$/.exec(l)?.[1]);
      expect(names).toEqual(expect.arrayContaining(['INBOX', 'SPAM', 'Junk', 'Trash', 'Sent', 'Drafts']));
      expect(list.lines.join('\n')).toMatch(/\\Junk\) "\/" "?Junk/);
      const lsub = await imap.command('LSUB "" "*"');
      expect(lsub.lines.join('\n')).toMatch(/SPAM/);
    } finally {
      await imap.logout();
    }
    // The director forwarded the client address it was given (login_trusted_networks), and
    // its own local address: the back end logs both.
    const seen = `rip=192.0.2.44, lip=${director.host}`;
    const deadline = Date.now() + 2000;
    let log = '';
    while (Date.now() < deadline) {
      log = (await readFile(backendLog)).subarray(logStart).toString('utf8');
      if (log.includes(seen)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(log).toContain(`imap-login: Info: Login: user=<alice>, method=PLAIN, ${seen}`);
  });

  it('logs in as alice*emailng-api with the master password', async () => {
    const imap = await Imap.connect(director.host, director.imapPort);
    try {
      const login = await imap.command(`LOGIN "alice*emailng-api" "${MASTER.password}"`);
      expect(login.ok, login.status).toBe(true);
      const select = await imap.command('SELECT INBOX');
      expect(select.ok, select.status).toBe(true);
    } finally {
      await imap.logout();
    }
  });

  it('takes SASL PLAIN with authzid=carol, authcid=emailng-api; carol (no mailQuota) gets the default quota', async () => {
    const imap = await Imap.connect(director.host, director.imapPort);
    try {
      const auth = await imap.command(`AUTHENTICATE PLAIN ${plain('carol', MASTER.name, MASTER.password)}`);
      expect(auth.ok, auth.status).toBe(true);
      const select = await imap.command('SELECT INBOX');
      expect(select.ok, select.status).toBe(true);
      const q = quotaOf((await imap.command('GETQUOTAROOT INBOX')).lines);
      expect(q.STORAGE?.limit).toBe(DEFAULT_QUOTA.storageKiB);
      expect(q.MESSAGE?.limit).toBe(DEFAULT_QUOTA.messages);
    } finally {
      await imap.logout();
    }
  });
});

describe.each(DIRECTORS.map((d) => [d.name, d] as const))('ManageSieve through %s', (_name, director) => {
  it('authenticates the master user for alice and advertises the extensions and MAXREDIRECTS 4', async () => {
    const { sieve, capabilities } = await Sieve.connect(director.host, director.sievePort);
    try {
      expect(capabilities.join('\n')).toMatch(/"SASL" "[^"]*PLAIN/);
      const auth = await sieve.command(`AUTHENTICATE "PLAIN" "${plain('alice', MASTER.name, MASTER.password)}"`);
      expect(auth.ok, auth.status).toBe(true);
      const caps = await sieve.command('CAPABILITY');
      expect(caps.ok).toBe(true);
      const sieveLine = caps.lines.find((l) => l.startsWith('"SIEVE"')) ?? '';
      const extensions = (/"SIEVE" "([^"]*)"/.exec(sieveLine)?.[1] ?? '').split(' ');
      for (const ext of [
        'fileinto', 'copy', 'reject', 'envelope', 'body', 'variables', 'vacation', 'vacation-seconds', 'include',
        'date', 'relational', 'comparator-i;ascii-numeric', 'imap4flags', 'spamtest', 'spamtestplus', 'editheader',
        'regex', 'mailbox', 'subaddress',
      ]) {
        expect(extensions, ext).toContain(ext);
      }
      expect(caps.lines).toContain(`"MAXREDIRECTS" "${SIEVE.maxRedirects}"`);
    } finally {
      await sieve.logout();
    }
  });
});

// ---------------------------------------------------------------------------------------
// Delivery over LMTP with Sieve

describe('LMTP delivery and Sieve', () => {
  beforeAll(async () => {
    for (const uid of ['alice', 'bob', 'carol']) await resetUser(uid);
  });
  afterAll(async () => {
    for (const uid of ['alice', 'bob', 'carol']) await resetUser(uid);
  });

  it('delivers to INBOX, by login name and by mail address', async () => {
    const replies = await deliverMessage({ to: ['alice', USERS.alice.mail], raw: makeMessage({ to: USERS.alice.mail, subject: 'plain one' }) });
    expect(replies.map((r) => r.data.code)).toEqual([250, 250]);
    expect(await messageCount('alice', 'INBOX')).toBe(2);
    const raw = await mailboxMessages('alice');
    expect(raw[0]).toMatch(/^Subject: plain one$/m);
  });

  it('refuses an unknown recipient', async () => {
    await expect(deliverMessage({ to: 'nosuchuser', raw: makeMessage({ to: 'x', subject: 'x' }) })).rejects.toThrow(/550/);
  });

  it('files into Junk after PUTSCRIPT + SETACTIVE of a fileinto rule', async () => {
    const sieve = await sieveAs('alice', DIRECTORS[1]);
    try {
      const script = [
        'require ["fileinto"];',
        '# rule:[junk test]',
        'if header :contains "subject" "[junk-me]" {',
        '  fileinto "Junk";',
        '}',
        '',
      ].join('\r\n');
      const put = await sieve.putScript('emailng', script);
      expect(put.ok, put.status).toBe(true);
      const active = await sieve.command('SETACTIVE "emailng"');
      expect(active.ok, active.status).toBe(true);
    } finally {
      await sieve.logout();
    }
    const junkBefore = await messageCount('alice', 'Junk');
    await deliverMessage({ to: 'alice', raw: makeMessage({ to: USERS.alice.mail, subject: 'please [junk-me] now' }) });
    await deliverMessage({ to: 'alice', raw: makeMessage({ to: USERS.alice.mail, subject: 'keep me' }) });
    expect(await messageCount('alice', 'Junk')).toBe(junkBefore + 1);
    expect((await mailboxMessages('alice', 'Junk')).at(-1)).toMatch(/^Subject: please \[junk-me\] now$/m);
    expect((await mailboxMessages('alice', 'INBOX')).at(-1)).toMatch(/^Subject: keep me$/m);
  });

  it('captures a vacation reply in the outbox', async () => {
    const sieve = await sieveAs('alice');
    try {
      const script = [
        'require ["vacation"];',
        `vacation :days 1 :subject "Out of office" :addresses ["${USERS.alice.alias}"] "I am away until Monday.";`,
        '',
      ].join('\r\n');
      expect((await sieve.putScript('emailng', script)).ok).toBe(true);
      expect((await sieve.command('SETACTIVE "emailng"')).ok).toBe(true);
    } finally {
      await sieve.logout();
    }
    const sender = `friend.${Date.now()}@example.org`;
    await deliverMessage({
      to: USERS.alice.mail,
      from: sender,
      raw: makeMessage({ from: `Friend <${sender}>`, to: `Alice <${USERS.alice.mail}>`, subject: 'are you there?' }),
    });
    // Vacation sends during delivery, so the reply is captured before LMTP answers.
    const out = (await readOutbox()).filter((m) => m.recipients.includes(sender));
    expect(out).toHaveLength(1);
    const reply = await waitForOutbox((m) => m.recipients.includes(sender), 1000);
    expect(reply.recipients).toEqual([sender]);
    expect(reply.sender).toBe('');
    expect(reply.raw).toMatch(/^Subject: Out of office$/m);
    expect(reply.raw).toMatch(/^Auto-Submitted: auto-replied/m);
    expect(reply.raw).toMatch(/^To: .*friend\./m);
    expect(reply.raw).toMatch(/I am away until Monday\./);
    // The message itself is still kept.
    expect((await mailboxMessages('alice')).at(-1)).toMatch(/^Subject: are you there\?$/m);
  });

  it('maps X-Spam-Score to spamtest with max 20: value = int(1.001 + 9 * score / 20)', async () => {
    const sieve = await sieveAs('bob');
    try {
      const script = [
        'require ["spamtest", "relational", "comparator-i;ascii-numeric", "fileinto"];',
        // 4 = int(1.001 + 9 * score / 20) for 6.6645 <= score < 8.8867
        'if spamtest :value "ge" :comparator "i;ascii-numeric" "4" {',
        '  fileinto "Junk";',
        '}',
        '',
      ].join('\r\n');
      expect((await sieve.putScript('emailng', script)).ok).toBe(true);
      expect((await sieve.command('SETACTIVE "emailng"')).ok).toBe(true);
    } finally {
      await sieve.logout();
    }
    const send = (score: string) =>
      deliverMessage({ to: 'bob', raw: makeMessage({ to: USERS.bob.mail, subject: `score ${score}`, headers: { 'X-Spam-Score': score } }) });
    await send('6.6'); // int(1.001 + 2.97) = 3: kept
    await send('6.7'); // int(1.001 + 3.015) = 4: Junk
    expect((await mailboxMessages('bob', 'INBOX')).map((m) => /^Subject: (.*)$/m.exec(m)?.[1])).toEqual(['score 6.6']);
    expect((await mailboxMessages('bob', 'Junk')).map((m) => /^Subject: (.*)$/m.exec(m)?.[1])).toEqual(['score 6.7']);
  });

  it('files X-Spam-Flag: YES into SPAM for a user without a script of their own (sieve_default)', async () => {
    const sieve = await sieveAs('carol');
    try {
      const list = await sieve.command('LISTSCRIPTS');
      expect(list.lines).toEqual([]);
    } finally {
      await sieve.logout();
    }
    await deliverMessage({
      to: 'carol',
      raw: makeMessage({ to: USERS.carol.mail, subject: 'cheap watches', headers: { 'X-Spam-Flag': 'YES', 'X-Spam-Score': '8.5' } }),
    });
    await deliverMessage({ to: 'carol', raw: makeMessage({ to: USERS.carol.mail, subject: 'ham', headers: { 'X-Spam-Flag': 'NO', 'X-Spam-Score': '0.1' } }) });
    expect(await messageCount('carol', 'SPAM')).toBe(1);
    expect(await messageCount('carol', 'INBOX')).toBe(1);
    expect((await mailboxMessages('carol', 'SPAM'))[0]).toMatch(/^Subject: cheap watches$/m);
  });
});

// ---------------------------------------------------------------------------------------
// One director down

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('one director down', () => {
  afterAll(async () => {
    await startPiece('theano');
  });

  it('ctl.sh stop theano refuses on 127.0.0.2 while elysso answers; start brings it back', async () => {
    const [theano, elysso] = [DIRECTORS[0]!, DIRECTORS[1]!];
    await stopPiece('theano');
    expect(await canConnect(theano.host, theano.sievePort)).toBe(false);
    expect(await canConnect(theano.host, theano.imapPort)).toBe(false);
    const s = await sieveAs('alice', elysso);
    await s.logout();

    await startPiece('theano');
    const back = await sieveAs('alice', theano);
    await back.logout();
  });
});
