import { describe, expect, it } from 'vitest';
import { chunkOf, type ModuleGraph } from '../../../build/chunks';

// A small module graph shaped like the SPA's: the entry, lazily loaded views, shared code.
const W = '/r/web/src/';
const edges: Record<string, { importers?: string[]; dynamicImporters?: string[]; isEntry?: boolean }> = {
  [`${W}main.ts`]: { isEntry: true },
  [`${W}router/index.ts`]: { importers: [`${W}main.ts`] },
  [`${W}views/OverviewView.vue`]: { dynamicImporters: [`${W}router/index.ts`] },
  [`${W}views/VacationView.vue`]: { dynamicImporters: [`${W}router/index.ts`] },
  [`${W}views/filters/RulesView.vue`]: { dynamicImporters: [`${W}router/index.ts`] },
  [`${W}views/QuotaView.vue`]: { dynamicImporters: [`${W}router/index.ts`] },
  [`${W}views/AliasesView.vue`]: { dynamicImporters: [`${W}router/index.ts`] },
  // Used by two Sieve pages: their shared chunk.
  [`${W}components/settings/SaveBar.vue`]: { importers: [`${W}views/VacationView.vue`, `${W}views/filters/RulesView.vue`] },
  // Used by the overview and a page: the first view has it.
  [`${W}composables/useQuotaFormat.ts`]: { importers: [`${W}views/OverviewView.vue`, `${W}views/QuotaView.vue`] },
  // Used by quota and aliases: in no single page's chunk.
  [`${W}components/common/ModalDialog.vue`]: { importers: [`${W}views/QuotaView.vue`, `${W}views/AliasesView.vue`] },
  // Shown by the overview only when needed (a lazy import), always by one page: that page's chunk.
  [`${W}components/security/AlertsPanel.vue`]: { importers: [`${W}views/QuotaView.vue`], dynamicImporters: [`${W}views/OverviewView.vue`] },
  // Imported lazily by the overview but statically by two pages: no single page has it.
  [`${W}components/exits/ExitsList.vue`]: { importers: [`${W}views/QuotaView.vue`, `${W}views/AliasesView.vue`], dynamicImporters: [`${W}views/OverviewView.vue`] },
  // A cycle between two modules of one page.
  [`${W}components/quota/A.vue`]: { importers: [`${W}views/QuotaView.vue`, `${W}components/quota/B.vue`] },
  [`${W}components/quota/B.vue`]: { importers: [`${W}components/quota/A.vue`] },
};
const graph: ModuleGraph = {
  getModuleInfo: (id) => {
    const e = edges[id];
    return e ? { isEntry: e.isEntry ?? false, importers: e.importers ?? [], dynamicImporters: e.dynamicImporters ?? [] } : null;
  },
};

describe('chunkOf', () => {
  it('puts the first view, libraries and code several chunks share in the app chunk', () => {
    expect(chunkOf(`${W}router/index.ts`, graph)).toBe('app');
    expect(chunkOf(`${W}views/OverviewView.vue`, graph)).toBe('app');
    expect(chunkOf('/r/node_modules/vue-router/dist/vue-router.mjs', graph)).toBe('app');
    expect(chunkOf(`${W}composables/useQuotaFormat.ts`, graph)).toBe('app');
    expect(chunkOf(`${W}components/common/ModalDialog.vue`, graph)).toBe('app');
  });

  it('gives each page its code, and the Sieve pages one chunk', () => {
    expect(chunkOf(`${W}views/QuotaView.vue`, graph)).toBe('page-quota');
    expect(chunkOf(`${W}components/quota/B.vue`, graph)).toBe('page-quota');
    expect(chunkOf(`${W}views/VacationView.vue`, graph)).toBe('page-script');
    expect(chunkOf(`${W}components/settings/SaveBar.vue`, graph)).toBe('page-script');
  });

  it('leaves out of the first view what it imports only lazily, when one page has it anyway', () => {
    expect(chunkOf(`${W}components/security/AlertsPanel.vue`, graph)).toBe('page-quota');
    expect(chunkOf(`${W}components/exits/ExitsList.vue`, graph)).toBe('app');
  });

  it('keeps each language’s words apart, the first view’s together', () => {
    expect(chunkOf(`${W}i18n/locales/el.ts`, graph)).toBe('words-el');
    expect(chunkOf(`${W}i18n/areas/el/overview.ts`, graph)).toBe('words-el');
    expect(chunkOf(`${W}i18n/areas/en/vacation.ts`, graph)).toBe('words-vacation-en');
    expect(chunkOf(`${W}i18n/areas/el/heldErrors.ts`, graph)).toBe('words-held-el');
    expect(chunkOf(`${W}components/filters/messages/el/editor.ts`, graph)).toBe('words-filters-el');
  });
});
