import type { Account } from '../../backends/ldap/directory';
import type { DigestPreference, DigestStore } from '../../backends/quarantine/digest-store';
import type { ActivityStore } from '../../auth/activity-store';
import { ApiError } from '../../http/errors';
import { quarantineUnavailable } from './unavailable';

/**
 * The user's choice of held-mail digest (Held mail page): how often (never, daily — the
 * default — or weekly) and in which language. Users who never chose get the defaults.
 */
export class DigestSettings {
  constructor(
    private readonly store: DigestStore | null,
    private readonly defaults: DigestPreference,
    private readonly activity: ActivityStore,
  ) {}

  private configured(): DigestStore {
    if (!this.store) throw new ApiError('digests_not_configured', 'this site sends no held-mail digests');
    return this.store;
  }

  async get(account: Account): Promise<DigestPreference> {
    return (await this.configured().preference(account.uid).catch(quarantineUnavailable)) ?? this.defaults;
  }

  async save(account: Account, preference: DigestPreference, clientAddress: string): Promise<DigestPreference> {
    await this.configured().savePreference(account.uid, preference).catch(quarantineUnavailable);
    await this.activity.append(account.uid, 'changes', {
      at: Date.now(),
      area: 'quarantine',
      source: 'app',
      what: 'digest',
      details: { schedule: preference.schedule, language: preference.language },
      clientAddress,
    });
    return preference;
  }
}
