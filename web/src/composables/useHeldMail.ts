import { computed, onScopeDispose, reactive, shallowRef } from 'vue';
import { ApiError } from '../api/errors';
import type { HeldList, HeldQuery, HeldReason } from '../api/types';

// The Held mail page's list: one page of the user's held messages for the current search,
// reason and page number. Typing in the search box waits for a pause before asking; an
// answer that arrives after a newer question was asked is dropped, so the list always shows
// the last question's answer.

export const HELD_PAGE_SIZE = 50;
export const SEARCH_DEBOUNCE_MS = 300;
/** The API refuses longer searches (`too_long`). */
export const SEARCH_MAX = 200;

/** What the search box sends: no control characters (the API refuses them), trimmed, at most SEARCH_MAX. */
export function searchText(typed: string): string {
  return typed.replace(/\p{Cc}+/gu, ' ').trim().slice(0, SEARCH_MAX);
}

/** `read` is the API call (api.heldMail); tests pass their own. */
export function useHeldMail(read: (q: HeldQuery) => Promise<HeldList>) {
  const query = reactive<HeldQuery>({ search: '', reason: '', page: 1, pageSize: HELD_PAGE_SIZE });
  const list = shallowRef<HeldList | null>(null);
  const loading = shallowRef(false);
  const loadError = shallowRef<unknown>(null);
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function load(): Promise<void> {
    clearTimeout(timer);
    const mine = ++asked;
    loading.value = true;
    loadError.value = null;
    try {
      const answer = await read({ ...query });
      if (mine !== asked) return;
      list.value = answer;
      // Fewer pages than before (messages released or deleted meanwhile): show the last one.
      const last = Math.max(1, Math.ceil(answer.total / query.pageSize));
      if (query.page > last) {
        query.page = last;
        await load();
      }
    } catch (err) {
      if (mine === asked) loadError.value = err;
    } finally {
      if (mine === asked) loading.value = false;
    }
  }

  function search(typed: string): void {
    const text = searchText(typed);
    if (text === query.search) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      query.search = text;
      query.page = 1;
      void load();
    }, SEARCH_DEBOUNCE_MS);
  }

  function filter(reason: HeldReason | ''): void {
    query.reason = reason;
    query.page = 1;
    void load();
  }

  function goTo(page: number): void {
    query.page = Math.min(Math.max(1, page), pages.value);
    void load();
  }

  const pages = computed(() => Math.max(1, Math.ceil((list.value?.total ?? 0) / query.pageSize)));
  const code = computed(() => (loadError.value instanceof ApiError ? loadError.value.code : null));

  onScopeDispose(() => clearTimeout(timer));

  return {
    query,
    list,
    loading,
    loadError,
    /** The filter's store does not answer: the page says so instead of a list. */
    unavailable: computed(() => code.value === 'quarantine_unavailable'),
    notConfigured: computed(() => code.value === 'quarantine_not_configured'),
    pages,
    load,
    search,
    filter,
    goTo,
  };
}
