// Embedded mode: the app inside Roundcube's Settings (deploy/roundcube/emailng_settings).
// The single sign-on redirect lands on `#/?embedded=1&lang=…&theme=dark|light`; from then on
// the tab remembers it (sessionStorage), because in-app navigation drops the query. It sets
// classes on <html>: `embedded` (main.css hides the app's own header there) and
// `theme-dark` / `theme-light` (Roundcube's Elastic mode wins over the browser's preference).
// The plugin posts `{ type: 'emailng-settings:theme', theme }` when the user switches mode.

import { embeddedFromUrl, themeFromMessage, toTheme, type EmbeddedState, type Theme } from './embedded';

const STORAGE_KEY = 'emailng.embedded';

function readSaved(): EmbeddedState | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as { embedded?: unknown; theme?: unknown };
    return parsed.embedded === true ? { embedded: true, theme: toTheme(parsed.theme) } : null;
  } catch {
    return null;
  }
}

function save(state: EmbeddedState): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // storage disabled: the mode lasts until the next reload
  }
}

function applyTheme(theme: Theme | null): void {
  const root = document.documentElement.classList;
  root.toggle('theme-dark', theme === 'dark');
  root.toggle('theme-light', theme === 'light');
}

/** Reads and applies embedded mode once at start-up; a no-op outside a frame. */
export function initEmbedded(): EmbeddedState {
  const framed = window.parent !== window;
  const state = (framed && (embeddedFromUrl(location.search, location.hash) ?? readSaved())) || { embedded: false, theme: null };
  if (!state.embedded) return state;
  save(state);
  document.documentElement.classList.add('embedded');
  applyTheme(state.theme);
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent) return;
    const theme = themeFromMessage(event.data);
    if (!theme) return;
    state.theme = theme;
    save(state);
    applyTheme(theme);
  });
  return state;
}
