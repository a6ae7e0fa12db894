import { api } from '../api/client';
import { useResource } from './useResource';

/** The Security page's one read, and the two ways to end sessions (each reloads the page's data). */
export function useSecurity() {
  const resource = useResource(api.security);

  async function endSession(id: string): Promise<void> {
    try {
      await api.endSession(id);
    } finally {
      await resource.load();
    }
  }

  async function endOthers(): Promise<number> {
    try {
      return (await api.endOtherSessions()).ended;
    } finally {
      await resource.load();
    }
  }

  return { ...resource, endSession, endOthers };
}
