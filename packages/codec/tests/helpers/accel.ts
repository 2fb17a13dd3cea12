import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../../src/index.js';

/** Directory of the shared real recordings (always present in CI). */
export const ACCEL_DIR = fileURLToPath(new URL('../../../../../shared/data/accel/', import.meta.url));

/** Parses `t_ms,x,y,z` CSV text (header and `#` comment lines skipped). */
export function parseAccelCsv(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('t_ms')) continue;
    const [t, x, y, z] = line.split(',').map(Number);
    samples.push({ t: t as number, x: x as number, y: y as number, z: z as number });
  }
  return samples;
}

/** Every recording in {@link ACCEL_DIR}: file name and samples. */
export function loadRecordings(): { name: string; samples: Sample[] }[] {
  return readdirSync(ACCEL_DIR)
    .filter((name) => name.endsWith('.csv'))
    .sort()
    .map((name) => ({ name, samples: parseAccelCsv(readFileSync(`${ACCEL_DIR}${name}`, 'utf8')) }));
}
