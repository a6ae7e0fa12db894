// English: the words of the Spam page.
// Merged under `spam` by i18n/messages.ts when a page that shows them opens. Format of i18n/format.ts: {name}, "one | many".
const en = {
  title: 'Spam',
  description: 'Choose how strictly suspected spam is filtered, and which senders you always or never accept.',
  levelHeading: 'How strict',
  level: {
    off: 'Off',
    lenient: 'Lenient',
    standard: 'Standard',
    strict: 'Strict',
    custom: 'Custom',
  },
  levelHint: {
    off: 'Keep all mail in the Inbox. Suspected spam is still marked in its subject.',
    lenient: 'Move only obvious spam (score {score} or more). Fewer mistakes, more spam in the Inbox.',
    standard: 'Move the mail the department marks as spam (score {score} or more). Recommended.',
    strict: 'Move mail that scores {score} or more. Less spam, but check the folder for real mail now and then.',
    custom: 'Choose the score yourself.',
  },
  threshold: 'Move mail that scores at least',
  thresholdHint: 'A number, for example 5 or 6.5. Lower is stricter. The department’s default is {site}; mail scoring {max} or more never reaches you.',
  summaryOff: 'Suspected spam stays in your Inbox.',
  summaryOn: 'Mail scoring {score} or more goes to the folder {folder}.',
  summaryDiscard: 'Mail scoring {score} or more is deleted without trace.',
  summaryEffective: 'The mail server compares scores in steps, so in practice this starts at {score}.',
  summaryQuarantine: 'Mail scoring {score} or more is held back by the department and never delivered.',
  folderHeading: 'Where suspected spam goes',
  folderHint: {
    SPAM: 'The department’s spam folder. Mail in it is deleted after 14 days.',
    Junk: 'The name some mail programs use. Mail in it stays until you delete it.',
  },
  discardHeading: 'Delete the most obvious spam (advanced)',
  discard: 'Delete very obvious spam instead of moving it',
  discardAbove: 'Delete mail that scores at least',
  discardWarningTitle: 'Careful:',
  discardWarning: 'mail scoring {score} or more will be deleted without trace. It is not kept in any folder, nobody is told, and it cannot be recovered.',
  sendersHeading: 'Senders',
  sendersHint: 'Write one address (name@example.org) or domain (example.org) per line, at most {max} in each list.',
  allow: 'Always accept mail from',
  allowHint: 'Never treated as spam.',
  block: 'Never accept mail from',
  blockHint: 'Always treated as spam.',
  blockAction: 'Mail from blocked senders',
  blockActionFolder: 'Move it to the spam folder',
  blockActionDiscard: 'Delete it without trace',
  blockDiscardWarning: 'Mail from blocked senders will be deleted without trace and cannot be recovered.',
  entryError: '“{entry}”: {error}',
  fieldErrors: {
    out_of_range: 'Choose a score below {max}.',
    discard_below_threshold: 'The score for deleting must be higher than the score for moving to the folder ({threshold}).',
    not_a_number: 'Write a number, for example 6 or 6.5.',
    not_address_or_domain: 'This is not an address or a domain.',
    duplicate: 'This is in the list twice.',
  },
};

export type Messages = typeof en;
export default en;
