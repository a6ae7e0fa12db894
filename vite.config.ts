import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

/**
 * vue-i18n imports Vue as `import * as Vue from 'vue'`, which keeps every Vue export in the
 * bundle (~17 KB gzipped of the 80 KB first-view budget). Hand it a module that re-exports
 * only the names it uses. If a vue-i18n upgrade uses another name, the build fails loudly
 * ("… is not exported by …"): add the name here.
 */
function vueI18nNamedVue(): Plugin {
  const id = '\0vue-for-vue-i18n';
  const used = [
    'createVNode', 'Text', 'computed', 'watch', 'ref', 'shallowRef', 'Fragment', 'defineComponent', 'h',
    'getCurrentScope', 'onScopeDispose', 'effectScope', 'inject', 'onMounted', 'onUnmounted', 'isRef', 'getCurrentInstance',
  ];
  return {
    name: 'vue-i18n-named-vue',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'vue' && importer?.includes('/node_modules/vue-i18n/')) return id;
      return null;
    },
    load(loaded) {
      return loaded === id ? `export { ${used.join(', ')} } from 'vue';` : null;
    },
  };
}

// The SPA lives in web/ and is built to dist/web, which the API serves.
export default defineConfig({
  root: 'web',
  base: './',
  plugins: [vue(), vueI18nNamedVue()],
  // Every component is <script setup> (composition API): Vue's Options API support (data,
  // methods, mixins, …) is dead weight in the first view (~3 KB gzipped).
  define: { __VUE_OPTIONS_API__: 'false' },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Safari 15.4+, Chrome/Edge 94+, Firefox 93+: smaller output than es2020 (2026's phones).
    target: 'es2022',
    // Browsers without <link rel=modulepreload> (Safari before 17) still load every chunk, only
    // less in parallel; the polyfill would cost every first view ~0.4 KB gzipped.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              // FiltersView and what it imports are loaded by every #/filters page, always
              // together, but as the sub-pages share some of them the automatic splitting
              // made four small chunks of them: each costs a request and compresses worse
              // alone (measured: ~0.4 KB gzipped less on each directly opened filters page).
              // Only these filters-only modules: their shared dependencies (useScriptSetting,
              // SaveBar, …) stay in the chunks the other settings pages load too.
              name: 'filters',
              test: /[\\/]web[\\/]src[\\/](views[\\/]FiltersView\.vue|components[\\/]filters[\\/]FiltersTabs\.vue|composables[\\/](useFilters|useFiltersFolders|useFiltersMessages)\.ts)/,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
