import { shallowRef, type ShallowRef } from 'vue';

// One thing a page reads from the API: its last answer, whether a read is under way, and
// why the last read failed. The answer is kept on failure, so a page that was already
// shown stays shown beside the error.

export interface Resource<T> {
  data: ShallowRef<T | null>;
  loading: ShallowRef<boolean>;
  loadError: ShallowRef<unknown>;
  load: () => Promise<void>;
}

export function useResource<T>(read: () => Promise<T>): Resource<T> {
  const data = shallowRef<T | null>(null);
  const loadError = shallowRef<unknown>(null);
  const loading = shallowRef(false);

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = null;
    try {
      data.value = await read();
    } catch (err) {
      loadError.value = err;
    } finally {
      loading.value = false;
    }
  }

  return { data, loading, loadError, load };
}
