import { packRows, type Row, type RowSteps, type Sample } from '../../src/index.js';
import { quantize } from '../../src/quantize.js';

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

/**
 * The one-second row of 50 samples the garbage properties mutate: a smooth signal at 50 Hz, 1 mg, on a regular
 * clock (a time section of one offset) or, with `jitter`, one 0–6 ms late per sample (Rice-coded intervals).
 */
export function smoothRow(jitter = false): Row {
  return packRows(
    Array.from({ length: 50 }, (_, i) => ({
      t: 1_700_000_000_000 + i * 20 + (jitter ? (i * i) % 7 : 0),
      x: Math.sin(i) / 3,
      y: 0.01 * i,
      z: 1,
    })),
  )[0] as Row;
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

/** The integer columns of `row` (time offsets in ms, values in steps of its resolution), as `encodeRowSteps` takes them. */
export function stepsOf(row: Row): RowSteps {
  const q = (v: number) => quantize(v, row.resolution);
  return {
    startMs: row.startMs,
    windowSeconds: row.windowSeconds,
    resolutionMicroG: Math.round(row.resolution * 1e6),
    count: row.samples.length,
    duplicates: row.duplicates,
    conflicts: row.conflicts,
    offsets: Int32Array.from(row.samples, (s) => s.t - row.startMs),
    x: Int32Array.from(row.samples, (s) => q(s.x)),
    y: Int32Array.from(row.samples, (s) => q(s.y)),
    z: Int32Array.from(row.samples, (s) => q(s.z)),
  };
}
