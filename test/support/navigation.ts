import type { Frame, Page } from 'playwright-core';

/**
 * Shows the app's list of sections where it sits behind the Menu button (a phone, or inside
 * Roundcube at any width); on a wide screen the sidebar shows it already and this does nothing.
 * Call before finding or following a link of the main navigation.
 */
export async function showSections(scope: Page | Frame): Promise<void> {
  // isVisible() does not wait: on a page still rendering it would say "no menu" and move on.
  await scope.locator('nav.app-nav').waitFor();
  const toggle = scope.locator('.app-nav__toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}
