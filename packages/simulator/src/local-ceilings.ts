import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { packRows, toItem } from '@secondrow/codec';
import { createTable } from '@secondrow/codec/dynamodb';
import { Prng } from '@secondrow/devkit';
import { createStream } from '@secondrow/local';
import { deviceId } from './device-id.js';
import { SimulatorError } from './errors.js';
import { createMotionSource } from './motion-model.js';
import { encodeProducerRecord, type ProducerFormat } from './producer-formats.js';
import { toCodecGrid } from './quantize.js';

/** Raw write rates of the local servers, measured with short bounded bursts. */
export interface LocalCeilings {
  /** PutRecords into kinesalite: records per second, and the samples per second they carry. */
  kinesis: { records: number; recordsPerSecond: number; samplesPerSecond: number; seconds: number };
  /** BatchWriteItem into dynalite: row items per second, and the samples per second they carry. */
  dynamodb: { items: number; itemsPerSecond: number; samplesPerSecond: number; seconds: number };
}

/** Options of {@link measureLocalCeilings}. */
export interface CeilingOptions {
  kinesis: KinesisClient;
  dynamodb: DynamoDBClient;
  /** Format of the records of the Kinesis burst (as in the run). */
  format: ProducerFormat;
  /** Length of each burst, ms. Default 1500. */
  burstMs?: number;
  /** Calls in flight at once. Default 4. */
  concurrency?: number;
}

/**
 * Measures how fast kinesalite accepts PutRecords (100 records of 200 samples per call) and dynalite
 * accepts BatchWriteItem (25 one-second rows of 50 samples per call), each with a short burst on a
 * stream and table of its own, so the demo can show how close the pipeline runs to its servers.
 */
export async function measureLocalCeilings(options: CeilingOptions): Promise<LocalCeilings> {
  const burstMs = options.burstMs ?? 1500;
  const concurrency = options.concurrency ?? 4;
  const id = deviceId('ceiling', 0);
  const source = createMotionSource({
    activity: 'walk',
    rateHz: 50,
    startMs: 1_700_000_000_000,
    prng: new Prng('ceiling'),
  });
  const samples = Array.from({ length: 200 }, () => {
    const s = source.next();
    return { t: s.t, x: toCodecGrid(s.x), y: toCodecGrid(s.y), z: toCodecGrid(s.z) };
  });

  const streamName = `ceiling-${Date.now()}`;
  await createStream(options.kinesis, streamName, 4);
  const record = encodeProducerRecord(
    options.format,
    { deviceId: id, seq: 0, samples, handedAtMs: 1_700_000_004_000 },
    { batchId: '0', sentAt: 1_700_000_004_000, utcOffsetMinutes: 0, prng: new Prng('ceiling-keys') },
  );
  const prng = new Prng('ceiling-partitions');
  const kinesis = await burst(burstMs, concurrency, async () => {
    const records = Array.from({ length: 100 }, () => ({ Data: record.data, PartitionKey: prng.uuidV4() }));
    const out = await options.kinesis.send(
      new PutRecordsCommand({ StreamName: streamName, Records: records }),
    );
    return records.length - (out.FailedRecordCount ?? 0);
  });

  const tableName = `ceiling-${Date.now()}`;
  await createTable(options.dynamodb, tableName);
  const row = packRows(samples.slice(0, 50).map((s, i) => ({ ...s, t: 1_700_000_000_000 + i * 20 })))[0];
  if (row === undefined) throw new SimulatorError('SETUP_FAILED', 'the ceiling probe could not pack a row');
  let next = 0;
  const dynamodb = await burst(burstMs, concurrency, async () => {
    let requests: WriteRequest[] = Array.from({ length: 25 }, () => {
      // A new device per item: every put creates an item, as the demo's rows mostly do.
      const item = toItem(`ceiling-${next++}`, row);
      return { PutRequest: { Item: item as NonNullable<WriteRequest['PutRequest']>['Item'] } };
    });
    let written = 0;
    for (let attempt = 0; requests.length > 0 && attempt < 5; attempt++) {
      const out = await options.dynamodb.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      const unprocessed = out.UnprocessedItems?.[tableName] ?? [];
      written += requests.length - unprocessed.length;
      requests = unprocessed;
    }
    return written;
  });
  return {
    kinesis: {
      records: kinesis.count,
      recordsPerSecond: kinesis.count / kinesis.seconds,
      samplesPerSecond: (kinesis.count * samples.length) / kinesis.seconds,
      seconds: kinesis.seconds,
    },
    dynamodb: {
      items: dynamodb.count,
      itemsPerSecond: dynamodb.count / dynamodb.seconds,
      samplesPerSecond: (dynamodb.count * row.samples.length) / dynamodb.seconds,
      seconds: dynamodb.seconds,
    },
  };
}

/** Runs `call` from `concurrency` loops until `ms` have passed; sums what the calls return. */
async function burst(
  ms: number,
  concurrency: number,
  call: () => Promise<number>,
): Promise<{ count: number; seconds: number }> {
  const start = performance.now();
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - start < ms) count += await call();
    }),
  );
  return { count, seconds: (performance.now() - start) / 1000 };
}
