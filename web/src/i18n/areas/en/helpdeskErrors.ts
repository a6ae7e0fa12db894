// English: the texts of the error codes only the helpdesk's calls answer with, merged into
// `errors` when the helpdesk page loads (i18n/helpdesk-messages.ts).
const en = {
  helpdesk_not_configured: 'This site has no helpdesk pages.',
  helpdesk_own_account: 'You cannot use the helpdesk on your own account. Use your own settings pages.',
};

export type Messages = typeof en;
export default en;
