import { messageAreas } from './messages';

// The helpdesk page's words and its error codes' texts, in their own chunks: only members
// ever load them, and never with the first view.

export const helpdeskPageMessages = messageAreas<'helpdesk'>('helpdesk', {
  en: { helpdesk: () => import('./areas/en/helpdesk') },
  el: { helpdesk: () => import('./areas/el/helpdesk') },
});

export const helpdeskErrorMessages = messageAreas<'helpdeskErrors'>(
  'helpdesk-errors',
  {
    en: { helpdeskErrors: () => import('./areas/en/helpdeskErrors') },
    el: { helpdeskErrors: () => import('./areas/el/helpdeskErrors') },
  },
  'errors',
);

/** Loads both in the shown language (before the page is created). */
export function loadHelpdeskMessages(): Promise<void> {
  return Promise.all([helpdeskPageMessages.load(['helpdesk']), helpdeskErrorMessages.load(['helpdeskErrors'])]).then(() => undefined);
}
