import { ref, shallowRef } from 'vue';
import { filtersApi } from '../api/client';
import type { HistoryEntry, HistoryVersion } from '../api/types';

// The script's previous versions (the server keeps 10): list, read one, put one back. A
// restore sends the current script's ETag, so a change made meanwhile is not overwritten.

export function useHistory() {
  const entries = shallowRef<HistoryEntry[] | null>(null);
  const loading = ref(true);
  const error = shallowRef<unknown>(null);
  const preview = shallowRef<HistoryVersion | null>(null);
  const previewing = ref<string | null>(null);
  const restoring = ref(false);
  const restored = shallowRef<HistoryVersion | null>(null);

  /** The script's ETag as it was when the list was read: what a restore replaces. */
  let rawEtag = '';

  async function load(keepError = false): Promise<void> {
    loading.value = true;
    if (!keepError) error.value = null;
    try {
      const [list, raw] = await Promise.all([filtersApi.history(), filtersApi.raw()]);
      entries.value = list;
      rawEtag = raw.etag;
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }

  async function show(id: string): Promise<void> {
    previewing.value = id;
    error.value = null;
    try {
      preview.value = await filtersApi.version(id);
    } catch (err) {
      error.value = err;
    } finally {
      previewing.value = null;
    }
  }

  async function restore(id: string): Promise<boolean> {
    if (restoring.value) return false;
    restoring.value = true;
    error.value = null;
    restored.value = null;
    try {
      await filtersApi.restore(id, rawEtag);
      restored.value = entries.value?.find((e) => e.id === id) ? { ...(entries.value.find((e) => e.id === id) as HistoryEntry), text: '' } : null;
      await load();
      return true;
    } catch (err) {
      error.value = err;
      // Changed meanwhile (409): read the list and the script's state again, keep the message.
      await load(true);
      return false;
    } finally {
      restoring.value = false;
    }
  }

  void load();
  return { entries, loading, error, preview, previewing, restoring, restored, load, show, restore };
}
