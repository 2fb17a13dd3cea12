import { defineConfig } from 'tsup';

export default defineConfig({
  // The local servers' worker thread is an entry of @secondrow/local, which stays external.
  entry: {
    index: 'src/index.ts',
    'demo-cli': 'src/demo-cli.ts',
  },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
