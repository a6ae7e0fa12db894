// The helpdesk as tests set it up: groups of their own (so tests in parallel do not share
// members), a user renamed for the duration of a file (Greek names, final sigma), and an entry
// outside the people base.
import { Attribute, Change, Client } from 'ldapts';
import type { AppConfig } from '../../api/src/config/load';
import { LDAP, userDn } from './stack';

export interface HelpdeskDirectory {
  /** This file's group of members who may act (cn). */
  readonly group: string;
  /** The config with helpdesk.group / readOnlyGroup set to this file's groups. */
  adjust(config: AppConfig): AppConfig;
  /** Gives a user another name until `restore` (cn, displayName, givenName, sn). */
  rename(uid: string, givenName: string, sn: string): Promise<void>;
  /** A person with a uid and mail outside ou=People (under ou=Services). */
  addOutsider(uid: string): Promise<void>;
  /** Removes the groups and the outsider and gives renamed users their names back. */
  restore(): Promise<void>;
}

export async function helpdeskDirectory(members: { act: string[]; look: string[] }, allowedActions: Array<'vacation-off' | 'remove-forward' | 'empty-spam'> = ['vacation-off', 'remove-forward', 'empty-spam']): Promise<HelpdeskDirectory> {
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const group = `helpdesk-test-${tag}`;
  const readOnlyGroup = `helpdesk-ro-test-${tag}`;
  const admin = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
  await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  const groupDn = (cn: string) => `cn=${cn},${LDAP.groupsDn}`;
  await admin.add(groupDn(group), { objectClass: 'groupOfUniqueNames', cn: group, uniqueMember: members.act.map(userDn) });
  // A group needs at least one member: none given, the site has no read-only helpers.
  const hasReadOnly = members.look.length > 0;
  if (hasReadOnly) await admin.add(groupDn(readOnlyGroup), { objectClass: 'groupOfUniqueNames', cn: readOnlyGroup, uniqueMember: members.look.map(userDn) });
  const renamed = new Map<string, Record<string, string[]>>();
  const outsiders: string[] = [];
  const NAME_ATTRIBUTES = ['cn', 'displayName', 'givenName', 'sn'];
  const replace = (values: Record<string, string[]>) => Object.entries(values).map(([type, v]) => new Change({ operation: 'replace', modification: new Attribute({ type, values: v }) }));
  return {
    group,
    adjust: (config) => ({ ...config, helpdesk: { group, readOnlyGroup: hasReadOnly ? readOnlyGroup : null, allowedActions } }),
    async rename(uid, givenName, sn) {
      if (!renamed.has(uid)) {
        const { searchEntries } = await admin.search(userDn(uid), { scope: 'base', attributes: NAME_ATTRIBUTES });
        const entry: Record<string, unknown> = searchEntries[0] ?? {};
        renamed.set(uid, Object.fromEntries(NAME_ATTRIBUTES.map((a) => [a, ([] as unknown[]).concat(entry[a] ?? []).map(String)])));
      }
      await admin.modify(userDn(uid), replace({ cn: [`${givenName} ${sn}`], displayName: [`${givenName} ${sn}`], givenName: [givenName], sn: [sn] }));
    },
    async addOutsider(uid) {
      const dn = `uid=${uid},${LDAP.servicesDn}`;
      await admin.add(dn, { objectClass: 'inetOrgPerson', uid, cn: `Outside ${uid}`, sn: 'Outside', mail: `${uid}@cs.ucy.ac.cy` });
      outsiders.push(dn);
    },
    async restore() {
      for (const [uid, values] of renamed) await admin.modify(userDn(uid), replace(values)).catch(() => undefined);
      for (const dn of outsiders) await admin.del(dn).catch(() => undefined);
      await admin.del(groupDn(group)).catch(() => undefined);
      if (hasReadOnly) await admin.del(groupDn(readOnlyGroup)).catch(() => undefined);
      await admin.unbind();
    },
  };
}
