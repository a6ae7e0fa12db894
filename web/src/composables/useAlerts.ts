import { shallowRef } from 'vue';
import { request } from '../api/client';
import type { AlertView, AlertsView, NotMeResult } from '../api/types';
import { useResource } from './useResource';

// The account's security alerts (GET /api/security/alerts) and the two answers to one:
// "That was me" marks it seen; "This wasn't me" removes the exit it names and signs out
// every other session, sent with the ETag of the alerts the user saw (a 409 if her settings
// changed since: then the list is read again and she decides anew).

export function useAlerts() {
  const { data, loading, loadError, load } = useResource(() => request<AlertsView>('GET', 'api/security/alerts'));
  const busy = shallowRef(false);
  const actionError = shallowRef<unknown>(null);
  const result = shallowRef<NotMeResult | null>(null);

  async function act(work: () => Promise<unknown>): Promise<boolean> {
    busy.value = true;
    actionError.value = null;
    try {
      await work();
      return true;
    } catch (err) {
      actionError.value = err;
      return false;
    } finally {
      busy.value = false;
      await load();
    }
  }

  const path = (alert: AlertView, what: string) => `api/security/alerts/${encodeURIComponent(alert.id)}/${what}`;

  return {
    alerts: data,
    loading,
    loadError,
    load,
    busy,
    actionError,
    result,
    acknowledge: (alert: AlertView) => act(() => request('POST', path(alert, 'acknowledge'), {})),
    notMe: (alert: AlertView) =>
      act(async () => {
        result.value = await request<NotMeResult>('POST', path(alert, 'not-me'), {}, { headers: { 'If-Match': data.value?.etag ?? '' } });
      }),
  };
}
