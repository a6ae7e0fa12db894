import { onScopeDispose, shallowRef } from 'vue';
import type { FoundUser } from '../api/helpdesk';

// Results as the member types: a short pause before asking, and an answer that arrives after
// a newer question was asked is dropped, so the list always answers the last question.

export const SEARCH_DEBOUNCE_MS = 250;
/** The API refuses shorter and longer queries; no need to ask. */
export const SEARCH_MIN = 2;
export const SEARCH_MAX = 100;

/** `find` is the API call (helpdeskApi.search); tests pass their own. */
export function useHelpdeskSearch(find: (q: string) => Promise<{ users: FoundUser[]; truncated: boolean }>) {
  const users = shallowRef<FoundUser[] | null>(null);
  const truncated = shallowRef(false);
  const searching = shallowRef(false);
  const error = shallowRef<unknown>(null);
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function ask(text: string, mine: number): Promise<void> {
    searching.value = true;
    error.value = null;
    try {
      const answer = await find(text);
      if (mine !== asked) return;
      users.value = answer.users;
      truncated.value = answer.truncated;
    } catch (err) {
      if (mine === asked) error.value = err;
    } finally {
      if (mine === asked) searching.value = false;
    }
  }

  function type(typed: string): void {
    clearTimeout(timer);
    const text = typed.trim();
    const mine = ++asked;
    if ([...text].length < SEARCH_MIN || [...text].length > SEARCH_MAX) {
      users.value = null;
      searching.value = false;
      return;
    }
    timer = setTimeout(() => void ask(text, mine), SEARCH_DEBOUNCE_MS);
  }

  onScopeDispose(() => clearTimeout(timer));
  return { users, truncated, searching, error, type };
}
