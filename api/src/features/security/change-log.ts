import type { ActivityStore, ChangeEntry } from '../../auth/activity-store';
import type { DirectoryArea, DirectoryObserver } from '../../backends/ldap/directory';
import type { Logger } from '../../logging';
import { currentActor } from '../../shared/acting-session';
import type { ScriptObserver, ScriptWriteKind } from '../script/store';
import type { FingerprintStore } from '../../auth/fingerprints';

/** Outside-change codes the SPA words: what was found on a read that this app did not write. */
export type OutsideChange = 'script-changed' | 'other-script-active' | 'script-deactivated' | 'ldap-forwarding-changed';

/** What a change through the app was made with: a page, the raw editor, … or a directory write. */
export type AppChangeKind = ScriptWriteKind | 'directory';

/** Far more than one instance serves at once; only a shortcut, so forgetting costs one store read. */
const MAX_CACHED = 10_000;

/** Whose entry `dn` is: the signed-in user's, or (a helpdesk write) the uid its first RDN names. */
function uidOfDn(dn: string): string | null {
  const actor = currentActor();
  if (actor?.dn === dn && actor.uid) return actor.uid;
  const match = /^uid=((?:[^,\\]|\\.)+),/i.exec(dn);
  return match ? match[1]!.replace(/\\(.)/g, '$1') : null;
}

/**
 * The `changes` stream of the Security page. Hears every write of the script store and of the
 * directory's writers (the one path each kind of setting takes), so no route records anything
 * itself; and compares what it reads with what the app last wrote, to find changes made by
 * other ManageSieve clients or directly in LDAP ("changed outside this app").
 */
export class ChangeLog {
  /** Last fingerprint this instance saw or wrote, per key: equal on a read means nothing to ask the store. */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly activity: ActivityStore,
    private readonly fingerprints: FingerprintStore,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** For the script store (createServices wires it). */
  readonly script: ScriptObserver = {
    seen: (uid, fingerprint) => this.compare(uid, 'sieve', fingerprint),
    written: async (uid, write) => {
      await this.remember(uid, 'sieve', write.fingerprint);
      for (const area of write.areas) await this.record(uid, area, write.kind);
    },
  };

  /** For the directory's writers (createServices wires it). */
  readonly directory: DirectoryObserver = {
    seen: async (dn, _area, fingerprint) => {
      const uid = uidOfDn(dn);
      if (uid) await this.compare(uid, 'ldap-forwarding', fingerprint);
    },
    written: async (dn, area: DirectoryArea, fingerprint) => {
      const uid = uidOfDn(dn);
      if (!uid) return;
      if (area === 'forwarding') await this.remember(uid, 'ldap-forwarding', fingerprint);
      await this.record(uid, area, 'directory');
    },
  };

  private cacheKey(uid: string, what: string): string {
    return `${what}:${uid}`;
  }

  private async remember(uid: string, what: string, fingerprint: string | null): Promise<void> {
    const key = this.cacheKey(uid, what);
    this.cache(key, fingerprint);
    try {
      await this.fingerprints.swap(key, fingerprint);
    } catch (error) {
      this.logger.warn({ event: 'change_log_lost', uid, err: (error as Error).message });
    }
  }

  private async compare(uid: string, what: 'sieve' | 'ldap-forwarding', fingerprint: string): Promise<void> {
    const key = this.cacheKey(uid, what);
    if (this.known.get(key) === fingerprint) return;
    try {
      const previous = await this.fingerprints.swap(key, fingerprint);
      this.cache(key, fingerprint);
      if (previous === null || previous === fingerprint) return;
      const change: OutsideChange =
        what === 'ldap-forwarding'
          ? 'ldap-forwarding-changed'
          : fingerprint.startsWith('other:')
            ? 'other-script-active'
            : fingerprint === 'none'
              ? 'script-deactivated'
              : 'script-changed';
      await this.activity.append(uid, 'changes', { at: this.now(), area: what === 'sieve' ? 'script' : 'forwarding', source: 'outside', what: change });
    } catch (error) {
      this.logger.warn({ event: 'change_log_lost', uid, err: (error as Error).message });
    }
  }

  private async record(uid: string, area: string, kind: AppChangeKind): Promise<void> {
    const actor = currentActor();
    const once = `${uid}\u0000${area}`;
    if (actor?.recorded.has(once)) return;
    actor?.recorded.add(once);
    const entry: ChangeEntry = { at: this.now(), area, source: actor?.uid && actor.uid !== uid ? 'helpdesk' : 'app', what: kind };
    if (actor?.sessionHandle) entry.sessionHandle = actor.sessionHandle;
    if (actor?.clientAddress) entry.clientAddress = actor.clientAddress;
    try {
      await this.activity.append(uid, 'changes', entry);
    } catch (error) {
      this.logger.warn({ event: 'change_log_lost', uid, area, err: (error as Error).message });
    }
  }

  private cache(key: string, fingerprint: string | null): void {
    this.known.delete(key);
    if (fingerprint === null) return;
    if (this.known.size >= MAX_CACHED) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, fingerprint);
  }
}
