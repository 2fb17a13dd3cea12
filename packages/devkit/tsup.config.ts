import { defineConfig } from 'tsup';

// ESM only (the package is private and runs on Node 20+); types come from the sources. data/ sits one level
// up from both src/ and dist/, so recordingsDir() finds it from either.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
