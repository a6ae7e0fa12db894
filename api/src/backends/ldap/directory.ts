import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Attribute, Change, Client, escapeFilter, type Entry } from 'ldapts';
import type { AppConfig } from '../../config/load';
import { DirectoryError, toDirectoryError } from './errors';

/** A user as the app sees her entry in the directory. */
export interface Account {
  dn: string;
  uid: string;
  displayName: string;
  /** Primary address (`mail`), fixed. */
  mail: string;
  /** `mailAlternateAddress` values as the server returned them. LDAP values are unordered: which
   *  one is the central default alias is decided by shared/user-addresses.ts. */
  alternateAddresses: string[];
  /** Given name and surname (the central system derives the default alias first.last from them). */
  givenName: string;
  sn: string;
}

/** Per-user amavisd-new levels and lists, as the relays read them from LDAP. */
export interface AmavisSettings {
  tag2Level: number | null;
  killLevel: number | null;
  /** Sender addresses, or `@domain` for a whole domain (amavisd-new's lookup form). */
  whitelist: string[];
  blacklist: string[];
}

const AMAVIS_ATTRIBUTES = ['amavisSpamTag2Level', 'amavisSpamKillLevel', 'amavisWhitelistSender', 'amavisBlacklistSender'];

/** A group (mailing list) as the app shows it. */
export interface Group {
  dn: string;
  cn: string;
  description: string | null;
  mail: string | null;
}

const ACCOUNT_ATTRIBUTES = ['uid', 'cn', 'displayName', 'givenName', 'sn', 'mail', 'mailAlternateAddress'];
const GROUP_ATTRIBUTES = ['cn', 'description', 'mail'];

function first(entry: Entry, attribute: string): string {
  const value = entry[attribute];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined ? '' : text.toString();
}

function all(entry: Entry, attribute: string): string[] {
  const value = entry[attribute];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.toString());
}

function toAccount(entry: Entry): Account {
  return {
    dn: entry.dn,
    uid: first(entry, 'uid'),
    displayName: first(entry, 'displayName') || first(entry, 'cn') || first(entry, 'uid'),
    mail: first(entry, 'mail'),
    alternateAddresses: all(entry, 'mailAlternateAddress'),
    givenName: first(entry, 'givenName'),
    sn: first(entry, 'sn'),
  };
}

function toGroup(entry: Entry): Group {
  return {
    dn: entry.dn,
    cn: first(entry, 'cn'),
    description: first(entry, 'description') || null,
    mail: first(entry, 'mail') || null,
  };
}

export type DirectoryConfig = AppConfig['ldap'];

/** The user attributes the app writes, as settings areas. */
export type DirectoryArea = 'forwarding' | 'aliases' | 'spam';

/**
 * Told of the app's writes to a user's entry and of each read of her forwarding, so the
 * Security page can say what changed and notice a forward set by another tool. Its methods
 * must not throw: a failure to record never fails the request.
 */
export interface DirectoryObserver {
  seen(dn: string, area: 'forwarding', fingerprint: string): Promise<void>;
  written(dn: string, area: DirectoryArea, fingerprint: string | null): Promise<void>;
}

/** A set of attribute values, in a few bytes and in any order. */
function valuesFingerprint(values: string[]): string {
  return createHash('sha256').update(JSON.stringify([...values].map((v) => v.toLowerCase()).sort())).digest('base64url');
}

/**
 * The directory as the API uses it. Reads and writes go through the service account on one
 * kept, multiplexed connection; passwords are checked with a separate one-shot bind, so a
 * user's bind never changes the identity of the shared connection.
 */
export class Directory {
  private service: Client | null = null;
  private serviceBound: Promise<Client> | null = null;
  private readonly tlsOptions;
  /** Set once by createServices. */
  observer: DirectoryObserver | null = null;

  constructor(private readonly config: DirectoryConfig) {
    this.tlsOptions = config.caFile ? { ca: readFileSync(config.caFile) } : undefined;
  }

  private newClient(): Client {
    return new Client({
      url: this.config.url,
      timeout: this.config.timeoutMs,
      connectTimeout: this.config.timeoutMs,
      tlsOptions: this.tlsOptions,
      autoRebind: !this.config.startTls,
    });
  }

  private async bindFresh(client: Client, dn: string, password: string): Promise<void> {
    if (this.config.startTls) await client.startTLS(this.tlsOptions ?? {});
    await client.bind(dn, password);
  }

  private serviceClient(): Promise<Client> {
    if (!this.serviceBound) {
      const client = this.newClient();
      this.service = client;
      this.serviceBound = this.bindFresh(client, this.config.serviceDn, this.config.servicePassword)
        .then(() => client)
        .catch((error: unknown) => {
          this.dropService();
          throw toDirectoryError(error);
        });
    }
    return this.serviceBound;
  }

  private dropService(): void {
    const client = this.service;
    this.service = null;
    this.serviceBound = null;
    void client?.unbind().catch(() => undefined);
  }

  /** Runs an operation as the service account; a broken connection is replaced on next use. */
  private async asService<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.serviceClient();
    try {
      return await operation(client);
    } catch (error) {
      const mapped = toDirectoryError(error);
      if (mapped.code === 'UNAVAILABLE') this.dropService();
      throw mapped;
    }
  }

  /** Finds the one account whose uid, primary address or any alternate address is `login`. */
  async findAccountByLogin(login: string): Promise<Account | null> {
    const filter = escapeFilter`(&(objectClass=inetOrgPerson)(|(uid=${login})(mail=${login})(mailAlternateAddress=${login})))`;
    const { searchEntries } = await this.asService((c) =>
      c.search(this.config.peopleDn, { scope: 'sub', filter, attributes: ACCOUNT_ATTRIBUTES, sizeLimit: 2 }),
    );
    // Two entries answering to one login is a directory inconsistency: sign in neither.
    if (searchEntries.length !== 1) return null;
    return toAccount(searchEntries[0] as Entry);
  }

  async getAccount(uid: string): Promise<Account | null> {
    const filter = escapeFilter`(&(objectClass=inetOrgPerson)(uid=${uid}))`;
    const { searchEntries } = await this.asService((c) =>
      c.search(this.config.peopleDn, { scope: 'sub', filter, attributes: ACCOUNT_ATTRIBUTES, sizeLimit: 2 }),
    );
    return searchEntries.length === 1 ? toAccount(searchEntries[0] as Entry) : null;
  }

  /**
   * The account for a change the user makes: here, always read. LastKnownDirectory answers
   * from the read a moment ago instead (a save follows the read of the page it saves).
   */
  recentAccount(uid: string): Promise<Account | null> {
    return this.getAccount(uid);
  }

  /**
   * People under peopleDn whose uid, mail or alias contains `text`, or whose name (cn,
   * displayName) contains `namePieces` in that order with anything between them; at most
   * `limit` (the rest is cut by the server: `truncated`). Every value is escaped into the filter.
   */
  async searchAccounts(text: string, namePieces: readonly string[], limit: number): Promise<{ accounts: Account[]; truncated: boolean }> {
    const contains = (attribute: string, pieces: readonly string[]) => `(${attribute}=*${pieces.map((p) => escapeFilter`${p}`).join('*')}*)`;
    const terms = ['uid', 'mail', 'mailAlternateAddress', 'cn', 'displayName'].map((a) => contains(a, [text]));
    if (namePieces.length > 0) terms.push(contains('cn', namePieces), contains('displayName', namePieces));
    const filter = `(&(objectClass=inetOrgPerson)(|${terms.join('')}))`;
    const { searchEntries } = await this.asService((c) =>
      c.search(this.config.peopleDn, { scope: 'sub', filter, attributes: ACCOUNT_ATTRIBUTES, sizeLimit: limit }),
    );
    return { accounts: searchEntries.map(toAccount), truncated: searchEntries.length >= limit };
  }

  /**
   * DNs of every entry that already answers to `address` or to the login name `uid`: people
   * whose uid is `uid` or whose mail or mailAlternateAddress is `address`, and groups whose
   * mail is `address`. One search per container; both filters escaped. The `unique` overlay
   * compares each attribute only with itself, so this cross-attribute check is the API's.
   */
  async findAddressHolders(address: string, uid: string): Promise<string[]> {
    const people = escapeFilter`(|(uid=${uid})(mail=${address})(mailAlternateAddress=${address}))`;
    const groups = escapeFilter`(mail=${address})`;
    const [inPeople, inGroups] = await this.asService((c) =>
      Promise.all([
        c.search(this.config.peopleDn, { scope: 'sub', filter: people, attributes: ['1.1'] }),
        c.search(this.config.groupsDn, { scope: 'sub', filter: groups, attributes: ['1.1'] }),
      ]),
    );
    return [...inPeople.searchEntries, ...inGroups.searchEntries].map((e) => e.dn);
  }

  /**
   * One modify of the entry's mailAlternateAddress: deletes `remove` (if given) and adds `add`
   * (if given) atomically, so a refused add leaves the old value in place. The directory's
   * `unique` overlay refuses a value another entry has (DirectoryError CONSTRAINT); a `remove`
   * value the entry no longer has fails the whole modify (DirectoryError STALE).
   * `dn` must come from the directory (a search result or the session), never from input.
   */
  async changeAlternateAddress(dn: string, change: { remove?: string; add?: string }): Promise<void> {
    const changes: Change[] = [];
    if (change.remove !== undefined) {
      changes.push(new Change({ operation: 'delete', modification: new Attribute({ type: 'mailAlternateAddress', values: [change.remove] }) }));
    }
    if (change.add !== undefined) {
      changes.push(new Change({ operation: 'add', modification: new Attribute({ type: 'mailAlternateAddress', values: [change.add] }) }));
    }
    if (changes.length === 0) return;
    await this.asService((c) => c.modify(dn, changes));
    await this.observer?.written(dn, 'aliases', null);
  }

  /** The entry's mailForwardingAddress values (where the MTA forwards her mail). */
  async forwardingAddresses(dn: string): Promise<string[]> {
    const { searchEntries } = await this.asService((c) => c.search(dn, { scope: 'base', attributes: ['mailForwardingAddress'] }));
    const entry = searchEntries[0];
    const addresses = entry ? all(entry, 'mailForwardingAddress') : [];
    await this.observer?.seen(dn, 'forwarding', valuesFingerprint(addresses));
    return addresses;
  }

  /** Replaces mailForwardingAddress in one modify (none: the attribute goes). `dn` must come
   *  from the directory, never from input. */
  async replaceForwardingAddresses(dn: string, addresses: string[]): Promise<void> {
    const change = new Change({ operation: 'replace', modification: new Attribute({ type: 'mailForwardingAddress', values: addresses }) });
    await this.asService((c) => c.modify(dn, [change]));
    await this.observer?.written(dn, 'forwarding', valuesFingerprint(addresses));
  }

  /** The entry's per-user amavisd-new settings (absent attributes: the site's defaults). */
  async amavisSettings(dn: string): Promise<AmavisSettings> {
    const { searchEntries } = await this.asService((c) => c.search(dn, { scope: 'base', attributes: AMAVIS_ATTRIBUTES }));
    const entry = searchEntries[0];
    const level = (name: string) => {
      const text = entry ? first(entry, name) : '';
      return text === '' ? null : Number(text);
    };
    return {
      tag2Level: level('amavisSpamTag2Level'),
      killLevel: level('amavisSpamKillLevel'),
      whitelist: entry ? all(entry, 'amavisWhitelistSender') : [],
      blacklist: entry ? all(entry, 'amavisBlacklistSender') : [],
    };
  }

  /** Replaces all four amavis attributes in one modify (null / empty: the attribute goes). */
  async writeAmavisSettings(dn: string, settings: AmavisSettings): Promise<void> {
    const replace = (type: string, values: string[]) => new Change({ operation: 'replace', modification: new Attribute({ type, values }) });
    const level = (value: number | null) => (value === null ? [] : [String(value)]);
    await this.asService((c) =>
      c.modify(dn, [
        replace('amavisSpamTag2Level', level(settings.tag2Level)),
        replace('amavisSpamKillLevel', level(settings.killLevel)),
        replace('amavisWhitelistSender', settings.whitelist),
        replace('amavisBlacklistSender', settings.blacklist),
      ]),
    );
    await this.observer?.written(dn, 'spam', null);
  }

  /** The groups (groupOfUniqueNames under groupsDn) that list `memberDn` as a uniqueMember,
   *  by cn. `memberDn` comes from the directory; it is escaped into the filter all the same. */
  async groupsOfMember(memberDn: string): Promise<Group[]> {
    const filter = escapeFilter`(&(objectClass=groupOfUniqueNames)(uniqueMember=${memberDn}))`;
    const { searchEntries } = await this.asService((c) =>
      c.search(this.config.groupsDn, { scope: 'sub', filter, attributes: GROUP_ATTRIBUTES }),
    );
    return searchEntries.map(toGroup).sort((a, b) => a.cn.localeCompare(b.cn));
  }

  /** True when `password` is the entry's password. An empty password is never tried: LDAP
   *  would treat it as an anonymous bind and succeed. */
  async verifyPassword(dn: string, password: string): Promise<boolean> {
    if (password.length === 0) return false;
    const client = this.newClient();
    try {
      await this.bindFresh(client, dn, password);
      return true;
    } catch (error) {
      const mapped = toDirectoryError(error);
      if (mapped.code === 'INVALID_CREDENTIALS') return false;
      throw mapped;
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** Binds as the service account and reads the people container: the directory answers. */
  async ping(): Promise<void> {
    await this.asService((c) => c.search(this.config.peopleDn, { scope: 'base', attributes: ['ou'] }));
  }

  async close(): Promise<void> {
    this.dropService();
  }
}

export { DirectoryError };
