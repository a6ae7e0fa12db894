import { DirectoryError, type Account, type Directory } from '../../backends/ldap/directory';
import { MemoryCounterStore, type CounterStore } from '../../auth/rate-limit';
import { ApiError } from '../../http/errors';
import type { Logger } from '../../logging';
import { allAddresses, classifyAddresses, defaultLocalPart, type UserAddresses } from '../../shared/user-addresses';
import { sameAddress } from '../../shared/mail-address';
import { checkAlias, type AliasPolicy, type PolicyCode } from './policy';

/**
 * Called after the user's addresses changed in the directory, with every address she now
 * receives mail at (login, default, additional). This is where the vacation block's
 * `:addresses` is to be updated "in the same operation" (docs/ARCHITECTURE.md, Site policies: vacation does not answer
 * mail sent to an alias missing from :addresses) — through the one module that owns the
 * user's Sieve script, not from here. The default is a no-op until that module exists.
 *
 * Contract: the directory write has succeeded when the hook runs. If the hook throws, the
 * directory change is undone (the previous value restored) and the request fails with the
 * hook's error, so the directory and the script never disagree because of this request.
 */
export type AddressesChangedHook = (uid: string, addresses: string[], clientAddress?: string) => Promise<void>;

export const noAddressesHook: AddressesChangedHook = async () => undefined;

/** What GET /api/aliases answers. */
export interface AliasView {
  login: string;
  default: string | null;
  additional: string[];
  policy: {
    domain: string;
    minLocalPartLength: number;
    maxLocalPartLength: number;
    maxAdditional: number;
    punctuation: string;
  };
}

/** Why an address cannot be the user's additional alias: the policy codes, and
 *  own_address (her login, default or uid), reserved (the first.last form of her name, kept
 *  for the central default), taken (somebody else's uid, address or alias, or a list's). */
export type AliasRefusal = PolicyCode | 'own_address' | 'reserved' | 'taken';

export interface AliasServiceOptions {
  directory: Directory;
  policy: AliasPolicy;
  logger: Logger;
  checksPerMinute: number;
  onAddressesChanged?: AddressesChangedHook;
  counters?: CounterStore;
}

function directoryTrouble(error: unknown): never {
  if (error instanceof DirectoryError) {
    throw new ApiError('directory_unavailable', 'the directory (LDAP) is not answering; try again in a few minutes');
  }
  throw error;
}

function refuse(code: AliasRefusal | 'limit' | 'changed' | 'no_default', message: string): never {
  const conflict = code === 'taken' || code === 'limit' || code === 'changed' || code === 'no_default';
  throw new ApiError(conflict ? 'conflict' : 'validation', message, { fields: { address: code } });
}

/** The aliases feature: reads, policy, uniqueness, the one-modify write, audit, the hook. */
export class AliasService {
  private readonly counters: CounterStore;
  private readonly audit: Logger;
  private readonly onAddressesChanged: AddressesChangedHook;

  constructor(private readonly options: AliasServiceOptions) {
    this.counters = options.counters ?? new MemoryCounterStore();
    this.audit = options.logger.child({ log: 'audit' });
    this.onAddressesChanged = options.onAddressesChanged ?? noAddressesHook;
  }

  private async account(uid: string): Promise<Account> {
    const account = await this.options.directory.getAccount(uid).catch(directoryTrouble);
    if (!account) throw new ApiError('unauthenticated', 'your account no longer exists');
    return account;
  }

  private addresses(account: Account): UserAddresses {
    const addresses = classifyAddresses(account);
    if (addresses.ambiguous) {
      this.options.logger.warn({ event: 'alias_default_ambiguous', uid: account.uid, defaultAlias: addresses.defaultAlias }, 'default alias told apart by server order');
    }
    return addresses;
  }

  private view(addresses: UserAddresses): AliasView {
    const { policy } = this.options;
    return {
      login: addresses.login,
      default: addresses.defaultAlias,
      additional: addresses.additional,
      policy: {
        domain: policy.domain,
        minLocalPartLength: policy.minLocalPartLength,
        maxLocalPartLength: policy.maxLocalPartLength,
        maxAdditional: policy.maxAdditional,
        punctuation: policy.punctuation,
      },
    };
  }

  /** Directory look-ups of other people's addresses are limited per user: no enumeration oracle. */
  private async admit(uid: string): Promise<void> {
    const { count, resetInSeconds } = await this.counters.increment(`alias-check:${uid}`, 60);
    if (count > this.options.checksPerMinute) {
      throw new ApiError('rate_limited', 'too many address checks; wait a minute', { retryAfter: Math.max(1, resetInSeconds) });
    }
  }

  /**
   * Why `input` cannot be this user's next additional alias, or null when it can. Policy
   * first (no directory access for a malformed address), then the user's own addresses,
   * then everybody else's: uid, mail, mailAlternateAddress and group mail, without saying whose.
   */
  private async refusal(account: Account, addresses: UserAddresses, input: string): Promise<{ address: string; refusal: AliasRefusal | null }> {
    const checked = checkAlias(input, this.options.policy);
    if (!checked.ok) return { address: '', refusal: checked.code };
    const { address, localPart } = checked;
    const own = [addresses.login, addresses.defaultAlias ?? '', ...addresses.additional];
    if (own.some((a) => sameAddress(a, address)) || localPart === account.uid.toLowerCase()) {
      return { address, refusal: 'own_address' };
    }
    if (localPart === defaultLocalPart(account.givenName, account.sn)) return { address, refusal: 'reserved' };
    const holders = await this.options.directory.findAddressHolders(address, localPart).catch(directoryTrouble);
    if (holders.some((dn) => dn.toLowerCase() !== account.dn.toLowerCase())) return { address, refusal: 'taken' };
    return { address, refusal: null };
  }

  async get(uid: string): Promise<AliasView> {
    return this.view(this.addresses(await this.account(uid)));
  }

  async availability(uid: string, input: string): Promise<{ available: boolean; reason?: AliasRefusal }> {
    await this.admit(uid);
    const account = await this.account(uid);
    const addresses = this.addresses(account);
    if (addresses.additional.some((a) => sameAddress(a, checkAliasAddress(input, this.options.policy)))) {
      return { available: true }; // already hers: keeping it is always possible
    }
    const { refusal } = await this.refusal(account, addresses, input);
    return refusal ? { available: false, reason: refusal } : { available: true };
  }

  /**
   * Sets the additional alias `input`. With `replace`, that one of the user's additional
   * aliases is replaced; without, a new one is added while under maxAdditional, or — with
   * maxAdditional 1 — the one there is replaced. The write is one modify (delete old value +
   * add new value), so the directory's `unique` overlay refusing the new value leaves the old.
   */
  async setAdditional(uid: string, input: string, replace: string | undefined, client: string): Promise<AliasView & { changed: boolean }> {
    await this.admit(uid);
    const account = await this.account(uid);
    const addresses = this.addresses(account);
    const { policy } = this.options;

    const wanted = checkAliasAddress(input, policy);
    if (wanted && addresses.additional.some((a) => sameAddress(a, wanted)) && (replace === undefined || sameAddress(replace, wanted))) {
      return { ...this.view(addresses), changed: false };
    }
    const { address, refusal } = await this.refusal(account, addresses, input);
    if (refusal) refuse(refusal, `this address cannot be your alias: ${refusal}`);
    if (!addresses.defaultAlias) refuse('no_default', 'your account has no default alias yet; ask the helpdesk');

    let remove: string | undefined;
    if (replace !== undefined) {
      remove = addresses.additional.find((a) => sameAddress(a, replace));
      if (!remove) refuse('changed', 'the alias to replace is no longer yours; reload');
    } else if (addresses.additional.length >= policy.maxAdditional) {
      if (policy.maxAdditional === 1 && addresses.additional.length === 1) remove = addresses.additional[0];
      else refuse('limit', `at most ${policy.maxAdditional} additional alias(es)`);
    }

    await this.write(account, { remove, add: address });
    const after = await this.account(uid);
    const now = this.addresses(after);
    if (now.additional.length > policy.maxAdditional) {
      // Another request added one at the same moment: ours goes again.
      await this.write(after, { remove: address, add: remove }).catch(() => undefined);
      refuse('limit', `at most ${policy.maxAdditional} additional alias(es)`);
    }
    await this.notify(after, now, { remove: address, add: remove }, client);
    this.audit.info({ event: 'alias_set', uid, client, added: address, removed: remove ?? null });
    return { ...this.view(now), changed: true };
  }

  /** Removes one of the user's additional aliases (the only one when `input` is omitted). */
  async removeAdditional(uid: string, input: string | undefined, client: string): Promise<AliasView & { changed: boolean }> {
    const account = await this.account(uid);
    const addresses = this.addresses(account);
    if (input !== undefined && [addresses.login, addresses.defaultAlias ?? ''].some((a) => sameAddress(a, input))) {
      throw new ApiError('forbidden', 'the login address and the default alias cannot be removed here', { fields: { address: 'read_only' } });
    }
    let target: string | undefined;
    if (input === undefined) {
      if (addresses.additional.length > 1) throw new ApiError('validation', 'say which alias to remove', { fields: { address: 'required' } });
      target = addresses.additional[0];
      if (target === undefined) return { ...this.view(addresses), changed: false };
    } else {
      target = addresses.additional.find((a) => sameAddress(a, input));
      if (target === undefined) throw new ApiError('not_found', 'that is not one of your aliases', { fields: { address: 'not_found' } });
    }
    try {
      await this.write(account, { remove: target });
    } catch (error) {
      if (!(error instanceof ApiError && error.extra.fields?.address === 'changed')) throw error;
      // Gone already (another tab): removing is idempotent.
    }
    const after = await this.account(uid);
    const now = this.addresses(after);
    await this.notify(after, now, { add: target }, client);
    this.audit.info({ event: 'alias_removed', uid, client, removed: target });
    return { ...this.view(now), changed: true };
  }

  private async write(account: Account, change: { remove?: string; add?: string }): Promise<void> {
    try {
      await this.options.directory.changeAlternateAddress(account.dn, change);
    } catch (error) {
      if (error instanceof DirectoryError && error.code === 'CONSTRAINT') {
        // The unique overlay decided: somebody wrote the same value after our search.
        this.options.logger.info({ event: 'alias_taken_by_directory', uid: account.uid });
        refuse('taken', 'this address is already taken');
      }
      if (error instanceof DirectoryError && error.code === 'STALE') refuse('changed', 'your aliases changed meanwhile; reload');
      directoryTrouble(error);
    }
  }

  /** Runs the hook; when it fails, `undo` (the inverse change) restores the directory. */
  private async notify(account: Account, now: UserAddresses, undo: { remove?: string; add?: string }, client?: string): Promise<void> {
    try {
      await this.onAddressesChanged(account.uid, allAddresses(now), client);
    } catch (error) {
      await this.options.directory.changeAlternateAddress(account.dn, undo).catch((undoError: unknown) => {
        this.options.logger.error({ event: 'alias_undo_failed', uid: account.uid, err: (undoError as Error).message });
      });
      this.options.logger.error({ event: 'alias_hook_failed', uid: account.uid, err: (error as Error).message });
      throw error;
    }
  }
}

/** The normalized address of `input`, or '' when it breaks the policy. */
function checkAliasAddress(input: string, policy: AliasPolicy): string {
  const checked = checkAlias(input, policy);
  return checked.ok ? checked.address : '';
}
