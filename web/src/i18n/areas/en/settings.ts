// English: the words of the pages of settings kept in the Sieve script (save bar, conflicts, take-over), Overview and Filters included.
// Merged under `settings` by i18n/messages.ts when a page that shows them opens. Format of i18n/format.ts: {name}, "one | many".
const en = {
  save: 'Save',
  saving: 'Saving…',
  saved: 'Your changes are saved.',
  previousKept: 'What this app had saved before the take-over is kept in Filters → History, where you can restore it.',
  unsaved: 'Unsaved changes',
  retry: 'Try again',
  leaveQuestion: 'You have unsaved changes on this page. Leave without saving?',
  foreignTitle: 'Filters set up in another program',
  foreignText: 'Your active filter script is “{name}”, probably set up in another mail program. When you save, you will be asked to let this page take it over. Its rules are kept.',
  handEditedTitle: 'Edited by hand',
  handEditedText: 'This setting was changed outside this page. What you see is what this page understands; saving replaces it.',
  conflictTitle: 'Changed elsewhere',
  conflictText: 'This setting was changed elsewhere (another tab or program) while you were editing. Your changes are not saved yet.',
  conflictReload: 'Show the saved version (drop my changes)',
  conflictOverwrite: 'Save mine anyway (replace the other change)',
  takeOverTitle: 'Another filter script is active',
  takeOverText: 'To save, this page must make its own script the active one. The rules of the other script are copied into it and kept.',
  takeOver: 'Take over and save',
  rejectedDetail: 'What the mail server said',
};

export type Messages = typeof en;
export default en;
