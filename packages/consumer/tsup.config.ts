import { defineConfig } from 'tsup';

// The library build (`pnpm build`): the public entry as ESM + CJS with types, dependencies external.
// The deployed Lambda is bundled separately by scripts/bundle.ts (`pnpm bundle`): one ESM file with
// the AWS SDK inside, which a library build must not do.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
