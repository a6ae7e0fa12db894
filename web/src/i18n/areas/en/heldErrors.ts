// English: the texts of the error codes only the held mail calls answer with. They load
// with the Held mail page, merged into `errors` (i18n/messages.ts), to keep them out of the
// first view's core.
const en = {
  quarantine_not_configured: 'This site does not keep held mail that you can see here.',
  digests_not_configured: 'This site does not send digests of held mail.',
  quarantine_unavailable: 'The spam and virus filter’s store of held mail is not answering right now. Nothing was changed; your other settings work as usual. Please try again in a few minutes.',
  already_released: 'This message was already released (or deleted). It is never delivered twice.',
  already_requested: 'You have already asked for this message to be released. The helpdesk will decide.',
  release_failed: 'The filter could not deliver this message right now. It is still held; please try again later.',
};

export type Messages = typeof en;
export default en;
