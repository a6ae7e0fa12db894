import type { Logger } from '../logging';
import type { ActivityStore } from './activity-store';
import type { SessionStore } from './session-store';

export interface Revoker {
  /** Login of who did it ('cli:<unix user>' from the command line). */
  actor: string;
  actorName: string;
  reason: string;
}

/**
 * An administrator's revocation: ends every session of the user in the shared store, so each
 * instance refuses her cookies on their very next request; writes the audit line and tells the
 * user on her Security page (the helpdesk stream: who, why, when).
 */
export async function revokeAllSessions(
  deps: { sessionStore: SessionStore; activity: ActivityStore; logger: Logger },
  uid: string,
  by: Revoker,
): Promise<number> {
  const ended = await deps.sessionStore.endOthers(uid, null);
  deps.logger.child({ log: 'auth' }).info({ event: 'sessions_revoked', uid, by: by.actor, reason: by.reason, ended });
  await deps.activity.append(uid, 'helpdesk', { at: Date.now(), actor: by.actor, actorName: by.actorName, kind: 'action', what: 'sessions-revoked', reason: by.reason });
  return ended;
}
