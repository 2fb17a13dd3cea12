import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

export const SHARD_ID = 'shardId-000000000000';
export const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/secondrow-test';

let nextSequence = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

/** A fresh, increasing Kinesis sequence number (56 digits, like real ones). */
export function sequenceNumber(): string {
  nextSequence += 1_000_000n;
  return nextSequence.toString();
}

/** Options of {@link kinesisRecord}. */
export interface RecordOptions {
  sequenceNumber?: string;
  partitionKey?: string;
  /** Arrival time in epoch ms; `null` leaves `approximateArrivalTimestamp` out. */
  arrivalMs?: number | null;
  shardId?: string;
}

/** One record as Lambda's Kinesis event source delivers it, with every field Lambda sends. */
export function kinesisRecord(data: Uint8Array | string, options: RecordOptions = {}): KinesisStreamRecord {
  const seq = options.sequenceNumber ?? sequenceNumber();
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

/** A Lambda context whose remaining time counts down from `remainingMs`. */
export function lambdaContext(remainingMs = 60_000): {
  getRemainingTimeInMillis: () => number;
  awsRequestId: string;
} {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()), awsRequestId: crypto.randomUUID() };
}

/** Sequence numbers of `records`, for comparing with `batchItemFailures`. */
export function sequenceNumbersOf(records: readonly KinesisStreamRecord[]): string[] {
  return records.map((r) => r.kinesis.sequenceNumber);
}
