// The app's one entry to vue-i18n: its runtime-only build, which has no message compiler
// (that saves ~6 KB gzipped of the first view). Messages are plain strings, turned into
// message functions by our own small compiler in format.ts. Import useI18n from here,
// never from 'vue-i18n' directly, or the bundle gets a second copy of the library (type-only
// imports from 'vue-i18n' are fine: they vanish at build time).
export { createI18n, useI18n } from 'vue-i18n/dist/vue-i18n.runtime.esm-browser.prod.js';
