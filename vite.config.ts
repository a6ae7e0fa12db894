import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { chunkOf } from './build/chunks.ts';
import { precompress } from './build/precompress.ts';

// The SPA lives in web/ and is built to dist/web, which the API serves.
export default defineConfig({
  root: 'web',
  base: './',
  plugins: [vue(), precompress()],
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
    // One stylesheet for every page (~5 KB compressed in all): a page then costs one request
    // of code and one of words, not a third for its few rules.
    cssCodeSplit: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: (id, graph) => chunkOf(id, graph), includeDependenciesRecursively: false }],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
