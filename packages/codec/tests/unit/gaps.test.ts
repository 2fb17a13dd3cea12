import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countMissing, gapRanges, InvalidOptionError, medianIntervalMs } from '../../src/index.js';
import { isMissingHead } from '../../src/store/missing-head.js';
import type { Row, Sample } from '../../src/types.js';
import { fcParams } from '../helpers/fc.js';

const START = 1_700_000_000_000;

function rowOf(offsets: number[]): Row {
  const samples: Sample[] = offsets.map((o) => ({ t: START + o, x: 0, y: 0, z: 1 }));
  return { startMs: START, windowSeconds: 1, resolution: 0.001, samples, duplicates: 0, conflicts: 0 };
}

const every20 = (from: number, to: number): number[] =>
  Array.from({ length: Math.ceil((to - from) / 20) }, (_, i) => from + i * 20);

/** A regular series (start, interval, length) and a set of interior indices to remove. */
const regularWithHoles = fc
  .record({
    startMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    intervalMs: fc.integer({ min: 1, max: 1000 }),
    n: fc.integer({ min: 8, max: 400 }),
  })
  .chain(({ startMs, intervalMs, n }) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: n - 2 }), { maxLength: Math.floor((n - 2) / 4) })
      .map((removed) => {
        const gone = new Set(removed);
        const times = Array.from({ length: n }, (_, i) => startMs + i * intervalMs).filter(
          (_, i) => !gone.has(i),
        );
        return { startMs, intervalMs, n, k: gone.size, times };
      }),
  );

describe('medianIntervalMs()', () => {
  it('is the median interval, so one long gap does not move it', () => {
    expect(medianIntervalMs([0, 20, 41, 60, 300, 320])).toBe(20);
    expect(medianIntervalMs([0, 10, 30])).toBe(15);
  });

  it('is undefined without two distinct times', () => {
    expect(medianIntervalMs([5])).toBeUndefined();
    expect(medianIntervalMs([5, 5])).toBeUndefined();
    expect(medianIntervalMs(new Float64Array(0))).toBeUndefined();
  });
});

describe('countMissing()', () => {
  const window = { startMs: START, endMs: START + 1000 };
  const times = (offsets: number[]) => offsets.map((o) => START + o);

  it('counts nothing missing in a full 50 Hz second with jitter', () => {
    const jittered = every20(0, 1000).map((o, i) => o + (i % 3 === 0 ? 3 : 0));
    expect(countMissing(times(jittered), window)).toBe(0);
  });

  it('counts missing slots inside, before and after the samples', () => {
    const offsets = every20(100, 900).filter((o) => o !== 400 && o !== 420);
    // 5 slots before 100, 2 inside, 5 after 880 (900..980).
    expect(countMissing(times(offsets), window)).toBe(12);
  });

  it('reports 0 when the rate cannot be measured, and the whole span with a given interval', () => {
    expect(countMissing(times([500]), window)).toBe(0);
    expect(countMissing([], { ...window, intervalMs: 20 })).toBe(50);
  });

  it('rejects a non-positive intervalMs', () => {
    expect(() => countMissing([1, 2], { ...window, intervalMs: 0 })).toThrow(InvalidOptionError);
  });

  it('law: a regular series with k interior points removed misses exactly k', () => {
    fc.assert(
      fc.property(regularWithHoles, ({ startMs, intervalMs, n, k, times }) => {
        const span = { startMs, endMs: startMs + n * intervalMs };
        expect(countMissing(times, { ...span, intervalMs })).toBe(k);
        // Fewer than a quarter removed: the median interval is still the nominal one.
        expect(countMissing(times, span)).toBe(k);
      }),
      fcParams,
    );
  });
});

describe('gapRanges()', () => {
  it('reports holes longer than 3 intervals by default, with edges when asked', () => {
    expect(gapRanges([0, 20, 40, 200, 220])).toEqual([[60, 200]]);
    expect(gapRanges([0, 20, 40, 100, 120])).toEqual([]); // 60 ms = 3 intervals: not a hole
    expect(gapRanges([0, 20, 40, 100, 120], { minPeriods: 2 })).toEqual([[60, 100]]);
    expect(gapRanges([100, 120, 140], { fromMs: 0, toMs: 300 })).toEqual([
      [0, 100],
      [160, 300],
    ]);
    expect(gapRanges([], { fromMs: 0, toMs: 300 })).toEqual([[0, 300]]);
    expect(gapRanges([5])).toEqual([]);
  });

  it('rejects a minPeriods below 1', () => {
    expect(() => gapRanges([1, 2], { minPeriods: 0.5 })).toThrow(InvalidOptionError);
  });

  it('law: ranges are ascending, disjoint, inside [fromMs, toMs) and never contain a sample', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.integer({ min: 0, max: 100_000 }), { maxLength: 200 })
          .map((a) => a.sort((x, y) => x - y)),
        fc.integer({ min: 1, max: 5000 }),
        fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
        fc.option(fc.double({ min: 1, max: 10, noNaN: true }), { nil: undefined }),
        (times, pad, intervalMs, minPeriods) => {
          const fromMs = (times[0] ?? 0) - pad;
          const toMs = (times.at(-1) ?? 0) + pad;
          const ranges = gapRanges(times, {
            fromMs,
            toMs,
            ...(intervalMs === undefined ? {} : { intervalMs }),
            ...(minPeriods === undefined ? {} : { minPeriods }),
          });
          let previousEnd = fromMs;
          for (const [start, end] of ranges) {
            expect(start).toBeLessThan(end);
            expect(start).toBeGreaterThanOrEqual(previousEnd);
            expect(end).toBeLessThanOrEqual(toMs);
            expect(times.some((t) => t >= start && t < end)).toBe(false);
            previousEnd = end;
          }
        },
      ),
      fcParams,
    );
  });

  it('law: every removed interior run longer than minPeriods intervals shows up as one hole', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 5, max: 50 }),
        fc.integer({ min: 3, max: 60 }),
        (intervalMs, at, length) => {
          const all = Array.from({ length: 200 }, (_, i) => i * intervalMs);
          const times = all.filter((_, i) => i < at || i >= at + length);
          const expected = [[at * intervalMs, (at + length) * intervalMs]];
          expect(gapRanges(times, { intervalMs })).toEqual(expected);
        },
      ),
      fcParams,
    );
  });
});

describe('isMissingHead()', () => {
  it('is true for the second half of a split second only', () => {
    expect(isMissingHead(rowOf(every20(500, 1000)))).toBe(true);
    expect(isMissingHead(rowOf(every20(10, 500)))).toBe(false);
    expect(isMissingHead(rowOf(every20(0, 1000)))).toBe(false);
  });
});
