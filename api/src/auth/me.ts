import type { Account } from '../backends/ldap/directory';
import { classifyAddresses } from '../shared/user-addresses';
import type { Me } from './schemas';

/** The user as the SPA sees her: login address, the central default alias, her own aliases
 *  (told apart as shared/user-addresses.ts does). What the site
 *  offers (`quarantine`) is added by the session routes, which know the services. */
export function toMe(account: Account): Omit<Me, 'quarantine' | 'helpdesk'> {
  const addresses = classifyAddresses(account);
  return {
    uid: account.uid,
    displayName: account.displayName,
    addresses: [
      ...(addresses.login ? [{ address: addresses.login, kind: 'login' as const }] : []),
      ...(addresses.defaultAlias ? [{ address: addresses.defaultAlias, kind: 'default' as const }] : []),
      ...addresses.additional.map((address) => ({ address, kind: 'alias' as const })),
    ],
  };
}
