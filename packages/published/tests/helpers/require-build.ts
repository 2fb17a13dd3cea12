import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Setup file of the `published` project: fails every test file at once, with the command to run,
 * when a file a published package's `exports` map points to has not been built.
 */
const require = createRequire(import.meta.url);
const missing: string[] = [];

for (const name of ['@secondrow/codec', '@secondrow/consumer', '@secondrow/query']) {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: unknown };
  for (const target of exportTargets(manifest.exports)) {
    if (target.includes('*')) continue;
    const file = join(dirname(manifestPath), target);
    if (!existsSync(file)) missing.push(`${name}: ${target}`);
  }
}

if (missing.length > 0) {
  throw new Error(
    `The published packages are not built (missing ${missing.join(', ')}): run pnpm build first ` +
      '(the root `pnpm test` does it).',
  );
}

function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(exportTargets);
}
