import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The consumer package's directory. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds @secondrow/codec and @secondrow/consumer with their own build scripts (tsup), so the tests in
 * this folder run what is published: dist/ through the package's exports map.
 */
export function buildPackages(): void {
  const repo = fileURLToPath(new URL('../../../..', import.meta.url));
  for (const pkg of ['@secondrow/codec', '@secondrow/consumer']) {
    execFileSync('npx', ['-y', 'pnpm@12.4.2', '--filter', pkg, 'build'], { cwd: repo, stdio: 'pipe' });
  }
}

/** Bundles the Lambda (`pnpm bundle`, no zip) into dist-lambda/index.mjs. */
export function bundleLambda(): string {
  const repo = fileURLToPath(new URL('../../../..', import.meta.url));
  execFileSync('npx', ['-y', 'pnpm@12.4.2', '--filter', '@secondrow/consumer', 'bundle', '--no-zip'], {
    cwd: repo,
    stdio: 'pipe',
  });
  return fileURLToPath(new URL('../../dist-lambda/index.mjs', import.meta.url));
}
