import { type Delivery, PipelineProbe, percentiles } from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';

type Handler = Parameters<PipelineProbe['wrapHandler']>[0];
type Event = Parameters<Handler>[0];

function event(...sequenceNumbers: string[]): Event {
  return {
    Records: sequenceNumbers.map((sequenceNumber) => ({
      kinesis: { sequenceNumber, approximateArrivalTimestamp: Date.now() / 1000 },
    })),
  } as unknown as Event;
}

function delivery(sequenceNumber: string, batchId: string): Delivery {
  return {
    deviceId: 'd',
    batchId,
    samples: [{ t: 1000, x: 0, y: 0, z: 1 }],
    sequenceNumber,
    shardId: 'shardId-0',
    flushAtMs: 31_000,
    putWallMs: Date.now(),
    resend: false,
  };
}

describe('PipelineProbe', () => {
  it('counts a record stored only when it precedes the lowest failed record of its batch', async () => {
    // Prepare
    const probe = new PipelineProbe();
    for (const [seq, id] of [
      ['10', 'a'],
      ['11', 'b'],
      ['12', 'c'],
    ] as const)
      probe.onDelivered(delivery(seq, id));
    const failing = probe.wrapHandler(async () => ({ batchItemFailures: [{ itemIdentifier: '11' }] }));
    const passing = probe.wrapHandler(async () => ({ batchItemFailures: [] }));
    // Act
    await failing(event('10', '11', '12'), {});
    // Assess
    expect(probe.stored).toBe(1);
    expect(probe.allStored()).toBe(false);
    await passing(event('11', '12'), {});
    expect(probe.allStored()).toBe(true);
    const latencies = probe.latencies();
    expect(latencies.sampleToStored?.count).toBe(3);
    expect(latencies.sampleToStored?.p50).toBeGreaterThanOrEqual(30_000);
  });

  it('adds up the store reports', async () => {
    const probe = new PipelineProbe();
    const report = {
      rowsWritten: 2,
      rowsMerged: 1,
      rowsUnchanged: 0,
      samplesStored: 100,
      duplicatesDropped: 5,
    };
    const store = probe.meterStore({
      writeMany: async () => ({
        ...report,
        conflicts: 0,
        writeUnits: 3,
        writeUnitsEstimated: 0,
        readUnits: 1,
        conditionalCheckFailures: 0,
        requests: 0,
        retries: 0,
        failed: [],
      }),
    });
    await store.writeMany();
    await store.writeMany();
    expect(probe.totals).toMatchObject({
      calls: 2,
      rowsWritten: 4,
      samplesStored: 200,
      duplicatesDropped: 10,
      writeUnits: 6,
    });
  });
});

describe('percentiles()', () => {
  it('uses nearest ranks', () => {
    expect(percentiles([5, 1, 3, 2, 4])).toEqual({ count: 5, p50: 3, p90: 5, p99: 5, max: 5 });
    expect(percentiles([])).toBeNull();
  });
});
