// English: The raw Sieve page's words (#/filters/raw).
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  raw: {
    heading: 'Sieve script',
    label: 'Sieve script',
    warningTitle: 'For advanced users',
    warning: 'This is your whole filter script “{name}” as Sieve. The server checks it as you type and when you save. Parts this app writes (vacation reply, spam, forwarding) that you change here become “hand-edited”: their pages then show that your Sieve differs from their settings.',
    checking: 'Checking…',
    checkOk: 'The mail server accepts this script.',
    checkErrors: 'The mail server found {count} problem. | The mail server found {count} problems.',
    checkUnavailable: 'The script could not be checked just now; it is checked again when you save.',
    problemsLabel: 'Problems found by the mail server',
    warningsLabel: 'Warnings from the mail server',
    line: 'Line {line}:',
    lineColumn: 'Line {line}, column {column}:',
    refusedTitle: 'The mail server did not accept this script. Nothing was saved.',
    refusedAt: 'The mail server did not accept this script: see line {line}. Nothing was saved.',
    refusedFix: 'Correct what it found and save again. Its own words, in English:',
    tooLarge: 'The script is too large for the mail server. Make it shorter (remove rules you no longer need) and save again.',
    empty: 'An empty script is not saved: it would turn off all your filters and the spam filing. To remove your rules, delete them on the Rules page.',
    unreadable: 'Saved. The rules page cannot show this script as rules; keep editing it here.',
    nowHandEdited: 'Saved. These parts now differ from their settings (hand-edited): {sections}.',
    removed: 'Saved. These parts were removed: {sections}.',
    section: {
      'allow-block': 'allowed and blocked senders',
      spam: 'spam',
      forwarding: 'forwarding',
      vacation: 'vacation reply',
    },
  },
};

export type FiltersRawMessages = typeof en;
export default en;
