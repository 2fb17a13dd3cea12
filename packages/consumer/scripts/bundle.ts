/**
 * Bundles the Lambda: src/lambda.ts and everything it imports, the AWS SDK v3 included (so the
 * deployed versions are the ones the lockfile pins, not the runtime's), into one minified ESM file
 * dist-lambda/index.mjs (+ source map) for nodejs22.x on arm64, then zips both into
 * artifacts/secondrow-consumer.zip and prints the sizes.
 *
 * Usage: pnpm --filter @secondrow/consumer bundle [--no-zip] [--analyze]
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeMetafile, build } from 'esbuild';
import { zipSync } from 'fflate';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist-lambda');
const outFile = join(outDir, 'index.mjs');
const zipFile = join(root, 'artifacts', 'secondrow-consumer.zip');

const { values } = parseArgs({
  options: { 'no-zip': { type: 'boolean' }, analyze: { type: 'boolean' } },
});

await rm(outDir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/lambda.ts'],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  // Stack traces need file and line, not the sources' text: keeps the map (and the zip) small.
  sourcesContent: false,
  metafile: true,
  legalComments: 'none',
  // Prefer ESM entry points of dual packages: smaller output, tree-shaken SDK.
  mainFields: ['module', 'main'],
  // tsconfig paths map @secondrow/codec to its sources, so the bundle needs no codec build.
  tsconfig: 'tsconfig.json',
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __secondrowCreateRequire } from 'node:module'; const require = __secondrowCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

const bundleBytes = (await stat(outFile)).size;
const mapBytes = (await stat(`${outFile}.map`)).size;
const format = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`;
console.log(`bundle  ${relative(root, outFile)}  ${format(bundleBytes)}`);
console.log(`map     ${relative(root, `${outFile}.map`)}  ${format(mapBytes)}`);

if (values.analyze) console.log(await analyzeMetafile(result.metafile, { verbose: false }));

if (!values['no-zip']) {
  // Fixed timestamps keep the zip byte-identical for identical code, so CDK sees no change.
  const mtime = new Date('2020-01-01T00:00:00Z');
  const zipped = zipSync(
    {
      'index.mjs': [await readFile(outFile), { mtime }],
      'index.mjs.map': [await readFile(`${outFile}.map`), { mtime }],
    },
    { level: 9 },
  );
  await mkdir(dirname(zipFile), { recursive: true });
  await writeFile(zipFile, zipped);
  console.log(`zip     ${relative(root, zipFile)}  ${format(zipped.byteLength)}`);
}
