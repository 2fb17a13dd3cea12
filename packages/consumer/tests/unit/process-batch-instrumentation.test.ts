import { emptyReport } from '@secondrow/codec/dynamodb';
import { type InvocationSummary, latencyStats, publishSummary } from '@secondrow/consumer';
import { describe, expect, it } from 'vitest';
import { estimateGaps } from '../../src/instrumentation.js';
import { memoryLogger } from '../helpers/quiet.js';

const at = (ts: number[]) => Float64Array.from(ts);

describe('latencyStats()', () => {
  it('computes nearest-rank p50, p95 and max', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(latencyStats(values)).toEqual({ count: 100, p50: 50, p95: 95, max: 100 });
    expect(latencyStats([7])).toEqual({ count: 1, p50: 7, p95: 7, max: 7 });
    expect(latencyStats([])).toBeNull();
  });

  it('takes an exact max from outside a subsample', () => {
    expect(latencyStats([1, 2, 3], 10)?.max).toBe(10);
  });
});

describe('estimateGaps()', () => {
  it('counts missing slots against the median interval', () => {
    expect(estimateGaps(at([0, 20, 40, 60, 80, 100]))).toEqual({ missing: 0, intervalMs: 20 });
    expect(estimateGaps(at([0, 20, 40, 100, 120, 140, 160]))).toEqual({ missing: 2, intervalMs: 20 });
  });

  it('tolerates jitter, unsorted input and duplicates', () => {
    expect(estimateGaps(at([41, 0, 19, 60, 60, 79, 101])).missing).toBe(0);
  });

  it('returns no gaps for fewer than three samples', () => {
    expect(estimateGaps(at([0, 1000]))).toEqual({ missing: 0, intervalMs: 0 });
  });
});

describe('publishSummary()', () => {
  it('logs one summary line and publishes metrics once', () => {
    const logger = memoryLogger();
    const metrics: [string, string, number][] = [];
    let published = 0;
    const summary = {
      records: 2,
      samples: 400,
      latencyMs: {
        sampleToArrival: { count: 1, p50: 5, p95: 6, max: 7 },
        sentToArrival: null,
        arrivalToWritten: null,
      },
      gaps: { missingSlots: 3, batchesWithGaps: 1 },
      store: { ...emptyReport(), samplesStored: 390 },
      registry: { devices: 2, writes: 1, writeUnits: 1, readUnits: 2, failures: 1 },
      durationMs: 12,
    } as unknown as InvocationSummary;
    publishSummary(summary, logger, {
      addMetric: (name, unit, value) => metrics.push([name, unit, value]),
      publishStoredMetrics: () => {
        published++;
      },
    });
    expect(logger.lines).toEqual([{ level: 'info', message: 'invocation summary', extra: { summary } }]);
    expect(published).toBe(1);
    expect(metrics).toContainEqual(['Records', 'Count', 2]);
    expect(metrics).toContainEqual(['SampleToArrivalP95', 'Milliseconds', 6]);
    expect(metrics).toContainEqual(['MissingSampleSlots', 'Count', 3]);
    expect(metrics).toContainEqual(['SamplesStored', 'Count', 390]);
    expect(metrics).toContainEqual(['RegistryWriteUnits', 'Count', 1]);
    expect(metrics).toContainEqual(['RegistryFailures', 'Count', 1]);
  });

  it('never throws when metrics fail', () => {
    const logger = memoryLogger();
    const summary = {
      latencyMs: {},
      gaps: { missingSlots: 0 },
      store: emptyReport(),
    } as unknown as InvocationSummary;
    publishSummary(summary, logger, {
      addMetric: () => {
        throw new Error('bad metric');
      },
      publishStoredMetrics: () => {},
    });
    expect(logger.lines.at(-1)).toMatchObject({ level: 'warn', extra: { error: 'bad metric' } });
  });
});
