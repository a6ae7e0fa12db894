import { ManageSieveClient } from '../api/src/backends/managesieve';
import { Directory } from '../api/src/backends/ldap/directory';

const SIEVE = ['listScripts', 'getScript', 'putScript', 'checkScript', 'setActive', 'deleteScript', 'renameScript', 'haveSpace', 'noop'] as const;
const LDAP = ['getAccount', 'findAccountByLogin', 'forwardingAddresses', 'amavisSettings', 'groupsOfMember', 'findAddressHolders', 'changeAlternateAddress', 'replaceForwardingAddresses', 'writeAmavisSettings'] as const;

export interface RoundTrips {
  managesieve: number;
  ldap: number;
  /** Bytes of script text sent with PUTSCRIPT. */
  putBytes: number;
}

/**
 * Counts what the back ends are asked while `work` runs (in this process: the in-process API),
 * by wrapping the client methods each request ends in. A count, unlike a latency, does not
 * change with how busy the host is.
 */
export async function countRoundTrips(work: () => Promise<void>): Promise<RoundTrips> {
  const counts: RoundTrips = { managesieve: 0, ldap: 0, putBytes: 0 };
  const restore: Array<() => void> = [];
  const wrap = <T extends object>(proto: T, names: readonly string[], count: (name: string, args: unknown[]) => void) => {
    for (const name of names) {
      const original = (proto as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
      (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
        count(name, args);
        return original.apply(this, args);
      };
      restore.push(() => ((proto as Record<string, unknown>)[name] = original));
    }
  };
  wrap(ManageSieveClient.prototype, SIEVE, (name, args) => {
    counts.managesieve += 1;
    if (name === 'putScript') counts.putBytes += Buffer.byteLength(String(args[1]), 'utf8');
  });
  // Directory methods that call another (getAccount from recentAccount) count once each: only the searches.
  wrap(Directory.prototype, LDAP, () => (counts.ldap += 1));
  try {
    await work();
  } finally {
    for (const undo of restore) undo();
  }
  return counts;
}
