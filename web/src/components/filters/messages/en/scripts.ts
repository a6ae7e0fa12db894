// English: The scripts page's words (#/filters/scripts).
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  scripts: {
    heading: 'Scripts on the server',
    hint: 'The mail server runs one script, the active one. This app edits its own script; other programs may have left scripts here too.',
    active: 'Active',
    app: 'This app’s script',
    history: 'History',
    historyNote: 'Earlier versions of this app’s script, kept for the History page. Never active.',
    activate: 'Make active',
    activated: '“{name}” is now the active script.',
    rename: 'Rename',
    newName: 'New name',
    renameSave: 'Rename',
    renamed: 'Renamed to “{name}”.',
    deleteTitle: 'Delete this script?',
    deleteText: '“{name}” is deleted from the server. It is not active, so your mail is not affected.',
    deleted: '“{name}” deleted.',
    noneActive: 'No script is active: incoming mail is only kept in your Inbox.',
    empty: 'There are no scripts on the server yet.',
  },
};

export type FiltersScriptsMessages = typeof en;
export default en;
