import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker is its own entry: local-servers.ts starts it by file name next to itself.
  entry: {
    index: 'src/index.ts',
    'demo-cli': 'src/demo-cli.ts',
    'local-servers-worker': 'src/local-servers-worker.ts',
  },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
