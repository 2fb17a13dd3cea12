import { describe, expect, it } from 'vitest';
import { mergeRows, sameSamples, WindowMismatchError } from '../../src/index.js';
import { rowOf } from '../helpers/factories.js';

const T0 = 1_700_000_000_000;

describe('mergeRows()', () => {
  it('unites samples, counting identical and differing overlaps', () => {
    // Prepare
    const a = rowOf(
      T0,
      [
        { t: T0, x: 0, y: 0, z: 1 },
        { t: T0 + 20, x: 0.5, y: 0, z: 1 },
      ],
      { duplicates: 2 },
    );
    const b = rowOf(
      T0,
      [
        { t: T0, x: 0, y: 0, z: 1 },
        { t: T0 + 20, x: 0.4, y: 0, z: 1 },
        { t: T0 + 40, x: 0, y: 0, z: 1 },
      ],
      { conflicts: 1 },
    );

    // Act
    const merged = mergeRows(a, b);

    // Assess
    expect(merged.samples.map((s) => [s.t - T0, s.x])).toEqual([
      [0, 0],
      [20, 0.4],
      [40, 0],
    ]);
    expect(merged.duplicates).toBe(3);
    expect(merged.conflicts).toBe(2);
    expect(sameSamples(mergeRows(b, a), merged)).toBe(true);
  });

  it('refuses rows of different windows', () => {
    expect(() => mergeRows(rowOf(T0, []), rowOf(T0 + 1000, []))).toThrow(WindowMismatchError);
    expect(() => mergeRows(rowOf(T0, []), { ...rowOf(T0, []), resolution: 0.01 })).toThrow(
      WindowMismatchError,
    );
  });
});

describe('sameSamples()', () => {
  it('compares samples only', () => {
    const s = [{ t: T0, x: 0, y: 0, z: 1 }];
    expect(sameSamples(rowOf(T0, s), rowOf(T0, [...s], { duplicates: 5 }))).toBe(true);
    expect(sameSamples(rowOf(T0, s), rowOf(T0, [{ t: T0, x: 0, y: 0, z: 0.999 }]))).toBe(false);
    expect(sameSamples(rowOf(T0, s), rowOf(T0, []))).toBe(false);
  });
});
