import { PRODUCER_FORMATS, runDemo } from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';

// A short run through real local servers (kinesalite, dynalite) with every fault on at high rates.
const faults = { duplicate: 0.2, drop: 0.005, reorder: 0.2, skew: 0.5, offline: 0.5 };

describe('runDemo() on local servers', () => {
  it.each(PRODUCER_FORMATS)(
    '%s: every produced sample is stored exactly once, faults included',
    async (format) => {
      // Act
      const report = await runDemo({
        devices: 4,
        durationSeconds: 12,
        flushIntervalSeconds: 3,
        format,
        faults,
        batchSize: 10,
        seed: `integration-${format}`,
        ceilings: false,
        progress: false,
      });
      // Assess
      expect(report.samples.problems).toEqual([]);
      expect(report.samples).toMatchObject({ lost: 0, duplicated: 0, wrongValues: 0, ok: true });
      expect(report.samples.stored).toBe(report.samples.distinct);
      expect(report.samples.produced).toBeGreaterThan(4 * 10 * 20);
      expect(report.faults.injected.duplicatedRecords).toBeGreaterThan(0);
      expect(report.faults.injected.gaps).toBeGreaterThan(0);
      expect(report.faults.found.gapsInTable).toBe(report.faults.injected.gaps);
      expect(report.faults.found.duplicatesDropped).toBeGreaterThanOrEqual(
        report.faults.injected.duplicatedSamples,
      );
      expect(report.capacity.writeUnits).toBeGreaterThan(0);
      expect(report.capacity.rows).toBeGreaterThan(0);
      // Skewed clocks and offline phones included, the registry lists every device over its samples.
      expect(report.passes[0]?.registry).toMatchObject({ ok: true, devices: 4, listed: 4, missing: [] });
      expect(report.capacity.registryWriteUnits).toBeGreaterThanOrEqual(4);
      expect(report.ok).toBe(true);
    },
  );

  it('rides out a DynamoDB outage with the AWS faults on, discarding nothing, and reports it', async () => {
    const report = await runDemo({
      devices: 2,
      durationSeconds: 20,
      flushIntervalSeconds: 2,
      // A slow producer, so the outage starts while records still flow.
      speed: 20,
      outageSeconds: 2,
      compareBatchSizes: false,
      ceilings: false,
      seed: 'integration-outage',
      progress: false,
    });
    expect(report.ok).toBe(true);
    expect(report.samples).toMatchObject({ lost: 0, duplicated: 0 });
    expect(report.faults.found.discardedRecords).toBe(0);
    expect(report.faults.outage?.seconds).toBe(2);
    expect(report.faults.outage?.rows).toBeGreaterThan(0);
    expect(report.faults.outage?.requestsPerRow).toBeGreaterThan(0);
    expect(report.faults.aws.dynamodb.throttle).toBeGreaterThan(0);
    expect(report.settings.mapping.batchSize).toBe(500);
  });

  it('measures the local ceilings and compares batch sizes when asked', async () => {
    const report = await runDemo({
      devices: 2,
      durationSeconds: 8,
      flushIntervalSeconds: 4,
      compareBatchSizes: true,
      seed: 'integration-compare',
      progress: false,
    });
    expect(report.ok).toBe(true);
    expect(report.ceilings?.kinesis.records).toBeGreaterThan(0);
    expect(report.ceilings?.dynamodb.items).toBeGreaterThan(0);
    expect(report.comparison.map((c) => c.batchSize)).toEqual([500, 1]);
    expect(report.passes.map((p) => p.name)).toEqual([
      'pass 1/2 (batch size 500)',
      'pass 2/2 (batch size 1, write-cost comparison)',
    ]);
    for (const p of report.passes) expect(p.samples).toMatchObject({ lost: 0, duplicated: 0 });
    for (const c of report.comparison) expect(c.writeUnits).toBeGreaterThan(0);
  });
});
