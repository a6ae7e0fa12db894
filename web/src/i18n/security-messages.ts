import { messageAreas } from './messages';

// The Security page's words, in their own chunk rather than the first view's (the budget of
// test/browser/bundle-budget.test.ts): merged under `security` when the page opens.
export const securityPageMessages = messageAreas<'security'>('security', {
  en: { security: () => import('./areas/en/security') },
  el: { security: () => import('./areas/el/security') },
});

export function loadSecurityMessages(): Promise<void> {
  return securityPageMessages.load(['security']);
}
