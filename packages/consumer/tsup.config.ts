import { defineConfig, type Options } from 'tsup';

// ESM output of CommonJS code: esbuild turns `require(...)` of an external package into its `__require`
// shim, which throws "Dynamic require ... is not supported" in an ES module. kpl.ts loads aws-kinesis-agg
// (CommonJS) lazily with `require`, so ESM outputs get a real `require` for the shim to find, as the
// Lambda bundle does (scripts/bundle.ts). CommonJS outputs have Node's own.
const esmRequire: Options['banner'] = ({ format }) =>
  format === 'esm'
    ? {
        js: "import { createRequire as __secondrowCreateRequire } from 'node:module'; const require = __secondrowCreateRequire(import.meta.url);",
      }
    : {};

// The library build (`pnpm build`): the public entries as ESM + CJS with types, dependencies external.
// The deployed Lambda is bundled separately by scripts/bundle.ts (`pnpm bundle`, entry src/lambda.ts): one
// ESM file with the AWS SDK inside, which a library build must not do.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    banner: esmRequire,
  },
  {
    // The replay CLI uses top-level await, so they are ESM only; the shebang comes from the source.
    entry: { 'replay-cli': 'src/replay-cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    banner: esmRequire,
  },
]);
