// English: Rules in plain words ("From contains “x” → move to Work"): the list, the editor, the tester.
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  summary: {
    always: 'Every message',
    and: ' and ',
    or: ' or ',
    not: 'not ({text})',
    size: 'Size {op} {size}',
    header: 'Header “{name}”',
    envelope: {
      from: 'Envelope sender',
      to: 'Envelope recipient',
    },
    date: 'Today’s date {op} {value}',
    dateOp: { ge: '≥', le: '≤', gt: '>', lt: '<', eq: '=' },
    move: 'move to {folder}',
    copy: 'copy to {folder}',
    read: 'mark as read',
    flag: 'flag',
    flags: 'add flags {flags}',
    setFlags: 'replace all flags with {flags}',
    removeFlags: 'remove flags {flags}',
    redirect: 'forward to {address} (no copy kept)',
    redirectCopy: 'forward a copy to {address}',
    discard: 'delete',
    reject: 'refuse',
    keep: 'keep in Inbox',
    fold: {
      folded: '{text} (any case, accents or form)',
      exactAccents: '{text} (any case, accents as typed)',
      exact: '{text} (exactly as typed)',
    },
    ownFlags: '{action}, marked {flags}',
    ownFlagsCopy: '{action}, marked {flags} (this copy only)',
    ownNoFlags: '{action}, without flags',
    flagWord: { seen: 'read', flagged: 'flagged', and: ' and ' },
    markScope: {
      both: '{action}: the message kept in Inbox and the copies filed after it',
      inbox: '{action}: the message kept in Inbox',
      later: '{action}: the copies filed after it',
      none: '{action}: only what later rules store',
    },
    vacation: 'automatic reply',
    stop: 'stop',
  },
  field: {
    from: 'From',
    'to-or-cc': 'To or Cc',
    'from-header': 'From (name and address)',
    'to-or-cc-header': 'To or Cc (names and addresses)',
    subject: 'Subject',
    'list-id': 'List-Id',
    body: 'Message text',
  },
  op: {
    contains: 'contains',
    is: 'is',
    starts: 'starts with',
    ends: 'ends with',
    matches: 'matches the wildcard',
    regex: 'matches the regex',
  },
  opNot: {
    contains: 'does not contain',
    is: 'is not',
    starts: 'does not start with',
    ends: 'does not end with',
    matches: 'does not match the wildcard',
    regex: 'does not match the regex',
  },
  size: {
    over: 'is over',
    under: 'is under',
  },
};

export type FiltersSummaryMessages = typeof en;
export default en;
