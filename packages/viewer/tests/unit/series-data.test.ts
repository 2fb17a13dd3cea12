import type { EnvelopeBody, RawBody } from '@secondrow/query';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartData } from '../../src/page/series-data.js';

const base = {
  version: 2 as const,
  deviceId: 'w',
  requestedMode: 'auto' as const,
  gapsTruncated: false,
  intervalMs: 20,
  quality: {
    rows: 1,
    secondsWithData: 1,
    missingSeconds: 0,
    samples: 0,
    duplicates: null,
    conflicts: null,
    latenessMs: null,
    arrivalToWriteMs: null,
  },
  consumedReadUnits: 1,
};

function raw(t: number[], gaps: Array<[number, number]>): RawBody {
  return {
    ...base,
    mode: 'raw',
    from: 0,
    to: 10_000,
    gaps,
    t,
    x: t.map(() => 0.6),
    y: t.map(() => 0),
    z: t.map(() => 0.8),
  };
}

describe('chartData', () => {
  it('maps raw samples to lines with the magnitude, broken by a null at each gap between samples', () => {
    const data = chartData(raw([0, 20, 40, 200, 220], [[60, 200]]));
    expect(data.mode).toBe('raw');
    expect(data.panes.x).toEqual([
      [0, 20, 40, 60, 200, 220],
      [0.6, 0.6, 0.6, null, 0.6, 0.6],
    ]);
    expect(data.panes.mag[1]).toEqual(
      [1, 1, 1, null, 1, 1].map((v) => (v === null ? null : expect.closeTo(v, 12))),
    );
    expect(data.points).toEqual({ x: 5, y: 5, z: 5, mag: 5 });
  });

  it('does not break the line for gaps at the range edges', () => {
    const data = chartData(
      raw(
        [100, 120],
        [
          [0, 100],
          [140, 10_000],
        ],
      ),
    );
    expect(data.panes.z).toEqual([
      [100, 120],
      [0.8, 0.8],
    ]);
  });

  it('puts exactly one null per inner gap and keeps every sample in order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 9_999 }), { minLength: 1, maxLength: 200 }),
        (times) => {
          const t = [...times].sort((a, b) => a - b);
          const gaps: Array<[number, number]> = [];
          for (let i = 1; i < t.length; i++) if (t[i]! - t[i - 1]! > 60) gaps.push([t[i - 1]! + 20, t[i]!]);
          const data = chartData(raw(t, gaps));
          const [ts, xs] = data.panes.x;
          expect(ts.filter((_, i) => xs![i] !== null)).toEqual(t);
          expect(xs!.filter((v) => v === null)).toHaveLength(gaps.length);
          expect([...ts].sort((a, b) => a - b)).toEqual(ts);
        },
      ),
    );
  });

  it('maps an envelope to min/max series at bucket middles, counting the non-empty buckets', () => {
    const body: EnvelopeBody = {
      ...base,
      mode: 'envelope',
      from: 0,
      to: 3000,
      gaps: [[1000, 2000]],
      bucketMs: 1000,
      xMin: [0.1, null, 0.2],
      xMax: [0.3, null, 0.4],
      yMin: [0, null, 0],
      yMax: [0, null, 0],
      zMin: [1, null, 1],
      zMax: [1, null, 1],
      magMin: [1, null, 1],
      magMax: [1.1, null, 1.2],
      count: [50, 0, 50],
    };
    // Bucket i starts at from + i * bucketMs: the times follow `from`.
    expect(chartData({ ...body, from: 5000, to: 8000 }).panes.mag[0]).toEqual([5500, 6500, 7500]);
    const data = chartData(body);
    expect(data.mode).toBe('envelope');
    expect(data.panes.x).toEqual([
      [500, 1500, 2500],
      [0.1, null, 0.2],
      [0.3, null, 0.4],
    ]);
    expect(data.panes.mag).toEqual([
      [500, 1500, 2500],
      [1, null, 1],
      [1.1, null, 1.2],
    ]);
    expect(data.points).toEqual({ x: 2, y: 2, z: 2, mag: 2 });
  });
});
