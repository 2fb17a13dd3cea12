import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** Shard id of every {@link kinesisRecord} unless another is given. */
export const SHARD_ID = 'shardId-000000000000';
/** Stream ARN of every {@link kinesisRecord}. */
export const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/secondrow-test';

// Sequence numbers only have to increase over the records of one test process, as Kinesis's do per shard.
let lastSequence = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

function nextSequenceNumber(): string {
  lastSequence += 1_000_000n;
  return lastSequence.toString();
}

/** Options of {@link kinesisRecord}. */
export interface KinesisRecordOptions {
  /** Default: a fresh one (56 digits, like real ones), larger than every earlier default. */
  sequenceNumber?: string;
  /** Default: a random UUID. */
  partitionKey?: string;
  /** Arrival time in epoch ms; `null` leaves `approximateArrivalTimestamp` out. Default now. */
  arrivalMs?: number | null;
  /** Default {@link SHARD_ID}. */
  shardId?: string;
}

/**
 * One record as Lambda's Kinesis event source delivers it, with every field Lambda sends.
 *
 * @param data - The record's bytes (text as UTF-8), base64-encoded into `kinesis.data`.
 */
export function kinesisRecord(
  data: Uint8Array | string,
  options: KinesisRecordOptions = {},
): KinesisStreamRecord {
  const seq = options.sequenceNumber ?? nextSequenceNumber();
  const shardId = options.shardId ?? SHARD_ID;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  const kinesis: Record<string, unknown> = {
    kinesisSchemaVersion: '1.0',
    partitionKey: options.partitionKey ?? crypto.randomUUID(),
    sequenceNumber: seq,
    data: bytes.toString('base64'),
  };
  if (options.arrivalMs !== null)
    kinesis.approximateArrivalTimestamp = (options.arrivalMs ?? Date.now()) / 1000;
  return {
    kinesis: kinesis as unknown as KinesisStreamRecord['kinesis'],
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${seq}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/secondrow-consumer',
    awsRegion: 'us-east-1',
    eventSourceARN: STREAM_ARN,
  };
}

/** A Kinesis event holding `records`. */
export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

/**
 * The part of a Lambda context the consumer reads: `getRemainingTimeInMillis()` counts down (never below 0)
 * from `remainingMs` milliseconds, and a random `awsRequestId`. `@secondrow/local`'s `createLambdaContext`
 * makes a full one.
 */
export function lambdaContext(remainingMs = 60_000): {
  getRemainingTimeInMillis: () => number;
  awsRequestId: string;
} {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()), awsRequestId: crypto.randomUUID() };
}
