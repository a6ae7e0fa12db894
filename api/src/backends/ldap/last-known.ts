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
  private readonly lastKnown = new Map<string, { account: Account; at: number; changedSince: boolean }>();

  constructor(
    config: DirectoryConfig,
    private readonly options: { maxAgeMs: number; maxEntries: number; recentMs?: number; now?: () => number },
  ) {
    super(config);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  override async getAccount(uid: string): Promise<Account | null> {
    const now = this.now();
    try {
      const account = await super.getAccount(uid);
      this.lastKnown.delete(uid);
      if (account) {
        if (this.lastKnown.size >= this.options.maxEntries) {
          const oldest = this.lastKnown.keys().next();
          if (!oldest.done) this.lastKnown.delete(oldest.value);
        }
        this.lastKnown.set(uid, { account, at: now, changedSince: false });
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

  /**
   * The account as read within the last `recentMs` (RECENT_ACCOUNT_MS), for a save: the page
   * being saved was read with it (every GET reads the directory), so the save acts on what
   * the user saw, as it would had she saved at once. Saves then cost no LDAP search. An
   * alias written through this app since that read sends it back to the directory; a change
   * made elsewhere (another API instance, the central system) is seen by the next read, and
   * by a save after `recentMs` at the latest.
   */
  override async recentAccount(uid: string): Promise<Account | null> {
    const known = this.lastKnown.get(uid);
    if (known && !known.changedSince && this.now() - known.at <= (this.options.recentMs ?? RECENT_ACCOUNT_MS)) return known.account;
    return this.getAccount(uid);
  }

  /** Only the aliases of what Account holds are written by the app: a change makes the next save read again. */
  override async changeAlternateAddress(dn: string, change: { remove?: string; add?: string }): Promise<void> {
    try {
      await super.changeAlternateAddress(dn, change);
    } finally {
      for (const known of this.lastKnown.values()) if (known.account.dn === dn) known.changedSince = true;
    }
  }

  /** Forgets `uid` (sign-out). */
  forget(uid: string): void {
    this.lastKnown.delete(uid);
  }
}

/** How long a save may use the account as the last read found it. */
export const RECENT_ACCOUNT_MS = 60_000;
