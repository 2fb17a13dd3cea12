import { DYNAMODB_PRICES } from '@secondrow/devkit';
import type { BenchOptions } from '../../src/run.js';

/** Cost assumptions of the small test runs (the CLI defaults). */
export const TEST_USAGE: BenchOptions['usage'] = {
  activeHoursPerDay: 24,
  retentionDays: 30,
  readsPerDeviceHour: 1,
  fleet: 1000,
  provisionedTargetUtilization: 0.7,
};

/** Options of a run small enough for a test: few items, no timing loops. */
export const SMALL_RUN: Pick<
  BenchOptions,
  | 'usage'
  | 'prices'
  | 'maxMeasuredItems'
  | 'strategyMaxItems'
  | 'strategyMaxSamples'
  | 'minTimingMs'
  | 'quiet'
> = {
  usage: TEST_USAGE,
  prices: DYNAMODB_PRICES,
  maxMeasuredItems: 300,
  strategyMaxItems: 60,
  strategyMaxSamples: 1500,
  minTimingMs: 0,
  quiet: true,
};
