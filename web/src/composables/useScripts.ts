import { ref, shallowRef } from 'vue';
import { filtersApi } from '../api/client';
import type { SieveScriptInfo } from '../api/types';

// The user's Sieve scripts on the server: which is active, and activate / rename / delete.
// Every call answers with the list afterwards. Taking over another active script is
// components/filters/TakeOverNotice.vue's (the rule list offers it too).

export function useScripts() {
  const scripts = shallowRef<SieveScriptInfo[] | null>(null);
  const loading = ref(true);
  const busy = ref(false);
  const error = shallowRef<unknown>(null);
  /** Field code of a refused rename (`newName: reserved`…), shown beside the field. */
  const renameError = ref<string | null>(null);
  const done = ref('');

  async function run(work: () => Promise<SieveScriptInfo[]>, message = ''): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    error.value = null;
    renameError.value = null;
    done.value = '';
    try {
      const list = await work();
      scripts.value = list;
      done.value = message;
      return true;
    } catch (err) {
      error.value = err;
      return false;
    } finally {
      busy.value = false;
      loading.value = false;
    }
  }

  const load = () => run(() => filtersApi.scripts());
  void load();

  return {
    scripts,
    loading,
    busy,
    error,
    renameError,
    done,
    load,
    activate: (name: string, message: string) => run(() => filtersApi.activate(name), message),
    rename: (name: string, newName: string, message: string) => run(() => filtersApi.rename(name, newName), message),
    remove: (name: string, message: string) => run(() => filtersApi.remove(name), message),
  };
}
