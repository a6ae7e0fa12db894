/// <reference types="vite/client" />

// The runtime-only production build of vue-i18n has no .d.ts of its own; its API is the
// package's (see src/i18n/vue-i18n.ts for why the app uses it).
declare module 'vue-i18n/dist/vue-i18n.runtime.esm-browser.prod.js' {
  export * from 'vue-i18n';
}
