import { defineConfig } from 'tsup';

// ESM only (the package is private and runs on Node 20+); types come from the sources. The worker is its
// own entry: local-servers.ts starts it by file name next to itself. The runner CLI keeps its shebang.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'runner-cli': 'src/runner-cli.ts',
    'local-servers-worker': 'src/local-servers-worker.ts',
  },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
