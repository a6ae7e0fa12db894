// Everything of a user's that a request could change, read from the back ends themselves (not
// through the app), so a test can show that a refused request changed nothing.
import { Client } from 'ldapts';
import type { AppConfig } from '../../api/src/config/load';
import type { Services } from '../../api/src/services';
import { allScripts } from './feature';
import { API_WRITABLE_ATTRIBUTES, LDAP, mailboxMessages, userDn } from './stack';

export interface AccountState {
  scripts: Awaited<ReturnType<typeof allScripts>>;
  /** The attributes the API may write, as slapd has them. */
  directory: Record<string, string[]>;
  /** The messages of each folder the app can change (INBOX, SPAM, Trash). */
  mailboxes: Record<string, string[]>;
  /** Handles of the user's live sessions (in this app's session store). */
  sessions: string[];
  /** Each alert's id and whether it was answered. */
  alerts: Array<{ id: string; resolved: unknown }>;
}

async function directoryAttributes(uid: string): Promise<Record<string, string[]>> {
  const admin = new Client({ url: LDAP.url, timeout: 5000, connectTimeout: 3000 });
  try {
    await admin.bind(LDAP.admin.dn, LDAP.admin.password);
    const { searchEntries } = await admin.search(userDn(uid), { scope: 'base', attributes: [...API_WRITABLE_ATTRIBUTES] });
    const entry: Record<string, unknown> = searchEntries[0] ?? {};
    return Object.fromEntries(API_WRITABLE_ATTRIBUTES.map((a) => [a, ([] as unknown[]).concat(entry[a] ?? []).map(String).sort()]));
  } finally {
    await admin.unbind();
  }
}

export async function accountState(config: AppConfig, services: Pick<Services, 'sessionStore' | 'activity'>, uid: string): Promise<AccountState> {
  const [scripts, directory, sessions, alerts, ...folders] = await Promise.all([
    allScripts(config, uid),
    directoryAttributes(uid),
    services.sessionStore.list(uid),
    services.activity.list(uid, 'alerts'),
    ...['INBOX', 'SPAM', 'Trash'].map((f) => mailboxMessages(uid, f)),
  ]);
  return {
    scripts,
    directory,
    mailboxes: { INBOX: folders[0] ?? [], SPAM: folders[1] ?? [], Trash: folders[2] ?? [] },
    sessions: sessions.map((s) => s.record.handle).sort(),
    alerts: alerts.map((a) => ({ id: a.id, resolved: a.resolved ?? null })),
  };
}
