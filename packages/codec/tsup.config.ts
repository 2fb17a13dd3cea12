import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', dynamodb: 'src/dynamodb.ts' },
  format: ['esm', 'cjs'],
  // Shared code goes to chunks in both formats, CommonJS included (tsup splits only ESM by default):
  // otherwise dist/dynamodb.cjs carries its own copy of the codec, and an error it throws is not an
  // instance of the class a user imports from the main entry.
  splitting: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
