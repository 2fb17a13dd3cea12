import type { Row, Sample } from '../../src/index.js';

/** A regular `rateHz` stream of `count` samples from `startMs`, with smooth values on the 1 mg grid. */
export function regularSamples(startMs: number, rateHz: number, count: number): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    samples.push({
      t: startMs + Math.floor((i * 1000) / rateHz),
      x: Math.round(Math.sin(i / 7) * 500) / 1000,
      y: Math.round(Math.cos(i / 5) * 300) / 1000,
      z: 1 + Math.round(Math.sin(i / 11) * 100) / 1000,
    });
  }
  return samples;
}

/** A row with the given samples and default window (1 s) and resolution (1 mg). */
export function rowOf(
  startMs: number,
  samples: Sample[],
  counts: Partial<Pick<Row, 'duplicates' | 'conflicts'>> = {},
): Row {
  return {
    startMs,
    windowSeconds: 1,
    resolution: 0.001,
    samples,
    duplicates: counts.duplicates ?? 0,
    conflicts: counts.conflicts ?? 0,
  };
}
