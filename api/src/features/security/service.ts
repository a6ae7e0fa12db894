import type { ActivityStore, ChangeEntry, HelpdeskEntry, SignInEntry } from '../../auth/activity-store';
import type { SessionRecord, SessionStore } from '../../auth/session-store';
import type { Account } from '../../backends/ldap/directory';
import type { Directory } from '../../backends/ldap/directory';
import type { ScriptStore } from '../script/store';
import { describeUserAgent, type DescribedAgent } from './user-agent';

export type SessionView = Omit<SessionRecord, 'uid' | 'handle' | 'createdAt' | 'lastSeen'> &
  DescribedAgent & { id: string; current: boolean; createdAt: string; lastSeen: string };
export type SignInView = Omit<SignInEntry, 'at'> & DescribedAgent & { at: string };
export type ChangeView = Omit<ChangeEntry, 'at' | 'sessionHandle'> & { at: string; sessionId: string | null; session: 'this' | 'other' | null };
export type HelpdeskView = Omit<HelpdeskEntry, 'at'> & { at: string };

export interface SecurityView {
  /** The zone the page shows times in. */
  timeZone: string;
  sessions: SessionView[];
  signIns: SignInView[];
  changes: ChangeView[];
  helpdesk: HelpdeskView[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What the Security page shows, in one read: live sessions (with browser and system), the
 * sign-in history, the changes timeline and what the helpdesk did. Before listing the
 * changes it reads the script and the LDAP forwarding once, so a change another tool made
 * since the last visit is already in the timeline ("changed outside this app").
 */
export class SecurityService {
  constructor(
    private readonly deps: { sessionStore: SessionStore; activity: ActivityStore; scripts: ScriptStore; directory: Directory },
    private readonly timeZone: string,
  ) {}

  async get(account: Account, currentSid: string, clientAddress: string): Promise<SecurityView> {
    const { sessionStore, activity, scripts, directory } = this.deps;
    // Only their side effect matters here (the change log's comparison); a back end that is down
    // hides no session or sign-in, so its failure is ignored.
    await Promise.allSettled([scripts.readRaw(account.uid, { clientAddress }), directory.forwardingAddresses(account.dn)]);
    const [sessions, signIns, changes, helpdesk] = await Promise.all([
      sessionStore.list(account.uid),
      activity.list(account.uid, 'sign-ins'),
      activity.list(account.uid, 'changes'),
      activity.list(account.uid, 'helpdesk'),
    ]);
    const currentHandle = sessions.find(({ sid }) => sid === currentSid)?.record.handle ?? null;
    return {
      timeZone: this.timeZone,
      sessions: sessions
        .sort((a, b) => b.record.createdAt - a.record.createdAt)
        .map(({ sid, record }) => ({
          id: record.handle,
          current: sid === currentSid,
          method: record.method,
          createdAt: iso(record.createdAt * 1000),
          lastSeen: iso(record.lastSeen * 1000),
          clientAddress: record.clientAddress,
          userAgent: record.userAgent,
          ...describeUserAgent(record.userAgent),
        })),
      signIns: signIns.map((entry) => ({ ...entry, at: iso(entry.at), ...describeUserAgent(entry.userAgent) })),
      changes: changes.map(({ sessionHandle, ...entry }) => ({
        ...entry,
        at: iso(entry.at),
        sessionId: sessionHandle ?? null,
        session: sessionHandle === undefined ? null : sessionHandle === currentHandle ? 'this' : 'other',
      })),
      helpdesk: helpdesk.map((entry) => ({ ...entry, at: iso(entry.at) })),
    };
  }
}
