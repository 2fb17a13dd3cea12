import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The shared real recordings (`shared/data/accel`, next to the repository). Tests may read them; shipped code
 * must not. Both depths are tried: the folder sits beside the repository root here, inside it in some checkouts.
 */
export function recordingsDir(): string {
  const candidates = ['../../../../../shared/data/accel/', '../../../../shared/data/accel/'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`real recordings not found; looked in ${candidates.join(', ')}`);
  return found;
}
