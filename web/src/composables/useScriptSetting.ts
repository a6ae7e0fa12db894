import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';
import { api, errorBody } from '../api/client';
import { ApiError } from '../api/errors';
import type { ScriptState } from '../api/types';
import { focusFirstInvalid } from './useDocument';

// The load → edit → save cycle shared by the settings kept in the user's Sieve script
// (vacation, spam, forwarding): the ETag sent back as If-Match, field errors, "changed
// elsewhere" (409 conflict) with reload/overwrite, taking over another active script,
// and unsaved-changes awareness (leaving the page or closing the tab asks first).

export interface ScriptSettingOptions<R extends ScriptState, F> {
  load: () => Promise<R>;
  save: (form: F, etag: string) => Promise<R>;
  /** The form's editable state for a server answer. */
  toForm: (res: R) => F;
  /** Checks the server cannot do (a number that is not one): field → code. */
  check?: (form: F) => Record<string, string>;
  /** The id of the control that shows a field's error (key `name` or `name.N`), or null. */
  controlId: (field: string) => string | null;
  /** Field names in the order of the form, for focusing the first error. */
  fieldOrder: readonly string[];
  /** The question asked before leaving with unsaved changes. */
  leaveQuestion: () => string;
}

/** `addresses[1]` and `addresses.1` both become `addresses.1`. */
export function normalizeFieldKey(key: string): string {
  return key.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

export function useScriptSetting<R extends ScriptState, F>(opts: ScriptSettingOptions<R, F>) {
  const data = shallowRef<R | null>(null);
  const form = ref(null) as Ref<F | null>;
  const baseline = ref('');
  const loading = ref(true);
  const loadError = shallowRef<unknown>(null);
  const saving = ref(false);
  const error = shallowRef<unknown>(null);
  const fieldErrors = ref<Record<string, string>>({});
  const saved = ref(false);
  /** The take-over before this save replaced what the app had saved before; that is in the history. */
  const previousKept = ref(false);
  /** The state saved elsewhere in the meantime (409 conflict). */
  const conflict = shallowRef<R | null>(null);
  /** 409 foreign_script_active: another script is active; the user may let us take it over. */
  const takeOverOffered = ref(false);
  /** 422 script_rejected: the server's own words, shown as a detail for advanced users. */
  const rejectedDetail = ref<string | null>(null);

  const dirty = computed(() => form.value !== null && JSON.stringify(form.value) !== baseline.value);
  watch(dirty, (d) => {
    if (d) saved.value = false;
  });

  function accept(res: R): void {
    data.value = res;
    form.value = opts.toForm(res);
    baseline.value = JSON.stringify(form.value);
  }

  /**
   * Changes what counts as loaded, by the same change made to the form: something the app
   * added for the user (a new, still untouched rule) is then no unsaved change of theirs.
   */
  function alsoLoaded(change: (form: F) => void): void {
    if (!form.value || !baseline.value) return;
    const loaded = JSON.parse(baseline.value) as F;
    change(loaded);
    baseline.value = JSON.stringify(loaded);
  }

  /**
   * After a 409 whose answer the page merged with its own edits: `current` becomes what is
   * loaded (its ETag goes with the next save) while the form shows `merged` for the user to check.
   */
  function rebase(current: R, merged: F): void {
    clearMessages();
    data.value = current;
    baseline.value = JSON.stringify(opts.toForm(current));
    form.value = merged;
  }

  function clearMessages(): void {
    error.value = null;
    fieldErrors.value = {};
    conflict.value = null;
    takeOverOffered.value = false;
    rejectedDetail.value = null;
    saved.value = false;
    previousKept.value = false;
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = null;
    try {
      accept(await opts.load());
    } catch (err) {
      loadError.value = err;
    } finally {
      loading.value = false;
    }
  }

  function fieldError(key: string): string | undefined {
    return fieldErrors.value[key];
  }

  /** `aria-describedby` for a field's control: its hints, then its error when it has one. */
  function describedBy(field: string, ...hints: string[]): string | undefined {
    const ids = [...hints, fieldError(field) ? `${opts.controlId(field)}-error` : ''].filter(Boolean);
    return ids.length ? ids.join(' ') : undefined;
  }

  function invalid(field: string): 'true' | undefined {
    return fieldError(field) ? 'true' : undefined;
  }

  /** Errors of a list's items: `{ 2: 'invalid' }` for `addresses.2`. */
  function itemErrors(base: string): Record<number, string> {
    const out: Record<number, string> = {};
    for (const [key, code] of Object.entries(fieldErrors.value)) {
      const m = new RegExp(`^${base}\\.(\\d+)$`).exec(key);
      if (m) out[Number(m[1])] = code;
    }
    return out;
  }

  // The first invalid control on the page; fieldOrder names it when none is marked (items by number: 2 before 10).
  function focusFirstError(): void {
    const keys = Object.keys(fieldErrors.value);
    const byItem = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
    for (const name of opts.fieldOrder) {
      const key = keys.filter((k) => k === name || k.startsWith(`${name}.`)).sort(byItem)[0];
      const id = key === undefined ? null : opts.controlId(key);
      if (id) return focusFirstInvalid(id);
    }
    if (keys.length > 0) focusFirstInvalid(null);
  }

  function showError(err: unknown): void {
    const apiErr = err instanceof ApiError ? err : new ApiError({ code: 'unexpected', status: 0 });
    error.value = apiErr;
    const fields: Record<string, string> = {};
    for (const [k, code] of Object.entries(apiErr.fields)) fields[normalizeFieldKey(k)] = code;
    fieldErrors.value = fields;
    if (apiErr.code === 'conflict') {
      const current = (errorBody(apiErr) as { current?: R } | null)?.current;
      conflict.value = current && typeof current === 'object' && 'etag' in current ? current : null;
    }
    if (apiErr.code === 'foreign_script_active') takeOverOffered.value = true;
    if (apiErr.code === 'script_rejected') {
      const text = (errorBody(apiErr) as { serverText?: unknown } | null)?.serverText;
      rejectedDetail.value = typeof text === 'string' && text ? text : apiErr.message;
    }
    focusFirstError();
  }

  async function saveWith(etag: string): Promise<void> {
    if (!form.value) return;
    saving.value = true;
    try {
      accept(await opts.save(form.value, etag));
      saved.value = true;
    } catch (err) {
      showError(err);
    } finally {
      saving.value = false;
    }
  }

  async function submit(): Promise<void> {
    if (saving.value || !form.value || !data.value) return;
    // Clear first, so a repeated error is a change the live region announces again.
    clearMessages();
    const problems = opts.check?.(form.value) ?? {};
    if (Object.keys(problems).length > 0) {
      showError(new ApiError({ code: 'validation', status: 0, fields: problems }));
      return;
    }
    await saveWith(data.value.etag);
  }

  /** After "changed elsewhere": save this form over the other change. */
  async function overwrite(): Promise<void> {
    const current = conflict.value;
    if (!current || saving.value) return;
    clearMessages();
    await saveWith(current.etag);
  }

  /** After "changed elsewhere": drop this form's edits and show what is saved now. */
  function takeCurrent(): void {
    const current = conflict.value;
    clearMessages();
    if (current) accept(current);
    else void load();
  }

  /** After foreign_script_active: make our script the active one, then save again. */
  async function takeOver(): Promise<void> {
    if (saving.value) return;
    clearMessages();
    saving.value = true;
    try {
      previousKept.value = (await api.takeOverScript()).previousKept;
    } catch (err) {
      saving.value = false;
      showError(err);
      return;
    }
    saving.value = false;
    // The take-over rewrote the script: read its new ETag, keep the user's edits.
    try {
      const fresh = await opts.load();
      data.value = fresh;
      await saveWith(fresh.etag);
    } catch (err) {
      showError(err);
    }
  }

  // Unsaved changes: ask before leaving the page in the app, or closing/reloading the tab.
  onBeforeRouteLeave(() => (dirty.value ? window.confirm(opts.leaveQuestion()) : true));
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (!dirty.value) return;
    e.preventDefault();
    e.returnValue = '';
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload));

  void load();

  return {
    data,
    form,
    loading,
    loadError,
    saving,
    error,
    fieldErrors,
    saved,
    previousKept,
    dirty,
    alsoLoaded,
    rebase,
    conflict,
    takeOverOffered,
    rejectedDetail,
    load,
    submit,
    overwrite,
    takeCurrent,
    takeOver,
    fieldError,
    describedBy,
    invalid,
    itemErrors,
  };
}

export type ScriptSetting<R extends ScriptState, F> = ReturnType<typeof useScriptSetting<R, F>>;
