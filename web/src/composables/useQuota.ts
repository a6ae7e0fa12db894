import { shallowRef } from 'vue';
import { api } from '../api/client';
import type { EmptyPreview, EmptyResult, EmptyableFolder, FolderUsage, Quota } from '../api/types';

// The Quota page's state: usage, folders, and emptying SPAM or Trash in two steps — a
// preview the user confirms, then a request that deletes exactly what the preview showed
// (its count, UIDVALIDITY and UIDNEXT), never mail that arrived in between.

export function useQuota() {
  const quota = shallowRef<Quota | null>(null);
  const loadError = shallowRef<unknown>(null);
  const loading = shallowRef(false);

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = null;
    try {
      quota.value = await api.quota();
    } catch (err) {
      loadError.value = err;
    } finally {
      loading.value = false;
    }
  }

  function preview(folder: EmptyableFolder): Promise<EmptyPreview> {
    return api.emptyPreview(folder);
  }

  /** Sends back exactly what the user was shown. */
  function empty(shown: EmptyPreview): Promise<EmptyResult> {
    return api.emptyFolder({ folder: shown.folder, expectedMessages: shown.messages, uidValidity: shown.uidValidity, uidNext: shown.uidNext });
  }

  return { quota, loading, loadError, load, preview, empty };
}

/** Largest first (the API already answers so; kept stable by path for equal sizes). */
export function largestFirst(folders: readonly FolderUsage[]): FolderUsage[] {
  return [...folders].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
}
