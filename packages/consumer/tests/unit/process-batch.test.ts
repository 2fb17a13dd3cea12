import { processBatch, type RecordQuarantineEntry } from '@secondrow/consumer';
import {
  gzip,
  jsonV1,
  kinesisEvent,
  kinesisRecord,
  kplAggregate,
  lambdaContext,
  legacy2015,
  makeSamples,
  SHARD_ID,
} from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { contributorsOf } from '../../src/process-batch.js';
import { fakeStore } from '../helpers/fake-store.js';
import { memoryQuarantine } from '../helpers/memory-quarantine.js';

const T0 = 1_700_000_000_000; // a whole second

describe('processBatch()', () => {
  it('groups every valid sample per device into one writeMany call with a deadline', async () => {
    // Prepare
    const a = kinesisRecord(jsonV1('watch-1', makeSamples(T0, 50)));
    const b = kinesisRecord(jsonV1('watch-1', makeSamples(T0 + 1000, 50)));
    const c = kinesisRecord(legacy2015('user-2', makeSamples(T0, 10)));
    const store = fakeStore();
    const now = 1_000_000;
    // Act
    const { response, summary } = await processBatch(
      kinesisEvent([a, b, c]),
      { getRemainingTimeInMillis: () => 30_000 },
      { store, options: { deadlineMarginMs: 2_000, now: () => now } },
    );
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0]?.deadline).toBe(now + 30_000 - 2_000);
    const devices = store.calls[0]?.entries.map((e) => [e.deviceId, e.samples.length]);
    expect(devices).toEqual([
      ['watch-1', 50],
      ['watch-1', 50],
      ['user-2', 10],
    ]);
    expect(summary).toMatchObject({
      records: 3,
      userRecords: 3,
      devices: 2,
      samples: 110,
      badRecords: 0,
      formats: { 'json-v1': 2, 'legacy-2015': 1, 'avro-batch': 0 },
      store: { rowsWritten: 3 },
      failedRecords: 0,
    });
  });

  it("passes each record's Kinesis arrival time with its samples, and none when Lambda sent none", async () => {
    // Prepare: two records of one device arriving 3 s apart, one record without an arrival time.
    const early = kinesisRecord(jsonV1('watch-1', makeSamples(T0, 30)), { arrivalMs: T0 + 1_250 });
    const late = kinesisRecord(jsonV1('watch-1', makeSamples(T0 + 600, 30)), { arrivalMs: T0 + 4_250 });
    const unknown = kinesisRecord(jsonV1('watch-2', makeSamples(T0, 10)), { arrivalMs: null });
    const store = fakeStore();
    // Act
    await processBatch(kinesisEvent([early, late, unknown]), undefined, { store });
    // Assess
    const entries = store.calls[0]?.entries ?? [];
    expect(entries.map((e) => [e.deviceId, e.samples.length, e.arrivalMs])).toEqual([
      ['watch-1', 30, T0 + 1_250],
      ['watch-1', 30, T0 + 4_250],
      ['watch-2', 10, undefined],
    ]);
    expect(entries[2]).not.toHaveProperty('arrivalMs');
  });

  it('keeps at least half of the remaining time for writing when the margin is larger', async () => {
    const store = fakeStore();
    await processBatch(
      kinesisEvent([kinesisRecord(jsonV1('w', makeSamples(T0, 5)))]),
      { getRemainingTimeInMillis: () => 1_000 },
      { store, options: { deadlineMarginMs: 5_000, now: () => 0 } },
    );
    expect(store.calls[0]?.deadline).toBe(500);
  });

  it('returns the sequence numbers of exactly the records that contributed to failed rows', async () => {
    // Prepare: a covers second 0 and the start of second 1, b the rest of second 1, c second 2; d another device.
    const a = kinesisRecord(jsonV1('w', makeSamples(T0 + 500, 40)));
    const b = kinesisRecord(jsonV1('w', makeSamples(T0 + 1300, 20)));
    const c = kinesisRecord(jsonV1('w', makeSamples(T0 + 2000, 10)));
    const d = kinesisRecord(jsonV1('other', makeSamples(T0 + 1000, 10)));
    const store = fakeStore((deviceId, row) => deviceId === 'w' && row.startMs === T0 + 1000);
    // Act
    const { response, summary } = await processBatch(kinesisEvent([a, b, c, d]), lambdaContext(), { store });
    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: a.kinesis.sequenceNumber },
      { itemIdentifier: b.kinesis.sequenceNumber },
    ]);
    expect(summary).toMatchObject({ failedRows: 1, failedRecords: 2 });
  });

  it('reports a KPL aggregate once, by its outer sequence number', async () => {
    const aggregate = kinesisRecord(
      await kplAggregate([jsonV1('w', makeSamples(T0, 10)), jsonV1('w', makeSamples(T0 + 200, 10)), 'junk{']),
    );
    const store = fakeStore(() => true);
    const quarantine = memoryQuarantine();
    const { response, summary } = await processBatch(kinesisEvent([aggregate]), lambdaContext(), {
      store,
      quarantine,
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: aggregate.kinesis.sequenceNumber }]);
    expect(summary).toMatchObject({
      records: 1,
      userRecords: 3,
      aggregatedRecords: 1,
      badRecords: 1,
      quarantined: 1,
    });
    expect(quarantine.entries[0]).toMatchObject({
      subSequenceNumber: 2,
      sequenceNumber: aggregate.kinesis.sequenceNumber,
    });
  });

  it('quarantines bad records with their raw bytes and does not retry them', async () => {
    // Prepare
    const good = kinesisRecord(jsonV1('w', makeSamples(T0, 10)));
    const compressedBad = gzip('{"deviceId": "w", "samples": [[1.5, 0, 0, 0]]}');
    const bad1 = kinesisRecord(compressedBad, { partitionKey: 'pk-1', arrivalMs: T0 + 5_000 });
    const bad2 = kinesisRecord('not json', { arrivalMs: null });
    const quarantine = memoryQuarantine();
    // Act
    const { response, summary, badRecords } = await processBatch(
      kinesisEvent([good, bad1, bad2]),
      lambdaContext(),
      {
        store: fakeStore(),
        quarantine,
      },
    );
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(summary).toMatchObject({ badRecords: 2, quarantined: 2, quarantineFailures: 0, samples: 10 });
    expect(quarantine.entries).toHaveLength(2);
    expect(quarantine.entries[0]).toMatchObject({
      shardId: SHARD_ID,
      sequenceNumber: bad1.kinesis.sequenceNumber,
      subSequenceNumber: undefined,
      code: 'INVALID_SAMPLE',
      index: 0,
      field: 't',
      arrivalMs: T0 + 5_000,
      stream: 'secondrow-test',
      partitionKey: 'pk-1',
    });
    expect((quarantine.entries[0] as RecordQuarantineEntry).raw).toEqual(Buffer.from(compressedBad));
    expect(quarantine.entries[1]).toMatchObject({ code: 'UNKNOWN_FORMAT', arrivalMs: undefined });
    expect(badRecords.map((b) => b.quarantine)).toEqual(['written', 'written']);
  });

  it('retries a bad record whose quarantine write failed, and only that one', async () => {
    const bad1 = kinesisRecord('junk 1');
    const bad2 = kinesisRecord('junk 2');
    const quarantine = memoryQuarantine(
      (entry) => entry.kind !== 'row' && entry.sequenceNumber === bad2.kinesis.sequenceNumber,
    );
    const { response, summary } = await processBatch(kinesisEvent([bad1, bad2]), lambdaContext(), {
      store: fakeStore(),
      quarantine,
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad2.kinesis.sequenceNumber }]);
    expect(summary).toMatchObject({ badRecords: 2, quarantined: 1, quarantineFailures: 1 });
  });

  it('without a quarantine, reports bad records but does not block the shard', async () => {
    const { response, badRecords } = await processBatch(
      kinesisEvent([kinesisRecord('junk')]),
      lambdaContext(),
      {
        store: fakeStore(),
      },
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(badRecords).toMatchObject([{ quarantine: 'none', code: 'UNKNOWN_FORMAT' }]);
  });

  it('retries every record with samples when the store call throws', async () => {
    const a = kinesisRecord(jsonV1('w', makeSamples(T0, 10)));
    const bad = kinesisRecord('junk');
    const b = kinesisRecord(jsonV1('v', makeSamples(T0, 10)));
    const store = { writeMany: () => Promise.reject(new Error('boom')) };
    const { response, summary } = await processBatch(kinesisEvent([a, bad, b]), lambdaContext(), {
      store,
      quarantine: memoryQuarantine(),
    });
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: a.kinesis.sequenceNumber },
      { itemIdentifier: b.kinesis.sequenceNumber },
    ]);
    expect(summary.writeError).toBe('boom');
  });

  it('does not need approximateArrivalTimestamp, partition key or a context', async () => {
    const record = kinesisRecord(jsonV1('w', makeSamples(T0, 10)), { arrivalMs: null });
    delete (record.kinesis as Partial<typeof record.kinesis>).partitionKey;
    const store = fakeStore();
    const { response, summary } = await processBatch(kinesisEvent([record]), undefined, { store });
    expect(response.batchItemFailures).toEqual([]);
    expect(store.calls[0]?.deadline).toBeUndefined();
    expect(summary.latencyMs).toEqual({ sampleToArrival: null, sentToArrival: null, arrivalToWritten: null });
    expect(summary.samples).toBe(10);
  });

  it('handles an empty event without calling the store', async () => {
    const store = fakeStore();
    const { response, summary } = await processBatch(kinesisEvent([]), lambdaContext(), { store });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(store.calls).toHaveLength(0);
    expect(summary.records).toBe(0);
  });

  it('measures latencies and gaps', async () => {
    // Prepare: 50 Hz, 100 samples with 5 missing in the middle; arrival 3 s after the last sample.
    const samples = makeSamples(T0, 100).filter((_, i) => i < 40 || i >= 45);
    const last = samples.at(-1)!.t;
    const record = kinesisRecord(jsonV1('w', samples, { sentAt: last + 1_000 }), { arrivalMs: last + 3_000 });
    // Act
    const { summary } = await processBatch(kinesisEvent([record]), lambdaContext(), { store: fakeStore() });
    // Assess
    expect(summary.gaps).toEqual({ missingSlots: 5, batchesWithGaps: 1 });
    expect(summary.latencyMs.sentToArrival).toEqual({ count: 1, p50: 2_000, p95: 2_000, max: 2_000 });
    expect(summary.latencyMs.sampleToArrival?.max).toBe(last + 3_000 - T0);
    expect(summary.latencyMs.sampleToArrival?.p50).toBeGreaterThan(3_000);
    expect(summary.latencyMs.arrivalToWritten?.count).toBe(1);
  });
});

describe('contributorsOf()', () => {
  it('maps failed rows to the records with a sample in their window', () => {
    const rec = (sequenceNumber: string, ts: number[]) => ({
      record: { sequenceNumber },
      samples: ts.map((t) => ({ t, x: 0, y: 0, z: 0 })),
    });
    const byDevice = new Map([
      ['w', [rec('1', [T0, T0 + 999]), rec('2', [T0 + 999, T0 + 1000]), rec('3', [T0 + 2500])]],
      ['v', [rec('4', [T0])]],
    ]);
    const sequenceNumbers = (rows: ReturnType<typeof failedRow>[]) =>
      [...contributorsOf(rows, byDevice).values()].flat().map((r) => r.sequenceNumber);
    const failedRow = (deviceId: string, startMs: number) => ({
      deviceId,
      row: {
        startMs,
        windowSeconds: 1 as const,
        resolution: 0.001,
        samples: [],
        duplicates: 0,
        conflicts: 0,
      },
      error: new Error('x') as never,
    });
    expect(sequenceNumbers([failedRow('w', T0 + 1000)])).toEqual(['2']);
    expect(sequenceNumbers([failedRow('w', T0), failedRow('v', T0)])).toEqual(['1', '2', '4']);
    expect(sequenceNumbers([failedRow('x', T0)])).toEqual([]);
    // Per row: each row names its own records.
    const rows = [failedRow('w', T0), failedRow('w', T0 + 1000), failedRow('w', T0 + 2000)];
    const byRow = contributorsOf(rows, byDevice);
    expect(rows.map((row) => byRow.get(row)?.map((r) => r.sequenceNumber))).toEqual([
      ['1', '2'],
      ['2'],
      ['3'],
    ]);
  });
});
