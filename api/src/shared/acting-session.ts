import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is making the current request, for records written deep below the routes (the script
 * store, the directory's writers) without passing it through every feature's signature.
 * Set once per request by the acting-session middleware; null outside a request.
 */
export interface Actor {
  /** The signed-in user (null: nobody signed in). */
  uid: string | null;
  /** Her directory entry. */
  dn: string | null;
  /** The public handle of the session (never its secret id). */
  sessionHandle: string | null;
  clientAddress: string;
  /** What this request already recorded, so one save that touches a thing twice records it once. */
  recorded: Set<string>;
}

const storage = new AsyncLocalStorage<Actor>();

export function currentActor(): Actor | null {
  return storage.getStore() ?? null;
}

export function actingAs<T>(actor: Omit<Actor, 'recorded'>, work: () => T): T {
  return storage.run({ ...actor, recorded: new Set() }, work);
}
