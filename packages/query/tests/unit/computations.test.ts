import { gapRanges } from '@secondrow/codec';
import { describe, expect, it } from 'vitest';
import {
  bucketLayout,
  EnvelopeBuilder,
  GapFinder,
  InvalidOptionError,
  MAX_POINTS_LIMIT,
  QualityCounter,
} from '../../src/index.js';

const f64 = (...values: number[]): Float64Array => Float64Array.from(values);

describe('bucketLayout', () => {
  it('uses whole-ms buckets, at most maxPoints of them, covering the range', () => {
    expect(bucketLayout(0, 86_400_000, 1600)).toEqual({ bucketMs: 54_000, buckets: 1600 });
    expect(bucketLayout(0, 1000, 3)).toEqual({ bucketMs: 334, buckets: 3 });
    expect(bucketLayout(5, 10, 1600)).toEqual({ bucketMs: 1, buckets: 5 });
  });

  it('rejects an empty range and maxPoints outside [1, 11,000]', () => {
    expect(() => bucketLayout(10, 10, 5)).toThrow(InvalidOptionError);
    expect(() => bucketLayout(0, 10, 0)).toThrow(expect.objectContaining({ option: 'maxPoints' }));
    expect(() => bucketLayout(0, 10, MAX_POINTS_LIMIT + 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => bucketLayout(0, 10, 1.5)).toThrow(InvalidOptionError);
  });
});

describe('EnvelopeBuilder', () => {
  it('keeps min and max of each axis and of the magnitude per bucket, and NaN in empty buckets', () => {
    const b = new EnvelopeBuilder(0, 300, 3);
    b.add(f64(0, 50, 250), f64(3, -1, 0), f64(4, 2, 0), f64(0, 2, -2), 0, 3);
    const env = b.result();
    expect(env.bucketMs).toBe(100);
    expect(Array.from(env.count)).toEqual([2, 0, 1]);
    expect(Array.from(env.xMin)).toEqual([-1, Number.NaN, 0]);
    expect(Array.from(env.xMax)).toEqual([3, Number.NaN, 0]);
    expect(Array.from(env.yMin)).toEqual([2, Number.NaN, 0]);
    expect(Array.from(env.zMax)).toEqual([2, Number.NaN, -2]);
    expect(Array.from(env.magMin)).toEqual([3, Number.NaN, 2]);
    expect(Array.from(env.magMax)).toEqual([5, Number.NaN, 2]);
  });

  it('adds only the given slice and refuses a sample outside the range', () => {
    const b = new EnvelopeBuilder(100, 200, 1);
    b.add(f64(50, 150, 250), f64(1, 2, 3), f64(0, 0, 0), f64(0, 0, 0), 1, 2);
    expect(Array.from(b.result().count)).toEqual([1]);
    expect(() => b.add(f64(200), f64(0), f64(0), f64(0), 0, 1)).toThrow(RangeError);
  });
});

describe('GapFinder', () => {
  it('gives the codec gapRanges answer across chunk boundaries, leading and trailing silence included', () => {
    const times = f64(100, 120, 140, 160, 300, 320, 340, 360, 380, 400, 700);
    const expected = gapRanges(times, { fromMs: 0, toMs: 1000 });
    expect(expected).toEqual([
      [0, 100],
      [180, 300],
      [420, 700],
      [720, 1000],
    ]);
    for (const cut of [0, 1, 4, 5, 10, 11]) {
      const finder = new GapFinder({ fromMs: 0, toMs: 1000 });
      finder.add(times, 0, cut);
      finder.add(times, cut, times.length);
      expect(finder.finish()).toEqual({ ranges: expected, truncated: false, intervalMs: 20 });
    }
  });

  it('reports the whole range when there is no sample, and nothing measurable for one sample', () => {
    expect(new GapFinder({ fromMs: 0, toMs: 50 }).finish().ranges).toEqual([[0, 50]]);
    const one = new GapFinder({ fromMs: 0, toMs: 5000 });
    one.add(f64(2500), 0, 1);
    expect(one.finish()).toEqual({ ranges: [], truncated: false, intervalMs: undefined });
    const known = new GapFinder({ fromMs: 0, toMs: 5000, intervalMs: 20 });
    known.add(f64(2500), 0, 1);
    expect(known.finish().ranges).toEqual([
      [0, 2500],
      [2520, 5000],
    ]);
  });

  it('estimates the interval from the first 1,025 times only, then streams', () => {
    // 2,000 samples at 10 ms, then 2,000 at 40 ms: the estimate stays 10 ms, so the slow part is one hole after another.
    const t = new Float64Array(4000);
    for (let i = 0; i < 2000; i++) t[i] = i * 10;
    for (let i = 0; i < 2000; i++) t[2000 + i] = 20_000 + i * 40;
    const finder = new GapFinder({ fromMs: 0, toMs: 100_000 });
    finder.add(t, 0, t.length);
    const list = finder.finish();
    expect(list.intervalMs).toBe(10);
    expect(list.ranges[0]).toEqual([20_010, 20_040]);
    // 1,999 holes between the slow samples, and the trailing one after 99,960.
    expect(list.ranges).toHaveLength(2000);
    expect(list.ranges.at(-1)).toEqual([99_970, 100_000]);
  });

  it('keeps at most maxGaps holes and says it truncated', () => {
    const finder = new GapFinder({ fromMs: 0, toMs: 1000, intervalMs: 10, maxGaps: 2 });
    finder.add(f64(100, 200, 300, 400), 0, 4);
    const list = finder.finish();
    expect(list.ranges).toEqual([
      [0, 100],
      [110, 200],
    ]);
    expect(list.truncated).toBe(true);
  });

  it('rejects bad options when constructed', () => {
    expect(() => new GapFinder({ fromMs: 0, toMs: 1, intervalMs: 0 })).toThrow(InvalidOptionError);
    expect(() => new GapFinder({ fromMs: 0, toMs: 1, minPeriods: 0.5 })).toThrow(InvalidOptionError);
    expect(() => new GapFinder({ fromMs: 0, toMs: 1, maxGaps: 0 })).toThrow(InvalidOptionError);
    expect(() => new GapFinder({ fromMs: Number.NaN, toMs: 1 })).toThrow(InvalidOptionError);
  });
});

describe('QualityCounter', () => {
  it('counts rows, seconds with data, missing seconds and samples, and leaves unmeasured fields null', () => {
    const q = new QualityCounter(1500, 5000);
    q.add(f64(1500, 1999, 2000), 0, 3);
    q.add(f64(4200, 4300), 0, 2);
    expect(q.result()).toEqual({
      rows: 3,
      secondsWithData: 3,
      // Seconds 1, 2, 3, 4 are touched; 3 is empty.
      missingSeconds: 1,
      samples: 5,
      duplicates: null,
      conflicts: null,
      latenessMs: null,
      arrivalToWriteMs: null,
    });
  });

  it('counts rows by the store window', () => {
    const q = new QualityCounter(0, 10_000, 4);
    q.add(f64(0, 1000, 3999, 4000, 9000), 0, 5);
    expect(q.result()).toMatchObject({ rows: 3, secondsWithData: 5, missingSeconds: 5 });
  });
});
