import type { Sample } from '@secondrow/codec';
import { SampleStore } from '@secondrow/codec/dynamodb';
import { createHandler, type ProcessResult, Quarantine } from '@secondrow/consumer';
import {
  avroBatch,
  gzip,
  jsonV1,
  kinesisEvent,
  kinesisRecord,
  kplAggregate,
  lambdaContext,
  legacy2015,
  makeSamples,
  SHARD_ID,
  sampleKeys,
} from '@secondrow/devkit';
import { createRowTable, type LocalAws, startLocalAws, uniqueTableName } from '@secondrow/local';
import type { KinesisStreamRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/quiet.js';
import { scanTable } from '../helpers/table.js';

let dynamo: LocalAws;
beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
});
afterAll(async () => {
  await dynamo?.close();
});

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

async function setup() {
  const tableName = await createRowTable(dynamo.dynamodb, uniqueTableName('samples'));
  const store = new SampleStore({ client: dynamo.dynamodb, tableName });
  const quarantine = new Quarantine({ client: dynamo.dynamodb, tableName });
  const logger = memoryLogger();
  const results: ProcessResult[] = [];
  const handler = createHandler({
    store,
    quarantine,
    logger,
    metrics: false,
    onResult: (r) => results.push(r),
  });
  return { tableName, store, quarantine, logger, results, handler };
}

/** A mixed batch: every format, split seconds, duplicates and bad records; with the samples expected per device. */
async function mixedBatch() {
  const expected = new Map<string, Sample[]>();
  const sent = (deviceId: string, samples: Sample[]) => {
    expected.set(deviceId, [...(expected.get(deviceId) ?? []), ...samples]);
    return samples;
  };
  const records: KinesisStreamRecord[] = [];
  const bad: KinesisStreamRecord[] = [];
  // JSON v1 phone batches of 200 samples (4 s at 50 Hz) starting mid-second: every batch splits two seconds.
  const phone = makeSamples(T0 + 500, 600);
  for (let i = 0; i < 3; i++)
    records.push(kinesisRecord(jsonV1('watch-a', sent('watch-a', phone.slice(i * 200, i * 200 + 200)))));
  // An exact duplicate delivery and an overlapping re-send.
  records.push(kinesisRecord(Buffer.from(records[0]!.kinesis.data, 'base64')));
  records.push(kinesisRecord(jsonV1('watch-a', phone.slice(100, 150))));
  // The 2015 app (userId is the device; the partition key is random), at a UTC offset.
  records.push(
    kinesisRecord(legacy2015('cognito-b', sent('cognito-b', makeSamples(T0 + 130, 200, 50, 2)), -420)),
  );
  // The Avro producer batch, plain and gzip-compressed.
  records.push(kinesisRecord(avroBatch('watch-c', sent('watch-c', makeSamples(T0, 100, 50, 3)))));
  records.push(
    kinesisRecord(gzip(avroBatch('watch-c', sent('watch-c', makeSamples(T0 + 2000, 100, 50, 3))))),
  );
  // gzip JSON v1.
  records.push(kinesisRecord(gzip(jsonV1('watch-d', sent('watch-d', makeSamples(T0 + 10, 30, 25, 4))))));
  // A KPL aggregate of two devices and one bad user record.
  records.push(
    kinesisRecord(
      await kplAggregate([
        jsonV1('watch-e', sent('watch-e', makeSamples(T0 + 750, 120, 50, 5))),
        gzip(legacy2015('cognito-f', sent('cognito-f', makeSamples(T0 + 3_333, 60, 50, 6)), 60)),
        '{"deviceId": "watch-e", "samples": [[1, 99, 0, 0]]}',
      ]),
    ),
  );
  const aggregate = records.at(-1)!;
  // Bad records.
  bad.push(kinesisRecord('hello, not a record'));
  bad.push(kinesisRecord(JSON.stringify({ deviceId: 'watch-a', samples: [[T0, 0, 0, 20]] })));
  bad.push(kinesisRecord(JSON.stringify({ samples: [[T0, 0, 0, 0]] })));
  bad.push(kinesisRecord(gzip(Buffer.alloc(16 * 1024 * 1024, 0x20))));
  // Interleave the bad ones.
  const all = [
    ...records.slice(0, 4),
    bad[0]!,
    ...records.slice(4, 8),
    bad[1]!,
    bad[2]!,
    ...records.slice(8),
    bad[3]!,
  ];
  return { all, expected, bad, aggregate };
}

describe('createHandler() against dynalite', () => {
  it('stores exactly the distinct samples sent, and quarantines bad records with their raw bytes', async () => {
    // Prepare
    const { tableName, store, quarantine, handler, results, logger } = await setup();
    const { all, expected, bad, aggregate } = await mixedBatch();
    // Act
    const response = await handler(kinesisEvent(all), lambdaContext());
    // Assess: nothing to retry, and the table holds exactly the union per device.
    expect(response).toEqual({ batchItemFailures: [] });
    const table = await scanTable(dynamo.dynamodb, tableName);
    expect([...table.samples.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [deviceId, samples] of expected) {
      const stored = table.samples.get(deviceId) ?? [];
      expect(stored.length).toBe(new Set(samples.map((s) => s.t)).size);
      expect(sampleKeys(stored)).toEqual(sampleKeys(samples));
      const read: Sample[] = [];
      for await (const s of store.read(deviceId, 0, Number.MAX_SAFE_INTEGER)) read.push(s);
      expect(sampleKeys(read)).toEqual(sampleKeys(samples));
    }
    // Bad records: 4 plain ones and one user record inside the aggregate, each readable back byte for byte.
    expect(table.quarantine).toHaveLength(5);
    for (const record of bad) {
      const kept = await quarantine.get(SHARD_ID, record.kinesis.sequenceNumber);
      expect(kept?.raw && Buffer.from(kept.raw).toString('base64')).toBe(record.kinesis.data);
    }
    expect(await quarantine.get(SHARD_ID, bad[1]!.kinesis.sequenceNumber)).toMatchObject({
      code: 'OUT_OF_RANGE',
      field: 'z',
      index: 0,
    });
    expect(await quarantine.get(SHARD_ID, bad[3]!.kinesis.sequenceNumber)).toMatchObject({
      code: 'TOO_LARGE',
    });
    const inner = await quarantine.get(SHARD_ID, aggregate.kinesis.sequenceNumber, 2);
    expect(Buffer.from(inner!.raw).toString()).toBe('{"deviceId": "watch-e", "samples": [[1, 99, 0, 0]]}');
    // The summary.
    const { summary } = results[0]!;
    expect(summary).toMatchObject({
      records: all.length,
      userRecords: all.length + 2,
      aggregatedRecords: 1,
      badRecords: 5,
      quarantined: 5,
      devices: 6,
      failedRecords: 0,
      formats: { 'json-v1': 7, 'legacy-2015': 2, 'avro-batch': 2 },
    });
    const distinct = [...expected.values()].reduce((n, s) => n + new Set(s.map((x) => x.t)).size, 0);
    expect(summary.store.samplesStored).toBe(distinct);
    expect(summary.store.duplicatesDropped).toBe(200 + 50);
    expect(summary.store.rowsWritten).toBe(table.rows);
    expect(logger.lines.filter((l) => l.message === 'invocation summary')).toHaveLength(1);
    expect(logger.lines.filter((l) => l.message === 'bad record')).toHaveLength(5);
  });

  it('is idempotent: the same batch again changes nothing', async () => {
    // Prepare
    const { tableName, handler, results } = await setup();
    const { all } = await mixedBatch();
    await handler(kinesisEvent(all), lambdaContext());
    const before = await scanTable(dynamo.dynamodb, tableName);
    // Act
    const response = await handler(kinesisEvent(all), lambdaContext());
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await scanTable(dynamo.dynamodb, tableName)).toEqual(before);
    expect(results[1]?.summary).toMatchObject({
      store: { samplesStored: 0, rowsWritten: 0, rowsMerged: 0 },
      quarantined: 5,
    });
    expect(results[1]?.summary.store.rowsUnchanged).toBe(before.rows);
    expect(results[1]?.badRecords.every((b) => b.quarantine === 'existing')).toBe(true);
  });

  it('merges a second that arrives split over two invocations', async () => {
    const { tableName, handler } = await setup();
    const samples = makeSamples(T0, 50);
    await handler(kinesisEvent([kinesisRecord(jsonV1('w', samples.slice(0, 20)))]), lambdaContext());
    await handler(kinesisEvent([kinesisRecord(jsonV1('w', samples.slice(15)))]), lambdaContext());
    const table = await scanTable(dynamo.dynamodb, tableName);
    expect(table.rows).toBe(1);
    expect(sampleKeys(table.samples.get('w')!)).toEqual(sampleKeys(samples));
  });

  it("records each row's earliest Kinesis arrival among the records that added samples to it", async () => {
    const { store, handler } = await setup();
    const samples = makeSamples(T0, 100); // two seconds
    const late = kinesisRecord(jsonV1('w', samples.slice(0, 60)), { arrivalMs: T0 + 9_000 });
    const early = kinesisRecord(jsonV1('w', samples.slice(40)), { arrivalMs: T0 + 2_500 });
    await handler(kinesisEvent([late, early]), lambdaContext());
    // A later re-send of the same samples adds nothing, so it does not count as an arrival.
    await handler(
      kinesisEvent([kinesisRecord(jsonV1('w', samples), { arrivalMs: T0 + 1_000 })]),
      lambdaContext(),
    );

    const rows = [];
    for await (const row of store.readRows('w', T0, T0 + 2_000)) rows.push(row);
    expect(rows.map((r) => r.arrivalMs)).toEqual([T0 + 2_500, T0 + 2_500]);
    expect(rows.every((r) => r.firstWrittenMs !== undefined && r.firstWrittenMs <= r.lastMergedMs!)).toBe(
      true,
    );
  });

  it('writes bad records to a separate quarantine table when given one', async () => {
    const tableName = await createRowTable(dynamo.dynamodb, uniqueTableName('samples'));
    const quarantineTable = await createRowTable(dynamo.dynamodb, uniqueTableName('quarantine'));
    const handler = createHandler({
      store: new SampleStore({ client: dynamo.dynamodb, tableName }),
      quarantine: new Quarantine({ client: dynamo.dynamodb, tableName: quarantineTable }),
      logger: memoryLogger(),
      metrics: false,
    });
    const junk = kinesisRecord('junk');
    await handler(kinesisEvent([junk, kinesisRecord(jsonV1('w', makeSamples(T0, 5)))]), lambdaContext());
    expect((await scanTable(dynamo.dynamodb, tableName)).quarantine).toHaveLength(0);
    expect((await scanTable(dynamo.dynamodb, quarantineTable)).quarantine).toHaveLength(1);
  });
});
