import {
  DEFAULT_FAULT_RATES,
  drawClockSkewMs,
  drawOfflineWindow,
  GapInjector,
  InvalidSimulatorOptionError,
  NO_FAULTS,
  Prng,
  parseFaultRates,
  reorderInPlace,
} from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';

describe('parseFaultRates()', () => {
  it('starts from the defaults and overrides the named faults', () => {
    expect(parseFaultRates('duplicate=0.5')).toEqual({ ...DEFAULT_FAULT_RATES, duplicate: 0.5 });
    expect(parseFaultRates('default')).toEqual(DEFAULT_FAULT_RATES);
  });

  it('understands none and all', () => {
    expect(parseFaultRates('none')).toEqual(NO_FAULTS);
    expect(parseFaultRates('none,drop=0.01')).toEqual({ ...NO_FAULTS, drop: 0.01 });
    expect(parseFaultRates('all=0.1')).toEqual({
      duplicate: 0.1,
      drop: 0.1,
      reorder: 0.1,
      skew: 0.1,
      offline: 0.1,
    });
  });

  it('rejects unknown faults and rates outside [0, 1]', () => {
    expect(() => parseFaultRates('flood=0.1')).toThrow(InvalidSimulatorOptionError);
    expect(() => parseFaultRates('drop=2')).toThrow(InvalidSimulatorOptionError);
    expect(() => parseFaultRates('drop')).toThrow(InvalidSimulatorOptionError);
  });

  it('reads a rate as strictly as a number flag: no empty text, hex, trailing garbage or second =', () => {
    for (const spec of ['drop=', 'drop= ', 'drop=0x1', 'drop=0.1x', 'drop=NaN', 'drop=0.1=0.2']) {
      const attempt = (): unknown => parseFaultRates(spec);
      expect(attempt, spec).toThrow(InvalidSimulatorOptionError);
      expect(attempt, spec).toThrow(/drop/);
    }
    expect(parseFaultRates('drop=1e-3').drop).toBe(0.001);
  });
});

describe('GapInjector', () => {
  it('never drops at rate 0 and counts gaps and dropped samples', () => {
    const none = new GapInjector(new Prng(1), 0, 10);
    expect(Array.from({ length: 1000 }, () => none.drop()).some(Boolean)).toBe(false);
    const some = new GapInjector(new Prng(1), 0.01, 10);
    const drops = Array.from({ length: 10_000 }, () => some.drop());
    const runs = drops.filter((d, i) => d && !drops[i - 1]).length;
    expect(some.gaps).toBeGreaterThan(0);
    expect(runs).toBe(some.gaps);
    expect(drops.filter(Boolean).length).toBe(some.dropped);
  });

  it('keeps at least one sample between two gaps and bounds their length', () => {
    const always = new GapInjector(new Prng(2), 1, 3);
    const drops = Array.from({ length: 100 }, () => always.drop());
    let run = 0;
    for (const d of drops) {
      run = d ? run + 1 : 0;
      expect(run).toBeLessThanOrEqual(3);
    }
    expect(drops.filter((d, i) => d && !drops[i - 1]).length).toBe(always.gaps);
  });
});

describe('reorderInPlace()', () => {
  it('swaps neighbours and keeps every item', () => {
    const items = [1, 2, 3, 4, 5];
    expect(reorderInPlace(items, 1, new Prng(3))).toBe(2);
    expect(items).toEqual([2, 1, 4, 3, 5]);
    const untouched = [1, 2, 3];
    expect(reorderInPlace(untouched, 0, new Prng(3))).toBe(0);
    expect(untouched).toEqual([1, 2, 3]);
  });
});

describe('drawClockSkewMs()', () => {
  it('is 0 unless the fault hits, then an integer offset within ±max', () => {
    expect(drawClockSkewMs(new Prng(4), 0, 30_000)).toBe(0);
    for (let i = 0; i < 50; i++) {
      const skew = drawClockSkewMs(new Prng(i), 1, 30_000);
      expect(Number.isInteger(skew)).toBe(true);
      expect(Math.abs(skew)).toBeGreaterThanOrEqual(1000);
      expect(Math.abs(skew)).toBeLessThanOrEqual(30_000);
    }
  });
});

describe('drawOfflineWindow()', () => {
  it('starts in the first half of the run and ends before the run does', () => {
    expect(drawOfflineWindow(new Prng(5), 0, 0, 120_000, [30_000, 75_000])).toBeUndefined();
    for (let i = 0; i < 50; i++) {
      const w = drawOfflineWindow(new Prng(i), 1, 1000, 120_000, [30_000, 200_000]);
      expect(w).toBeDefined();
      expect(w?.fromMs).toBeGreaterThanOrEqual(1000);
      expect(w?.fromMs).toBeLessThan(1000 + 60_000);
      expect(w?.toMs).toBeLessThan(1000 + 120_000);
    }
  });
});
