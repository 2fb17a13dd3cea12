import { defineConfig } from 'tsup';

// The CLI and the scripting entry, ESM only (the bench is private and runs on Node 20+). `@secondrow/codec`
// stays external, so the built bench runs against the codec's own build, as a customer's code would.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
