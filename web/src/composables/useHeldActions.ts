import { shallowRef } from 'vue';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { API_ERROR_CODES, type BulkOutcome, type HeldItem, type ReleaseOutcome } from '../api/types';

// What the user asked to do with held mail, waiting for her confirmation in the dialog, and
// doing it. The dialog shows exactly `items`; confirming acts on exactly their ids.

export type HeldActionKind = 'release' | 'releaseAllow' | 'request' | 'delete' | 'bulkRelease' | 'bulkDelete';

export interface HeldAction {
  kind: HeldActionKind;
  items: HeldItem[];
}

export type HeldActionResult =
  | { kind: 'release' | 'releaseAllow' | 'request'; item: HeldItem; outcome: ReleaseOutcome }
  | { kind: 'delete'; item: HeldItem }
  | { kind: 'bulkRelease' | 'bulkDelete'; items: HeldItem[]; outcome: BulkOutcome };

/** An error code as the API client would report it (unknown codes become `unexpected`). */
export function errorForCode(code: string): ApiError {
  const known = (API_ERROR_CODES as readonly string[]).includes(code);
  return new ApiError({ code: known ? (code as (typeof API_ERROR_CODES)[number]) : 'unexpected', status: 0 });
}

export function useHeldActions() {
  const pending = shallowRef<HeldAction | null>(null);
  const working = shallowRef(false);

  function ask(kind: HeldActionKind, items: HeldItem[]): void {
    if (working.value || items.length === 0) return;
    pending.value = { kind, items };
  }

  function cancel(): void {
    if (!working.value) pending.value = null;
  }

  async function run(action: HeldAction): Promise<HeldActionResult> {
    const [item] = action.items;
    switch (action.kind) {
      case 'release':
      case 'request':
      case 'releaseAllow':
        if (!item) throw new Error('no message to release');
        return { kind: action.kind, item, outcome: await api.releaseHeld(item.id, action.kind === 'releaseAllow') };
      case 'delete':
        if (!item) throw new Error('no message to delete');
        await api.deleteHeld(item.id);
        return { kind: 'delete', item };
      case 'bulkRelease':
      case 'bulkDelete':
        return {
          kind: action.kind,
          items: action.items,
          outcome: await api.bulkHeld(action.kind === 'bulkRelease' ? 'release' : 'delete', action.items.map((i) => i.id)),
        };
    }
  }

  /** Does what the dialog showed; the dialog closes whatever happens. */
  async function confirm(): Promise<HeldActionResult> {
    const action = pending.value;
    if (!action || working.value) throw new Error('nothing to confirm');
    working.value = true;
    try {
      return await run(action);
    } finally {
      working.value = false;
      pending.value = null;
    }
  }

  return { pending, working, ask, cancel, confirm };
}
