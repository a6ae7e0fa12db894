// English: the words of the Forwarding page.
// Merged under `forwarding` by i18n/messages.ts when a page that shows them opens. Format of i18n/format.ts: {name}, "one | many".
const en = {
  title: 'Forwarding',
  description: 'Send a copy of your incoming mail to another address.',
  noticeTitle: 'You will be told of every change',
  noticeText: 'Each time forwarding is changed, a notice is put in your Inbox. Stolen accounts are often used to forward mail away quietly; the notice lets you see it.',
  heading: 'Forward incoming mail',
  enabled: 'Forward my incoming mail',
  addressHint: 'Up to {max} addresses.',
  spamNotForwarded: 'Mail filed as spam is not forwarded.',
  address: 'Forward to (address {n})',
  remove: 'Remove',
  add: 'Add another address',
  keepCopy: 'Keep a copy in my mailbox',
  keepCopyHint: 'Recommended: you can still read your mail here if the other address fails.',
  noCopyTitle: 'Mail will not stay here:',
  noCopyText: 'it is only sent on, and your mailbox here stays empty. If the other address refuses it, the mail may be lost.',
  summaryOff: 'Forwarding is off: your mail stays here.',
  summaryCopy: 'Your mail is forwarded, and a copy stays in your mailbox.',
  summaryNoCopy: 'Your mail is forwarded, and no copy stays in your mailbox.',
  summaryStillFiled: 'Mail your filters file into a folder ({folders}) still stays there.',
  fieldErrors: {
    invalid: 'This is not an email address. Write it like name@example.org.',
    own_address: 'This is one of your own addresses. Forward to another address.',
    duplicate: 'This address is in the list twice.',
    too_many: 'You can forward to at most {max} addresses.',
  },
};

export type Messages = typeof en;
export default en;
