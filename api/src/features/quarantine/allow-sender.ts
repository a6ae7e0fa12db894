import type { Account } from '../../backends/ldap/directory';
import { ApiError } from '../../http/errors';
import type { SpamService } from '../spam/service';
import type { AllowSender } from './service';

/**
 * "Release and always allow this sender" adds the sender to the spam page's allow list, through
 * the spam page's own save (so the Sieve allow list and amavisd's LDAP whitelist change
 * together, with the same ETag rules). A concurrent change to the spam settings is retried once.
 */
export function allowSenderViaSpamSettings(spam: SpamService): AllowSender {
  return async (account: Account, sender: string, clientAddress: string) => {
    for (let attempt = 1; ; attempt++) {
      const view = await spam.get(account.uid, clientAddress);
      if (view.spam.allow.some((entry) => entry.toLowerCase() === sender.toLowerCase())) return 'already';
      try {
        await spam.save(account, { ...view.spam, allow: [...view.spam.allow, sender] }, view.etag, clientAddress);
        return 'added';
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'conflict') || attempt >= 2) throw error;
      }
    }
  };
}
