// English: the texts of the error codes only the alerts answer with, merged into `errors`
// when the alerts load (i18n/exits-messages.ts), to keep them out of the first view's core.
const en = {
  alert_not_found: 'This alert no longer exists. Reload the page to see the current ones.',
};

export type Messages = typeof en;
export default en;
