import { describe, expect, it } from 'vitest';
import {
  InvalidOptionError,
  InvalidSampleError,
  packRows,
  unpackRows,
  windowStartMs,
} from '../../src/index.js';

const T0 = 1_700_000_000_000;

describe('packRows()', () => {
  it('groups unordered samples into UTC windows, sorted and quantized', () => {
    // Prepare
    const samples = [
      { t: T0 + 1500, x: 0.0014, y: 0, z: 1 },
      { t: T0 + 20, x: -0.0016, y: 0.5, z: -1 },
      { t: T0, x: 0.1234567, y: 0, z: 0 },
    ];

    // Act
    const rows = packRows(samples);

    // Assess
    expect(rows.map((r) => r.startMs)).toEqual([T0, T0 + 1000]);
    expect(rows[0]?.samples).toEqual([
      { t: T0, x: 0.123, y: 0, z: 0 },
      { t: T0 + 20, x: -0.002, y: 0.5, z: -1 },
    ]);
    expect(rows[1]?.samples).toEqual([{ t: T0 + 1500, x: 0.001, y: 0, z: 1 }]);
  });

  it('drops exact duplicates and resolves conflicts to the smallest (x, y, z) whatever the order', () => {
    const a = { t: T0, x: 0.002, y: 0, z: 0 };
    const b = { t: T0, x: 0.001, y: 0.5, z: 0 };
    const c = { t: T0, x: 0.001, y: 0.4, z: 0 };
    for (const input of [
      [a, b, c, a],
      [c, a, a, b],
      [a, c, b, a],
    ]) {
      const [row] = packRows(input);
      expect(row?.samples).toEqual([c]);
      expect(row?.duplicates).toBe(1);
      expect(row?.conflicts).toBe(2);
    }
  });

  it('counts samples equal after quantization as duplicates', () => {
    const [row] = packRows([
      { t: T0, x: 0.0011, y: 0, z: 0 },
      { t: T0, x: 0.0009, y: 0, z: 0 },
    ]);
    expect(row?.duplicates).toBe(1);
    expect(row?.conflicts).toBe(0);
  });

  it.each([1, 2, 4, 5, 10, 15, 30, 60] as const)('aligns %i-second windows to UTC', (windowSeconds) => {
    const rows = packRows([{ t: T0 + 61_234, x: 0, y: 0, z: 0 }], { windowSeconds });
    expect(rows[0]?.startMs).toBe(windowStartMs(T0 + 61_234, windowSeconds));
    expect((rows[0]?.startMs ?? 1) % (windowSeconds * 1000)).toBe(0);
  });

  it.each([
    [{ t: 1.5, x: 0, y: 0, z: 0 }, 't', 'INVALID_SAMPLE'],
    [{ t: -1, x: 0, y: 0, z: 0 }, 't', 'INVALID_SAMPLE'],
    [{ t: 0, x: Number.NaN, y: 0, z: 0 }, 'x', 'INVALID_SAMPLE'],
    [{ t: 0, x: 0, y: Number.POSITIVE_INFINITY, z: 0 }, 'y', 'INVALID_SAMPLE'],
    [{ t: 0, x: 0, y: 0, z: 16.001 }, 'z', 'OUT_OF_RANGE'],
  ])('rejects %o naming index and field', (bad, field, code) => {
    const attempt = () => packRows([{ t: 0, x: 0, y: 0, z: 0 }, bad]);
    expect(attempt).toThrow(InvalidSampleError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code, index: 1, field });
    }
  });

  it('rejects unsupported options', () => {
    expect(() => packRows([], { windowSeconds: 3 as 1 })).toThrow(InvalidOptionError);
    expect(() => packRows([], { resolution: 0 })).toThrow(InvalidOptionError);
    expect(() => packRows([], { resolution: 1e-7 })).toThrow(InvalidOptionError);
    expect(() => packRows([], { range: -1 })).toThrow(InvalidOptionError);
  });

  it('honours a custom resolution and range', () => {
    const [row] = packRows([{ t: T0, x: 31.99, y: -0.0123, z: 0 }], { resolution: 0.01, range: 32 });
    expect(row?.samples[0]).toEqual({ t: T0, x: 31.99, y: -0.01, z: 0 });
    expect(row?.resolution).toBe(0.01);
  });
});

describe('unpackRows()', () => {
  it('returns every sample in time order', () => {
    const rows = packRows([
      { t: T0 + 2000, x: 0, y: 0, z: 0 },
      { t: T0, x: 0, y: 0, z: 0 },
    ]);
    expect(unpackRows([...rows].reverse()).map((s) => s.t)).toEqual([T0, T0 + 2000]);
  });
});
