import { useI18n } from '../i18n/vue-i18n';
import type { MailExit } from '../api/types';

// How an exit is named to the user: where it was set up, and the page that changes it.

export function useExitText() {
  const { t } = useI18n();
  return {
    source(exit: Pick<MailExit, 'source' | 'place'>): string {
      if (exit.source === 'filter') return t('exits.source.filter', { place: exit.place ?? '' });
      if (exit.source === 'sieve' && exit.place) return t('exits.source.sievePlace', { place: exit.place });
      return t(`exits.source.${exit.source}`);
    },
    /** The route that edits it; null for the directory's (see exits.editLdap). */
    editRoute(exit: Pick<MailExit, 'source'>): { name: string } | null {
      if (exit.source === 'forwarding') return { name: 'forwarding' };
      if (exit.source === 'filter') return { name: 'filters' };
      if (exit.source === 'sieve') return { name: 'filters-raw' };
      return null;
    },
  };
}
