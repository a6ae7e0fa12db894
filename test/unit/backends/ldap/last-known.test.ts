import { afterEach, describe, expect, it, vi } from 'vitest';
import { Directory, type Account, type DirectoryConfig } from '../../../../api/src/backends/ldap/directory';
import { DirectoryError } from '../../../../api/src/backends/ldap/errors';
import { LastKnownDirectory, RECENT_ACCOUNT_MS } from '../../../../api/src/backends/ldap/last-known';

// What a save may take from the last read instead of asking the directory, and when it must ask.
// The directory itself is replaced by answers counted here (its LDAP side has integration tests).

const account = (uid: string, aliases: string[] = []): Account => ({
  dn: `uid=${uid},ou=People,dc=example`,
  uid,
  displayName: 'Γιώργος Ανδρέου',
  mail: `${uid}@example.org`,
  alternateAddresses: aliases,
  givenName: 'Γιώργος',
  sn: 'Ανδρέου',
});

let clock = 1_000_000;
function directory(answers: Array<Account | null | Error>): { dir: LastKnownDirectory; searches: () => number } {
  let searches = 0;
  vi.spyOn(Directory.prototype, 'getAccount').mockImplementation(async () => {
    const next = answers[Math.min(searches, answers.length - 1)];
    searches += 1;
    if (next instanceof Error) throw next;
    return next ?? null;
  });
  vi.spyOn(Directory.prototype, 'changeAlternateAddress').mockResolvedValue(undefined);
  const dir = new LastKnownDirectory({ url: 'ldap://127.0.0.1:1' } as DirectoryConfig, { maxAgeMs: 3_600_000, maxEntries: 10, now: () => clock });
  return { dir, searches: () => searches };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the account for a save', () => {
  it('is the one the last read found, within RECENT_ACCOUNT_MS, without asking the directory again', async () => {
    const { dir, searches } = directory([account('load145', ['giorgos.andreou@example.org'])]);
    const read = await dir.getAccount('load145');
    expect(await dir.recentAccount('load145')).toEqual(read);
    clock += RECENT_ACCOUNT_MS;
    expect(await dir.recentAccount('load145')).toEqual(read);
    expect(searches()).toBe(1);
  });

  it('is read again once older than that, or when nothing was read yet', async () => {
    const { dir, searches } = directory([account('load145'), account('load145', ['new.alias@example.org'])]);
    await dir.recentAccount('load145');
    clock += RECENT_ACCOUNT_MS + 1;
    expect((await dir.recentAccount('load145'))?.alternateAddresses).toEqual(['new.alias@example.org']);
    expect(searches()).toBe(2);
  });

  it('is read again after the app changed that entry’s aliases, even when the write failed', async () => {
    const { dir, searches } = directory([account('load145'), account('load145', ['σίγμα.τελικός@example.org']), account('load145')]);
    await dir.getAccount('load145');
    await dir.changeAlternateAddress(account('load145').dn, { add: 'σίγμα.τελικός@example.org' });
    expect((await dir.recentAccount('load145'))?.alternateAddresses).toEqual(['σίγμα.τελικός@example.org']);
    expect(searches()).toBe(2);

    vi.mocked(Directory.prototype.changeAlternateAddress).mockRejectedValueOnce(new DirectoryError('CONSTRAINT', 'taken'));
    await expect(dir.changeAlternateAddress(account('load145').dn, { add: 'x@example.org' })).rejects.toThrow('taken');
    await dir.recentAccount('load145');
    expect(searches()).toBe(3);
  });

  it('is kept apart per user: another entry’s change does not touch it', async () => {
    const { dir, searches } = directory([account('load146')]);
    await dir.getAccount('load146');
    await dir.changeAlternateAddress(account('load147').dn, { add: 'someone.else@example.org' });
    await dir.recentAccount('load146');
    expect(searches()).toBe(1);
  });

  it('a read always asks the directory, and a gone account is not kept', async () => {
    const { dir, searches } = directory([account('load148'), null, null]);
    await dir.getAccount('load148');
    expect(await dir.getAccount('load148')).toBeNull();
    expect(await dir.recentAccount('load148')).toBeNull();
    expect(searches()).toBe(3);
  });
});
