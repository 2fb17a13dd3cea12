import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/** Options of {@link bundleLambda}. */
export interface LambdaBundleOptions {
  /** The package directory (absolute): entry, tsconfig and outputs are relative to it. */
  root: string;
  /** The handler module, relative to `root`, e.g. `src/lambda.ts`; its `handler` export is `index.handler`. */
  entry: string;
  /** Zip file to write, relative to `root` (e.g. `artifacts/secondrow-consumer.zip`); omitted: no zip. */
  zipFile?: string;
  /** Print esbuild's size analysis of the bundle's inputs. */
  analyze?: boolean;
  /** Where the size lines go; default `console.log`. */
  log?: (line: string) => void;
}

/** What {@link bundleLambda} wrote. */
export interface LambdaBundle {
  /** The bundle, absolute path (`<root>/dist-lambda/index.mjs`). */
  file: string;
  /** Bundle size, bytes. */
  bytes: number;
  /** Source map size, bytes. */
  mapBytes: number;
  /** Zip size, bytes, when a zip was written. */
  zipBytes?: number;
}

/**
 * Bundles a Lambda: `entry` and everything it imports, the AWS SDK v3 included (so the deployed versions
 * are the ones the lockfile pins, not the runtime's), into one minified ESM file `dist-lambda/index.mjs`
 * (+ linked source map without sources) for nodejs22.x on arm64, then optionally zips both with fixed
 * timestamps (identical code gives an identical zip, so CDK sees no change). Workspace packages resolve
 * to their sources through the package's `tsconfig.json` paths, so no build of them is needed.
 *
 * esbuild and fflate are loaded when called, so importing the devkit does not load them.
 *
 * @throws esbuild's error when the build fails; a file system error when writing fails.
 */
export async function bundleLambda(options: LambdaBundleOptions): Promise<LambdaBundle> {
  const { root, entry, zipFile, analyze = false, log = console.log } = options;
  const { analyzeMetafile, build } = await import('esbuild');
  const outDir = join(root, 'dist-lambda');
  const outFile = join(outDir, 'index.mjs');
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
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
    tsconfig: 'tsconfig.json',
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __secondrowCreateRequire } from 'node:module'; const require = __secondrowCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });

  const bytes = (await stat(outFile)).size;
  const mapBytes = (await stat(`${outFile}.map`)).size;
  const format = (n: number): string => `${(n / 1024).toFixed(1)} KiB (${n} bytes)`;
  log(`bundle  ${relative(root, outFile)}  ${format(bytes)}`);
  log(`map     ${relative(root, `${outFile}.map`)}  ${format(mapBytes)}`);
  if (analyze) log(await analyzeMetafile(result.metafile, { verbose: false }));
  if (zipFile === undefined) return { file: outFile, bytes, mapBytes };

  const { zipSync } = await import('fflate');
  const mtime = new Date('2020-01-01T00:00:00Z');
  const zipped = zipSync(
    {
      'index.mjs': [await readFile(outFile), { mtime }],
      'index.mjs.map': [await readFile(`${outFile}.map`), { mtime }],
    },
    { level: 9 },
  );
  const zipPath = join(root, zipFile);
  await mkdir(dirname(zipPath), { recursive: true });
  await writeFile(zipPath, zipped);
  log(`zip     ${relative(root, zipPath)}  ${format(zipped.byteLength)}`);
  return { file: outFile, bytes, mapBytes, zipBytes: zipped.byteLength };
}
