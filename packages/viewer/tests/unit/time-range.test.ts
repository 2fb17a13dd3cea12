import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataEndMs, MIN_ZOOM_MS, presetRange, RANGE_PRESETS, zoomRange } from '../../src/page/time-range.js';

const T = Date.UTC(2026, 11, 4, 10);
const HOUR = 3_600_000;

describe('range presets', () => {
  it('end one ms after the last sample, or now when the registry bound lies ahead', () => {
    expect(dataEndMs({ firstMs: T - HOUR, lastMs: T }, T + HOUR)).toBe(T + 1);
    expect(dataEndMs({ firstMs: T - HOUR, lastMs: T + HOUR }, T)).toBe(T);
  });

  it('give 15 min, 1 h, 6 h and 24 h ending at the data, and the whole range', () => {
    const device = { firstMs: T - 48 * HOUR, lastMs: T };
    const ranges = RANGE_PRESETS.map((p) => presetRange(p, device, T + 5 * HOUR));
    expect(ranges.map((r) => r.toMs)).toEqual(Array(5).fill(T + 1));
    expect(ranges.map((r) => r.toMs - r.fromMs)).toEqual([
      15 * 60_000,
      HOUR,
      6 * HOUR,
      24 * HOUR,
      48 * HOUR + 1,
    ]);
  });

  it('always give a non-empty range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.integer({ min: 0, max: 10 * HOUR }),
        fc.integer({ min: -HOUR, max: 2 ** 45 }),
        fc.constantFrom(...RANGE_PRESETS),
        (firstMs, length, now, preset) => {
          const r = presetRange(preset, { firstMs, lastMs: firstMs + length }, now);
          expect(r.fromMs).toBeLessThan(r.toMs);
          if (preset.lengthMs !== undefined) expect(r.toMs - r.fromMs).toBe(preset.lengthMs);
        },
      ),
    );
  });
});

describe('zoomRange', () => {
  it('orders the ends, rounds outward and keeps a minimum length', () => {
    expect(zoomRange(2000.5, 1000.2)).toEqual({ fromMs: 1000, toMs: 2001 });
    expect(zoomRange(1000, 1050)).toEqual({ fromMs: 1025 - MIN_ZOOM_MS / 2, toMs: 1025 + MIN_ZOOM_MS / 2 });
    expect(zoomRange(5, 5)).toBeUndefined();
    expect(zoomRange(Number.NaN, 5)).toBeUndefined();
  });

  it('contains the selection', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2 ** 44, noNaN: true }),
        fc.double({ min: 0, max: 2 ** 44, noNaN: true }),
        (a, b) => {
          fc.pre(a !== b);
          const r = zoomRange(a, b)!;
          expect(r.toMs - r.fromMs).toBeGreaterThanOrEqual(MIN_ZOOM_MS);
          if (Math.abs(a - b) >= MIN_ZOOM_MS) {
            expect(r.fromMs).toBeLessThanOrEqual(Math.min(a, b));
            expect(r.toMs).toBeGreaterThanOrEqual(Math.max(a, b));
          }
        },
      ),
    );
  });
});
