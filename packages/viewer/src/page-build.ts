import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PageBuildError } from './errors.js';

/** The viewer package's folder (holds index.html and vite.config.ts). */
export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Where `vite build` puts the page by default. */
export const DEFAULT_DIST_DIR = join(PACKAGE_DIR, 'dist');

/**
 * Builds the page with Vite into `outDir` (default `dist/`), quietly.
 *
 * @throws {PageBuildError} when Vite fails, with its error as `cause`.
 */
export async function buildPage(outDir: string = DEFAULT_DIST_DIR): Promise<string> {
  const { build } = await import('vite');
  try {
    await build({
      configFile: join(PACKAGE_DIR, 'vite.config.ts'),
      root: PACKAGE_DIR,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } catch (cause) {
    throw new PageBuildError(`vite build of the viewer page failed: ${(cause as Error).message}`, { cause });
  }
  return outDir;
}

/** Latest modification time of the page's sources (index.html and src/page), epoch ms. */
export function pageSourcesMtimeMs(): number {
  let latest = statSync(join(PACKAGE_DIR, 'index.html')).mtimeMs;
  const dir = join(PACKAGE_DIR, 'src', 'page');
  for (const name of readdirSync(dir)) latest = Math.max(latest, statSync(join(dir, name)).mtimeMs);
  return Math.max(latest, statSync(join(PACKAGE_DIR, 'src', 'errors.ts')).mtimeMs);
}

/**
 * `dist/` when it holds a build newer than the page's sources, else a fresh build there.
 *
 * @throws {PageBuildError} as {@link buildPage}.
 */
export async function ensurePageBuilt(
  distDir: string = DEFAULT_DIST_DIR,
): Promise<{ dir: string; built: boolean }> {
  const index = join(distDir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= pageSourcesMtimeMs())
    return { dir: distDir, built: false };
  await buildPage(distDir);
  return { dir: distDir, built: true };
}
