import { randomUUID } from 'node:crypto';
import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { InvalidRecordError } from './errors.js';

/** Where the records of one event come from, as Lambda reports it in every record. */
export interface EventSourceInfo {
  /** ARN of the stream (`eventSourceARN`). */
  streamArn: string;
  /** Region of the stream (`awsRegion`). */
  region: string;
  /** ARN of the role Lambda reads the stream with (`invokeIdentityArn`). */
  invokeIdentityArn: string;
}

/**
 * Converts one record returned by `GetRecords` into the record Lambda's Kinesis event source passes
 * to a function: data base64-encoded, arrival time in epoch seconds with a fraction, `eventID`
 * `shardId:sequenceNumber`.
 *
 * @param record - A record from `GetRecords`.
 * @param shardId - The shard it was read from.
 * @param source - Stream ARN, region and role.
 * @returns The Lambda event record.
 * @throws {InvalidRecordError} when the record lacks its sequence number, partition key or data.
 * @example
 * const event = { Records: records.map((r) => toLambdaRecord(r, shardId, source)) };
 */
export function toLambdaRecord(
  record: KinesisRecord,
  shardId: string,
  source: EventSourceInfo,
): KinesisStreamRecord {
  const { SequenceNumber: sequenceNumber, PartitionKey: partitionKey, Data: data } = record;
  if (sequenceNumber === undefined || partitionKey === undefined || data === undefined) {
    throw new InvalidRecordError(`record of shard ${shardId} lacks SequenceNumber, PartitionKey or Data`);
  }
  const arrivalMs = record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber,
      data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
      approximateArrivalTimestamp: arrivalMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: source.invokeIdentityArn,
    awsRegion: source.region,
    eventSourceARN: source.streamArn,
  };
}

/**
 * Wraps Lambda event records into the event object a Kinesis-triggered function receives.
 *
 * @param records - Records of one shard, in sequence order.
 * @returns `{ Records: records }`.
 */
export function toKinesisEvent(records: readonly KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: [...records] };
}

/** Options of {@link createLambdaContext}. */
export interface LambdaContextOptions {
  /** Function name. Default `secondrow-consumer-local`. */
  functionName?: string;
  /** Function version. Default `$LATEST`. */
  functionVersion?: string;
  /** Memory size in MB, reported as a string as Lambda does. Default 256. */
  memoryLimitInMB?: number;
  /** Invocation timeout in milliseconds; `getRemainingTimeInMillis()` counts down from it. Default 60 000. */
  timeoutMs?: number;
  /** Region for the function ARN. Default `us-east-1`. */
  region?: string;
  /** Account id for the function ARN. Default `000000000000`. */
  accountId?: string;
  /** Request id. Default a random UUID. */
  awsRequestId?: string;
  /** Start of the invocation, epoch milliseconds. Default now. */
  startedAtMs?: number;
}

/**
 * Creates a Lambda-like `Context` for one invocation: names, ARN, log group and a
 * `getRemainingTimeInMillis()` that counts down from the configured timeout (never below 0).
 * The deprecated `done`/`fail`/`succeed` callbacks are accepted and ignored.
 *
 * @param options - Function settings; every field has a default.
 * @returns A fresh context.
 * @example
 * const context = createLambdaContext({ timeoutMs: 60_000, memoryLimitInMB: 256 });
 */
export function createLambdaContext(options: LambdaContextOptions = {}): Context {
  const functionName = options.functionName ?? 'secondrow-consumer-local';
  const functionVersion = options.functionVersion ?? '$LATEST';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const deadlineMs = (options.startedAtMs ?? Date.now()) + (options.timeoutMs ?? 60_000);
  const awsRequestId = options.awsRequestId ?? randomUUID();
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const ignore = (): void => {};
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 256),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[${functionVersion}]${awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    done: ignore,
    fail: ignore,
    succeed: ignore,
  };
}
