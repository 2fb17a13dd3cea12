import { defineConfig } from 'tsup';

// The `secondrow` command and the scripting entry, ESM only (the package is private and runs on Node 20+).
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
