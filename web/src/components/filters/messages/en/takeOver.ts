// English: Taking over another active script (components/filters/TakeOverNotice.vue), on the
// rule list and the scripts page.
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  takeOver: {
    title: 'Another script is active: “{name}”',
    text: 'It was set up elsewhere (another mail program). To manage your filters here, take it over: its rules are copied into this app’s script — the ones this page cannot show as custom Sieve — and that script is made active. The other script stays on the server, unchanged.',
    button: 'Take it over',
    done: 'Taken over: this app’s script is active and holds the other script’s rules.',
    doneKept: 'Taken over: this app’s script is active and holds the other script’s rules. What this app had saved before is kept in History, where you can restore it.',
  },
};

export type FiltersTakeOverMessages = typeof en;
export default en;
