import { shallowRef } from 'vue';
import { api } from '../api/client';
import type { MailingList } from '../api/types';

/** The groups and mailing lists the user belongs to (read-only: owners manage membership). */
export function useLists() {
  const lists = shallowRef<MailingList[] | null>(null);
  const error = shallowRef<unknown>(null);

  async function load(): Promise<void> {
    error.value = null;
    try {
      lists.value = (await api.lists()).lists;
    } catch (err) {
      error.value = err;
    }
  }

  return { lists, error, load };
}
