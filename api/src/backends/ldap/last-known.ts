import { Directory, type Account, type DirectoryConfig } from './directory';
import { DirectoryError } from './errors';

/**
 * The directory, with the last account each signed-in user was read as kept briefly so the
 * settings stay usable while LDAP is down.
 *
 * Why a fallback and not a cache: the directory is always asked first, so an alias or a
 * forwarding address changed elsewhere is seen at once while LDAP answers. Only when it does
 * not answer (DirectoryError UNAVAILABLE) is the account returned as it was last read, if
 * that read is younger than `maxAgeMs` (the session's idle window: a user who has been active
 * that recently was read then). During an outage no address can change through LDAP anyway,
 * so the copy is what LDAP would say. Sign-in by password does not use this (it searches with
 * findAccountByLogin and binds), so nobody signs in while the directory is down; signed-in
 * users go on editing filters, vacation and spam, which live in their Sieve script.
 */
export class LastKnownDirectory extends Directory {
  private readonly lastKnown = new Map<string, { account: Account; at: number }>();

  constructor(
    config: DirectoryConfig,
    private readonly options: { maxAgeMs: number; maxEntries: number; now?: () => number },
  ) {
    super(config);
  }

  override async getAccount(uid: string): Promise<Account | null> {
    const now = (this.options.now ?? Date.now)();
    try {
      const account = await super.getAccount(uid);
      this.lastKnown.delete(uid);
      if (account) {
        if (this.lastKnown.size >= this.options.maxEntries) {
          const oldest = this.lastKnown.keys().next();
          if (!oldest.done) this.lastKnown.delete(oldest.value);
        }
        this.lastKnown.set(uid, { account, at: now });
      }
      return account;
    } catch (error) {
      const known = this.lastKnown.get(uid);
      if (error instanceof DirectoryError && error.code === 'UNAVAILABLE' && known && now - known.at <= this.options.maxAgeMs) {
        return known.account;
      }
      throw error;
    }
  }

  /** Forgets `uid` (sign-out). */
  forget(uid: string): void {
    this.lastKnown.delete(uid);
  }
}
