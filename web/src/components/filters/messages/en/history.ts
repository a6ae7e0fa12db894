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
    // What replaced a version; the parts are joined with spaces or commas.
    change: {
      vacationOn: 'Vacation reply on',
      vacationOff: 'Vacation reply off',
      from: 'from {when}',
      until: 'until {when}',
      zone: '({zone} time)',
      vacationAddresses: 'The vacation reply now answers mail to your new set of addresses',
      spam: {
        off: 'Spam filtering off',
        lenient: 'Spam level: lenient',
        standard: 'Spam level: normal',
        strict: 'Spam level: strict',
        custom: 'Spam level: custom, score {threshold}',
      },
      allowed: '{count} allowed sender | {count} allowed senders',
      blocked: '{count} blocked sender | {count} blocked senders',
      forwardingOff: 'Forwarding off',
      forwardingTo: 'Forwarding to {count} address | Forwarding to {count} addresses',
      copyKept: 'a copy kept here',
      noCopy: 'no copy kept here',
      rules: '{count} filter rule | {count} filter rules',
      custom: '{count} block of your own Sieve | {count} blocks of your own Sieve',
      customDeleted: '{count} block of your own Sieve deleted | {count} blocks of your own Sieve deleted',
      raw: 'The script edited as text',
      restored: 'The version in use until {when} put back',
      takenOver: 'The script “{script}” taken over',
      exitRemoved: '“This wasn’t me”: forwarding to {address} removed',
    },
  },
};

export type FiltersHistoryMessages = typeof en;
export default en;
