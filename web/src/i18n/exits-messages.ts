import { messageAreas } from './messages';

// The words of the exits list and the alerts, in their own chunk: they show on the overview
// only when there is something to show, so the first view never carries them.

export const exitsMessages = messageAreas<'exits'>('exits', {
  en: { exits: () => import('./areas/en/exits') },
  el: { exits: () => import('./areas/el/exits') },
});

export const exitsErrorMessages = messageAreas<'exitsErrors'>(
  'exits-errors',
  {
    en: { exitsErrors: () => import('./areas/en/exitsErrors') },
    el: { exitsErrors: () => import('./areas/el/exitsErrors') },
  },
  'errors',
);

/** Loads both in the shown language. */
export function loadExitsMessages(): Promise<void> {
  return Promise.all([exitsMessages.load(['exits']), exitsErrorMessages.load(['exitsErrors'])]).then(() => undefined);
}
