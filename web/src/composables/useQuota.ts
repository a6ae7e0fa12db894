import { api } from '../api/client';
import type { EmptyPreview, EmptyResult, EmptyableFolder, FolderUsage } from '../api/types';
import { useResource } from './useResource';

// The Quota page's state: usage, folders, and emptying SPAM or Trash in two steps — a
// preview the user confirms, then a request that deletes exactly what the preview showed
// (its count, UIDVALIDITY and UIDNEXT), never mail that arrived in between.

export function useQuota() {
  const { data: quota, loading, loadError, load } = useResource(api.quota);

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
