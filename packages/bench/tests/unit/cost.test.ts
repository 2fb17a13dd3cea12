import { DYNAMODB_PRICES } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { queryReadUnits } from '../../src/capacity.js';
import { provisionedWrites, usdPerDeviceMonth } from '../../src/cost.js';
import { TEST_USAGE } from '../helpers/small-run.js';

describe('usdPerDeviceMonth()', () => {
  it('prices 50 WRU per device-second at the on-demand rate over 730 hours', () => {
    // Act
    const usd = usdPerDeviceMonth(50, 0, 0, TEST_USAGE, DYNAMODB_PRICES);
    // Assess: 50 x 3600 x 730 = 131.4 M WRU at $0.625 per million.
    expect(usd.writes).toBeCloseTo(82.125, 6);
    expect(usd.total).toBeCloseTo(82.125, 6);
  });

  it('prices reads per device-hour read and storage at its steady state', () => {
    // Act
    const usd = usdPerDeviceMonth(0, 100, 1024 ** 3 / 30, TEST_USAGE, DYNAMODB_PRICES);
    // Assess: 100 RRU x 730 device-hours at $0.125/M; 1 GB kept (30 days x 1/30 GB) at $0.25.
    expect(usd.reads).toBeCloseTo((100 * 730 * 0.125) / 1e6, 12);
    expect(usd.storage).toBeCloseTo(0.25, 12);
  });
});

describe('provisionedWrites()', () => {
  it('sizes WCU for the whole fleet at the target utilization', () => {
    // Act
    const p = provisionedWrites(1, TEST_USAGE, DYNAMODB_PRICES);
    // Assess: 1000 devices x 1 WRU/s / 0.7 = 1428.6 -> 1429 WCU.
    expect(p.wcu).toBe(1429);
    expect(p.usdPerDeviceMonth).toBeCloseTo((1429 * 0.00065 * 730) / 1000, 12);
  });
});

describe('queryReadUnits()', () => {
  it('rounds the bytes of a page up to 4 KB and halves them (eventually consistent)', () => {
    // Assess
    expect(queryReadUnits([100])).toBe(0.5);
    expect(queryReadUnits([4096, 1])).toBe(1);
    expect(queryReadUnits(new Array(60).fill(240))).toBe(2);
  });

  it('rounds each 1 MB page separately', () => {
    // Prepare: 2 pages of 1 MB + 1 byte each would be 257 units each if paged at 1 MB.
    const sizes = new Array(2 * 1024).fill(1024);
    // Assess: exactly two full pages of 256 x 4 KB.
    expect(queryReadUnits(sizes)).toBe(256);
  });
});
