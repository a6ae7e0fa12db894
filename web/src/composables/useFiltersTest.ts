import { computed, ref, shallowRef, type Ref } from 'vue';
import { filtersApi } from '../api/client';
import { ApiError } from '../api/errors';
import type { ApplyPreview, FilterRule, FilterTestResult } from '../api/types';

// "Test this rule" and "Apply to existing messages" for the rule being edited. Applying is
// three steps: the count (a token pins exactly those messages), the user's yes, then the
// server's NDJSON progress, read as it streams.

export type ApplyStep = 'idle' | 'counting' | 'confirm' | 'running' | 'done';

export function useFiltersTest(rule: Ref<FilterRule | null>) {
  const testing = ref(false);
  const result = shallowRef<FilterTestResult | null>(null);
  const error = shallowRef<unknown>(null);
  /** Field codes of the rule from the test or apply request (`rule.conditions.0.value`). */
  const fields = ref<Record<string, string>>({});

  const step = ref<ApplyStep>('idle');
  const preview = shallowRef<ApplyPreview | null>(null);
  const progress = ref({ done: 0, total: 0 });
  const outcome = shallowRef<{ done: number; total: number; moved?: number; flagged?: number } | null>(null);
  const applyError = shallowRef<unknown>(null);

  function fail(target: typeof error, err: unknown): void {
    target.value = err;
    const out: Record<string, string> = {};
    if (err instanceof ApiError) for (const [k, code] of Object.entries(err.fields)) out[k.replace(/^rule\./, '')] = code;
    fields.value = out;
  }

  async function test(): Promise<void> {
    if (!rule.value || testing.value) return;
    testing.value = true;
    error.value = null;
    fields.value = {};
    result.value = null;
    try {
      result.value = await filtersApi.test(JSON.parse(JSON.stringify(rule.value)) as FilterRule);
    } catch (err) {
      fail(error, err);
    } finally {
      testing.value = false;
    }
  }

  let pinned: FilterRule | null = null;

  async function count(): Promise<void> {
    if (!rule.value || step.value === 'counting' || step.value === 'running') return;
    applyError.value = null;
    fields.value = {};
    outcome.value = null;
    step.value = 'counting';
    pinned = JSON.parse(JSON.stringify(rule.value)) as FilterRule;
    try {
      preview.value = await filtersApi.applyPreview(pinned);
      step.value = preview.value.count === 0 ? 'done' : 'confirm';
      if (preview.value.count === 0) outcome.value = { done: 0, total: 0 };
    } catch (err) {
      fail(applyError, err);
      step.value = 'idle';
    }
  }

  async function apply(): Promise<void> {
    if (step.value !== 'confirm' || !preview.value || !pinned) return;
    step.value = 'running';
    progress.value = { done: 0, total: preview.value.count };
    try {
      await filtersApi.apply(pinned, preview.value.token, (e) => {
        if (e.type === 'progress') progress.value = { done: e.done, total: e.total };
        else if (e.type === 'done') outcome.value = e;
        else applyError.value = new ApiError({ code: e.code === 'mail_unavailable' ? 'mail_unavailable' : 'unexpected', status: 200 });
      });
    } catch (err) {
      fail(applyError, err);
    }
    step.value = 'done';
  }

  function cancel(): void {
    step.value = 'idle';
    preview.value = null;
  }

  const percent = computed(() => (progress.value.total ? Math.round((100 * progress.value.done) / progress.value.total) : 0));

  return { testing, result, error, fields, test, step, preview, progress, percent, outcome, applyError, count, apply, cancel };
}
