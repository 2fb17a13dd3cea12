import { join } from 'node:path';
import { Prng, readRecording, recordingsDir } from '@secondrow/devkit';
import type { Sample } from '../../src/types.js';

/** Samples of one real recording shipped in devkit's `data/accel` (`t_ms,x,y,z`, g), in file order. */
export function loadRecording(name: string): Sample[] {
  return readRecording(join(recordingsDir(), name)).samples;
}

/** Consecutive slices of `size` samples: a phone's batches, not aligned to seconds. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Deterministic pseudo-random numbers in [0, 1) from devkit's seeded {@link Prng}, so failures reproduce. */
export function seededRandom(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

/** A copy of `items` in random order (Fisher-Yates with `random`). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Collects an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
