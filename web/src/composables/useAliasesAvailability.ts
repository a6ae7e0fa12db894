import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import type { AliasFieldCode, AliasPolicy } from '../api/types';
import { checkAliasLocally } from './useAliases';

// The live "is this address free?" check under the alias field. The server allows about 30
// checks a minute per user, so: the browser's own policy check first (free, immediate after
// the pause), the server only for well-formed addresses, once the user stops typing for
// DEBOUNCE_MS, and never twice in a row for the same address. Answers that arrive after the
// text changed again are dropped. The answer never says whose an address is: the API does not.

export const DEBOUNCE_MS = 400;

export type Availability =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'available'; address: string }
  | { state: 'unavailable'; code: AliasFieldCode }
  /** The server could not answer (rate limit, network): saving still checks. */
  | { state: 'unknown'; error: ApiError };

export function useAliasesAvailability(input: Ref<string>, policy: Ref<AliasPolicy | null>, options: { current: Ref<string | null> }) {
  const result = shallowRef<Availability>({ state: 'idle' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;
  const answers = new Map<string, Availability>();

  async function check(text: string, seq: number): Promise<void> {
    const rules = policy.value;
    if (!rules) return;
    const local = checkAliasLocally(text, rules);
    if (!local.ok) {
      result.value = local.code === 'required' ? { state: 'idle' } : { state: 'unavailable', code: local.code };
      return;
    }
    if (options.current.value && local.address === options.current.value.toLowerCase()) {
      result.value = { state: 'unavailable', code: 'own_address' };
      return;
    }
    const known = answers.get(local.address);
    if (known) {
      result.value = known;
      return;
    }
    result.value = { state: 'checking' };
    try {
      const res = await api.aliasAvailability(local.address);
      const answer: Availability = res.available
        ? { state: 'available', address: local.address }
        : { state: 'unavailable', code: res.reason ?? 'taken' };
      answers.set(local.address, answer);
      if (seq === sequence) result.value = answer;
    } catch (err) {
      if (seq === sequence) result.value = { state: 'unknown', error: err instanceof ApiError ? err : new ApiError({ code: 'unexpected', status: 0 }) };
    }
  }

  watch(input, (text) => {
    clearTimeout(timer);
    const seq = ++sequence;
    if (text.trim() === '') {
      result.value = { state: 'idle' };
      return;
    }
    // While typing, the old answer would be about another address: say nothing until the pause.
    if (result.value.state !== 'checking') result.value = { state: 'idle' };
    timer = setTimeout(() => void check(text, seq), DEBOUNCE_MS);
  });

  /** Forget what is known (after a save, someone's address may have changed hands). */
  function reset(): void {
    clearTimeout(timer);
    sequence++;
    answers.clear();
    result.value = { state: 'idle' };
  }

  onScopeDispose(() => clearTimeout(timer));

  return { availability: result, reset };
}
