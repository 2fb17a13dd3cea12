import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The page: index.html and src/page, built to dist/ with relative asset paths. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
