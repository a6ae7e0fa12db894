import { computed, readonly, shallowRef } from 'vue';
import { api, setCsrfToken } from '../api/client';
import { ApiError } from '../api/errors';
import type { Me, SessionResponse } from '../api/types';

// The signed-in user, shared by the whole app (a setup-style store: module state plus the
// functions that change it). The CSRF token lives only in memory, in the API client.

const me = shallowRef<Me | null>(null);
/** Why /api/me failed, when it failed for a reason other than "not signed in". */
const loadError = shallowRef<ApiError | null>(null);
let loading: Promise<void> | null = null;

function accept(res: SessionResponse): void {
  me.value = res.me;
  setCsrfToken(res.csrfToken);
  loadError.value = null;
}

function forget(): void {
  me.value = null;
  setCsrfToken(null);
}

/** Asks /api/me once per page load (again after sign-out); the router guard awaits it. */
function ensureLoaded(): Promise<void> {
  loading ??= api.me().then(accept, (err: unknown) => {
    forget();
    const apiErr = err instanceof ApiError ? err : new ApiError({ code: 'unexpected', status: 0 });
    loadError.value = apiErr.code === 'unauthenticated' ? null : apiErr;
  });
  return loading;
}

/**
 * Reads /api/me again after a change to what it holds (the user's addresses, after an alias
 * change). A failure keeps what we have: the change itself succeeded, and the next page
 * load reads it anyway.
 */
async function refresh(): Promise<void> {
  try {
    accept(await api.me());
  } catch {
    // Stale addresses in the shell until the next load; not worth an error over a success.
  }
}

async function signIn(username: string, password: string): Promise<void> {
  accept(await api.signIn(username, password));
  loading = Promise.resolve();
}

async function signOut(): Promise<void> {
  try {
    await api.signOut();
  } catch (err) {
    // Already signed out on the server: nothing left to undo.
    if (!(err instanceof ApiError && err.code === 'unauthenticated')) throw err;
  }
  expire();
}

/** The server says the session is gone (expired cookie): drop what we hold. */
function expire(): void {
  forget();
  loading = Promise.resolve();
}

export function useSession() {
  return {
    me: readonly(me),
    loadError: readonly(loadError),
    signedIn: computed(() => me.value !== null),
    ensureLoaded,
    refresh,
    signIn,
    signOut,
    expire,
  };
}
