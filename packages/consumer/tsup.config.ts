import { defineConfig } from 'tsup';

// The library build (`pnpm build`): the public entries as ESM + CJS with types, dependencies external.
// The deployed Lambda is bundled separately by scripts/bundle.ts (`pnpm bundle`): one ESM file with
// the AWS SDK inside, which a library build must not do.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', local: 'src/local.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  },
  {
    // The runner CLI uses top-level await, so it is ESM only; the shebang comes from the source.
    entry: { 'runner-cli': 'src/local/runner-cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
