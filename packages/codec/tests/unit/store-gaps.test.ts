import { describe, expect, it } from 'vitest';
import { countGaps, estimateIntervalMs } from '../../src/dynamodb.js';
import { isMissingHead } from '../../src/store/gaps.js';
import type { Row, Sample } from '../../src/types.js';

const START = 1_700_000_000_000;

function rowOf(offsets: number[]): Row {
  const samples: Sample[] = offsets.map((o) => ({ t: START + o, x: 0, y: 0, z: 1 }));
  return { startMs: START, windowSeconds: 1, resolution: 0.001, samples, duplicates: 0, conflicts: 0 };
}

const every20 = (from: number, to: number): number[] =>
  Array.from({ length: Math.ceil((to - from) / 20) }, (_, i) => from + i * 20);

describe('estimateIntervalMs()', () => {
  it('is the median interval, so one long gap does not move it', () => {
    expect(estimateIntervalMs(rowOf([0, 20, 41, 60, 300, 320]).samples)).toBe(20);
  });

  it('is undefined with fewer than two samples', () => {
    expect(estimateIntervalMs(rowOf([5]).samples)).toBeUndefined();
  });
});

describe('countGaps()', () => {
  it('counts nothing missing in a full 50 Hz second with jitter', () => {
    const jittered = every20(0, 1000).map((o, i) => o + (i % 3 === 0 ? 3 : 0));
    expect(countGaps(rowOf(jittered))).toBe(0);
  });

  it('counts missing slots inside, before and after the samples', () => {
    const offsets = every20(100, 900).filter((o) => o !== 400 && o !== 420);
    // 5 slots before 100, 2 inside, 5 after 880 (900..980).
    expect(countGaps(rowOf(offsets))).toBe(12);
  });

  it('reports 0 when the rate cannot be measured', () => {
    expect(countGaps(rowOf([500]))).toBe(0);
  });
});

describe('isMissingHead()', () => {
  it('is true for the second half of a split second only', () => {
    expect(isMissingHead(rowOf(every20(500, 1000)))).toBe(true);
    expect(isMissingHead(rowOf(every20(10, 500)))).toBe(false);
    expect(isMissingHead(rowOf(every20(0, 1000)))).toBe(false);
  });
});
