import { ref, shallowRef } from 'vue';
import { filtersApi } from '../api/client';
import type { MailFolder } from '../api/types';

// The user's IMAP folders for the folder picker: read once per visit of the filters pages
// (every picker shares the list), and again after a folder is created.

const folders = shallowRef<MailFolder[] | null>(null);
const loading = ref(false);
const error = shallowRef<unknown>(null);
let pending: Promise<void> | null = null;

async function load(force = false): Promise<void> {
  if (pending) return pending;
  if (folders.value && !force) return;
  loading.value = true;
  error.value = null;
  pending = filtersApi
    .folders()
    .then((list) => {
      folders.value = [...list].sort((a, b) => (a.path === 'INBOX' ? -1 : b.path === 'INBOX' ? 1 : a.path.localeCompare(b.path)));
    })
    .catch((err: unknown) => {
      error.value = err;
    })
    .finally(() => {
      loading.value = false;
      pending = null;
    });
  return pending;
}

/** Creates a top-level folder and returns its path (UTF-8: Greek names work). */
async function create(name: string): Promise<string> {
  const made = await filtersApi.createFolder(name);
  await load(true);
  return made.path;
}

/** Forget the list (a new visit of the filters pages reads it again). */
export function forgetFolders(): void {
  folders.value = null;
}

export function useFiltersFolders() {
  void load();
  return { folders, loading, error, load, create };
}
