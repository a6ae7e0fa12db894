// English: The history page's words (#/filters/history).
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  history: {
    heading: 'Earlier versions',
    hint: 'The server keeps the last 10 versions of your script. Putting one back replaces the current script (which is kept here in turn).',
    empty: 'No earlier versions yet: they appear here after your first change.',
    before: 'Then replaced by: {summary}',
    until: 'In use until {when}',
    show: 'Show',
    restore: 'Put this version back',
    close: 'Close',
    previewHeading: 'The version in use until {when}',
    previewLabel: 'Sieve of this version',
    confirmTitle: 'Put this version back?',
    confirmText: 'Your current script is replaced by this version, exactly as it was. The current one is kept in this history, so you can come back to it.',
    restored: 'The version in use until {when} is back.',
  },
};

export type FiltersHistoryMessages = typeof en;
export default en;
