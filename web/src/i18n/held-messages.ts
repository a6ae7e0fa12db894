import { messageAreas } from './messages';

// The Held mail page's words, in its own chunk rather than the first view's (the site may
// not offer the page at all): the page's area, merged under `held`, and the texts of the
// error codes only the held mail calls answer with, merged into `errors`.

export const heldPageMessages = messageAreas<'held'>('held', {
  en: { held: () => import('./areas/en/held') },
  el: { held: () => import('./areas/el/held') },
});

export const heldErrorMessages = messageAreas<'heldErrors'>(
  'held-errors',
  {
    en: { heldErrors: () => import('./areas/en/heldErrors') },
    el: { heldErrors: () => import('./areas/el/heldErrors') },
  },
  'errors',
);

/** Loads both in the shown language (before the page is created). */
export function loadHeldMessages(): Promise<void> {
  return Promise.all([heldPageMessages.load(['held']), heldErrorMessages.load(['heldErrors'])]).then(() => undefined);
}
