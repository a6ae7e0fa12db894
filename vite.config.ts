import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The SPA lives in web/ and is built to dist/web, which the API serves.
export default defineConfig({
  root: 'web',
  base: './',
  plugins: [vue()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2020',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
