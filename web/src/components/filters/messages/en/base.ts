// English: Words every filters page needs (shared buttons, the tabs).
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  common: {
    cancel: 'Cancel',
    unnamed: '(no name)',
    delete: 'Delete',
  },
  tabs: {
    label: 'Filter pages',
    rules: 'Rules',
    raw: 'Sieve script',
    scripts: 'Scripts',
    history: 'History',
  },
};

export type FiltersBaseMessages = typeof en;
export default en;
