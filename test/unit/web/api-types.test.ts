import { describe, expect, it } from 'vitest';
import type { z } from '@hono/zod-openapi';
import type * as Web from '../../../web/src/api/types';
import type { CheckResult, ScriptEntry } from '../../../api/src/features/script/store';
import type { ApplyProgress } from '../../../api/src/features/filters/tester';
import type { ActionSchema, ApplyPreviewSchema, FilterItemView, FiltersView, SaveFiltersInput, TestResultSchema } from '../../../api/src/features/filters/schemas';
import type { RawScriptSavedView, RawScriptView, ScriptHistoryList, TakenOverView } from '../../../api/src/features/script/routes';
import type { Folder } from '../../../api/src/features/folders/routes';
import type { Lists } from '../../../api/src/features/lists/routes';
import type { EmptyFolderRequest } from '../../../api/src/features/quota/routes';
import type { BulkOutcomeSchema, HeldQuerySchema, ReleaseOutcomeSchema } from '../../../api/src/features/quarantine/schemas';

// web/src/api/types.ts imports the API's shapes where the API defines them without I/O. The
// rest are defined only in server modules (services, routes, the filters schemas that load
// the whole Sieve package), which the SPA's type check must not load (they bring Node's
// types), so the SPA writes those itself. Here, under the API's tsconfig, each is checked to
// be exactly the API's: a change on either side not made on the other does not compile.

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Compile-time checks; the values only make the test say what was checked.
const same = {
  emptyRequest: true as Exactly<Web.EmptyRequest, EmptyFolderRequest>,
  mailingList: true as Exactly<Web.MailingList, Lists['lists'][number]>,
  folder: true as Exactly<Web.MailFolder, Folder>,
  rawScript: true as Exactly<Web.RawScript, RawScriptView>,
  rawScriptSaved: true as Exactly<Web.RawScriptSaved, RawScriptSavedView>,
  history: true as Exactly<Web.HistoryEntry, ScriptHistoryList[number]>,
  takenOver: true as Exactly<Web.TakenOver, TakenOverView>,
  scripts: true as Exactly<Web.SieveScriptInfo, ScriptEntry>,
  scriptCheck: true as Exactly<Web.ScriptCheck, CheckResult>,
  filters: true as Exactly<Web.FiltersResponse, FiltersView>,
  filterItem: true as Exactly<Web.FilterItem, FilterItemView>,
  saveFilters: true as Exactly<Web.SaveFilters, SaveFiltersInput>,
  // Each action type (removeflag too) on both sides: the model's union is what the schema reads.
  filterAction: true as Exactly<Web.FilterAction, z.output<typeof ActionSchema>>,
  flagActionType: true as Exactly<Extract<Web.FilterAction, { flags: string[] }>['type'], 'addflag' | 'setflag' | 'removeflag'>,
  filterTest: true as Exactly<Web.FilterTestResult, z.infer<typeof TestResultSchema>>,
  applyPreview: true as Exactly<Web.ApplyPreview, z.infer<typeof ApplyPreviewSchema>>,
  applyEvent: true as Exactly<Web.ApplyEvent, ApplyProgress>,
  releaseOutcome: true as Exactly<Web.ReleaseOutcome, z.infer<typeof ReleaseOutcomeSchema>>,
  bulkOutcome: true as Exactly<Web.BulkOutcome, z.infer<typeof BulkOutcomeSchema>>,
  heldReason: true as Exactly<Web.HeldReason, NonNullable<z.infer<typeof HeldQuerySchema>['reason']>>,
} satisfies Record<string, true>;

describe('the SPA’s own copies of API shapes', () => {
  it('are exactly the API’s (checked by the type checker)', () => {
    expect(Object.values(same).every(Boolean)).toBe(true);
  });
});
