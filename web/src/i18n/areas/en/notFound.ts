// English: the words of the "page not found" page.
// Merged under `notFound` by i18n/messages.ts when a page that shows them opens. Format of i18n/format.ts: {name}, "one | many".
const en = {
  title: 'Page not found',
  description: 'There is no settings page at this address.',
  back: 'Go to the overview',
};

export type Messages = typeof en;
export default en;
