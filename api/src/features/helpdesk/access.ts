import type { Account, Directory } from '../../backends/ldap/directory';
import type { AppConfig } from '../../config/load';
import { ApiError } from '../../http/errors';

export type HelpdeskConfig = NonNullable<AppConfig['helpdesk']>;
export type HelpdeskAction = HelpdeskConfig['allowedActions'][number];

export interface Member {
  account: Account;
  /** 'act': may take the configured actions; 'look': read-only helper. */
  may: 'act' | 'look';
}

/** A login as the directory spells them; anything else cannot name a user. */
const UID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/**
 * Who may use the helpdesk's screens and on whom: members of the configured groups, on users
 * found under the directory's people base, never on their own account.
 */
export class HelpdeskAccess {
  constructor(
    private readonly directory: Directory,
    private readonly config: HelpdeskConfig | null,
  ) {}

  get allowedActions(): readonly HelpdeskAction[] {
    return this.config?.allowedActions ?? [];
  }

  /** The signed-in user as a helpdesk member; `forbidden` for everyone else. */
  async member(account: Account): Promise<Member> {
    if (!this.config) throw new ApiError('helpdesk_not_configured', 'this site has no helpdesk configured');
    const may = await this.role(account);
    if (may === null) throw new ApiError('forbidden', 'only members of the helpdesk use these pages');
    return { account, may };
  }

  /** What the account may do in the helpdesk's screens, or null when it is not a member (or the site has no helpdesk). */
  async role(account: Account): Promise<Member['may'] | null> {
    if (!this.config) return null;
    const groups = new Set((await this.directory.groupsOfMember(account.dn)).map((g) => g.cn));
    if (groups.has(this.config.group)) return 'act';
    if (this.config.readOnlyGroup !== null && groups.has(this.config.readOnlyGroup)) return 'look';
    return null;
  }

  /** Refuses read-only helpers and actions the site does not allow. */
  assertMayAct(member: Member, action: HelpdeskAction): void {
    if (member.may !== 'act') throw new ApiError('forbidden', 'read-only helpdesk members cannot change anything');
    if (!this.allowedActions.includes(action)) throw new ApiError('forbidden', `this site does not allow the helpdesk to ${action}`);
  }

  /**
   * The user a member asks about, by login: found only under the people base (getAccount
   * searches there), never the member themself.
   */
  async target(member: Member, uid: string): Promise<Account> {
    if (!UID.test(uid)) throw new ApiError('not_found', 'no such user');
    if (uid.toLowerCase() === member.account.uid.toLowerCase()) {
      throw new ApiError('helpdesk_own_account', 'use your own pages for your own account, not the helpdesk');
    }
    const account = await this.directory.getAccount(uid);
    if (!account) throw new ApiError('not_found', 'no such user');
    if (account.dn === member.account.dn) throw new ApiError('helpdesk_own_account', 'use your own pages for your own account, not the helpdesk');
    return account;
  }
}
