import fc from 'fast-check';
import type { Columns } from './memory-source.js';

/** A value in g on the store's 1 mg grid within ±16 g. */
export const gValue = fc.integer({ min: -16_000, max: 16_000 }).map((v) => v / 1000);

/** Samples with distinct integer times in [0, span), sorted, as columns. */
export function seriesArb(span = 10_000, maxLength = 400): fc.Arbitrary<Columns> {
  return fc
    .uniqueArray(fc.record({ t: fc.integer({ min: 0, max: span - 1 }), x: gValue, y: gValue, z: gValue }), {
      selector: (s) => s.t,
      maxLength,
    })
    .map((samples) => {
      samples.sort((a, b) => a.t - b.t);
      return {
        t: Float64Array.from(samples, (s) => s.t),
        x: Float64Array.from(samples, (s) => s.x),
        y: Float64Array.from(samples, (s) => s.y),
        z: Float64Array.from(samples, (s) => s.z),
      };
    });
}

/** Page sizes a source may cut a read into. */
export const pageSizesArb = fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 });

/** A range `[fromMs, toMs)` inside `[0, span]`, non-empty. */
export function rangeArb(span = 10_000): fc.Arbitrary<{ fromMs: number; toMs: number }> {
  return fc
    .tuple(fc.integer({ min: 0, max: span }), fc.integer({ min: 0, max: span }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ fromMs: Math.min(a, b), toMs: Math.max(a, b) }));
}

/** Samples of `cols` with `fromMs <= t < toMs`, as plain arrays. */
export function inRange(cols: Columns, fromMs: number, toMs: number) {
  const keep: number[] = [];
  for (let i = 0; i < cols.t.length; i++) {
    const t = cols.t[i] as number;
    if (t >= fromMs && t < toMs) keep.push(i);
  }
  return {
    t: keep.map((i) => cols.t[i] as number),
    x: keep.map((i) => cols.x[i] as number),
    y: keep.map((i) => cols.y[i] as number),
    z: keep.map((i) => cols.z[i] as number),
  };
}
