// English: The rule tester's words (try a rule on stored mail, apply it): loaded when it is opened.
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  test: {
    found: '{count} of {examined} recent Inbox messages match. | {count} of {examined} recent Inbox messages match.',
    methodSieve: 'Checked by the mail server with this rule itself, exactly as on delivery.',
    methodSearch: 'Checked by a search on the mail server: close to, but not exactly, what the rule does on delivery.',
    unchecked: 'These conditions could not be checked, so more messages are listed than the rule will match: {list}',
    tableLabel: 'Matching messages',
    from: 'From',
    subject: 'Subject',
    date: 'Date',
    noSubject: '(no subject)',
    confirmTitle: 'Apply the rule to existing mail?',
    confirmText: '{count} message in your Inbox matches. The rule’s actions are done to it now. | {count} messages in your Inbox match. The rule’s actions are done to them now.',
    confirm: 'Apply to {count} message | Apply to {count} messages',
    progress: 'Applying: {done} of {total} messages…',
    progressLabel: 'Progress',
    applied: 'Done: the rule was applied to {done} of {total} messages.',
    nothingToApply: 'No message in your Inbox matches: nothing to do.',
  },
};

export type FiltersTestMessages = typeof en;
export default en;
