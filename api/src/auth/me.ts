import type { Account } from '../backends/ldap/directory';
import type { Me } from './schemas';

/** The user as the SPA sees her. The first alternate address is the central default alias;
 *  any further one is the user's own additional alias. */
export function toMe(account: Account): Me {
  const [defaultAlias, ...own] = account.alternateAddresses;
  return {
    uid: account.uid,
    displayName: account.displayName,
    addresses: [
      ...(account.mail ? [{ address: account.mail, kind: 'login' as const }] : []),
      ...(defaultAlias ? [{ address: defaultAlias, kind: 'default' as const }] : []),
      ...own.map((address) => ({ address, kind: 'alias' as const })),
    ],
  };
}
