import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileOf, percentiles } from '../src/percentiles.js';

describe('nearest-rank percentiles', () => {
  it('take the value at rank ceil(p * n)', () => {
    expect(percentileOf([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentileOf([1, 2, 3, 4], 0.51)).toBe(3);
    expect(percentileOf([1, 2, 3, 4], 0)).toBe(1);
    expect(percentileOf([1, 2, 3, 4], 1)).toBe(4);
    expect(percentileOf([], 0.5)).toBeUndefined();
    expect(percentiles([5, 1, 3, 2, 4])).toEqual({ count: 5, p50: 3, p90: 5, p99: 5, max: 5 });
    expect(percentiles([])).toBeNull();
  });

  it('return a value of the set with at least p of the values at or below it, and none smaller', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const v = percentileOf(sorted, p)!;
          expect(sorted).toContain(v);
          expect(sorted.filter((x) => x <= v).length).toBeGreaterThanOrEqual(p * sorted.length);
          expect(sorted.filter((x) => x < v).length).toBeLessThan(Math.max(1, p * sorted.length));
        },
      ),
    );
  });
});
