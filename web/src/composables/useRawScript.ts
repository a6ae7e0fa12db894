import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { errorBody, filtersApi } from '../api/client';
import { ApiError } from '../api/errors';
import type { RawScript, RawScriptSaved, ScriptCheck, ScriptProblem } from '../api/types';
import { useScriptSetting } from './useScriptSetting';

// The raw Sieve editor's state: the script's text with If-Match saves (409 choice, take-over
// through useScriptSetting), the server's verdict while typing (CHECKSCRIPT, debounced, at
// most about one a second: the server allows 60 a minute), and the server's problems of a
// refused save (422) at their lines.

export const CHECK_DELAY_MS = 800;

type RawState = RawScript & { handEdited: boolean };

export function useRawScript(leaveQuestion: () => string) {
  const lastSaved = shallowRef<RawScriptSaved | null>(null);
  const s = useScriptSetting<RawState, { text: string }>({
    load: async () => ({ ...(await filtersApi.raw()), handEdited: false }),
    save: async (form, etag) => {
      const saved = await filtersApi.saveRaw(form.text, etag);
      lastSaved.value = saved;
      return { ...saved, handEdited: false };
    },
    toForm: (res) => ({ text: res.text }),
    controlId: () => 'raw-script',
    fieldOrder: ['text'],
    leaveQuestion,
  });

  const check = shallowRef<ScriptCheck | null>(null);
  const checking = ref(false);
  const checkError = shallowRef<unknown>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;

  async function runCheck(text: string): Promise<void> {
    const mine = ++seq;
    checking.value = true;
    try {
      const verdict = await filtersApi.check(text);
      if (mine === seq) {
        check.value = verdict;
        checkError.value = null;
      }
    } catch (err) {
      if (mine === seq) checkError.value = err;
    } finally {
      if (mine === seq) checking.value = false;
    }
  }

  // Check as the user types, once typing pauses; not the text as loaded (it is stored).
  watch(
    () => s.form.value?.text,
    (text, before) => {
      if (text === undefined || before === undefined) return;
      if (timer) clearTimeout(timer);
      lastSaved.value = null;
      timer = setTimeout(() => void runCheck(text), CHECK_DELAY_MS);
    },
  );
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
    seq++;
  });

  /** Problems of a refused save, by line: the server's (422 script_rejected) or the app's own (400 validation). */
  const saveProblems = computed<ScriptProblem[]>(() => {
    const err = s.error.value;
    if (!(err instanceof ApiError) || (err.code !== 'script_rejected' && err.code !== 'validation')) return [];
    const list = (errorBody(err) as { errors?: unknown } | null)?.errors;
    return Array.isArray(list) ? (list as ScriptProblem[]) : [];
  });
  const tooLarge = computed(() => s.error.value instanceof ApiError && (s.error.value.code === 'payload_too_large' || s.fieldError('text') === 'too_long'));

  /** What the gutter marks: a refused save's problems, else the live check's. */
  const problems = computed<ScriptProblem[]>(() => (saveProblems.value.length ? saveProblems.value : (check.value?.errors ?? [])));

  async function save(): Promise<void> {
    if (timer) clearTimeout(timer);
    await s.submit();
    if (s.saved.value) check.value = null;
  }

  return { ...s, check, checking, checkError, saveProblems, tooLarge, problems, lastSaved, save };
}
