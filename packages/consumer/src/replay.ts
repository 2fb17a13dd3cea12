import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { OptionError, ReplayError } from './errors.js';

/**
 * The batch a Kinesis event source mapping gave up on, as Lambda describes it in the `KinesisBatchInfo`
 * of the message it sends to the mapping's on-failure destination (SQS queue or SNS topic).
 */
export interface KinesisBatchInfo {
  /** Shard the batch came from, e.g. `shardId-000000000001`. */
  shardId: string;
  /** Sequence number of the batch's first record. */
  startSequenceNumber: string;
  /** Sequence number of the batch's last record. */
  endSequenceNumber: string;
  /** Number of records in the batch. */
  batchSize: number;
  /** ARN of the stream, `arn:aws:kinesis:<region>:<account>:stream/<name>`. */
  streamArn: string;
  /** Arrival of the first record (ISO 8601), when the message gives it. */
  approximateArrivalOfFirstRecord?: string | undefined;
  /** Arrival of the last record (ISO 8601), when the message gives it. */
  approximateArrivalOfLastRecord?: string | undefined;
}

/** A function that processes one Kinesis event, such as the consumer's handler. */
export type ReplayHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

/** Dependencies of {@link replayFailedBatch}. */
export interface ReplayDeps {
  /** Kinesis client of the stream (for a local endpoint, one with `NodeHttpHandler`). */
  kinesis: KinesisClient;
  /** Processes the records again, e.g. `createHandler(...)`: the store converges, so a replay is idempotent. */
  handler: ReplayHandler;
  /** Records per `GetRecords` call. Default 1000. */
  pageSize?: number;
  /** Wait between `GetRecords` calls that return nothing yet, ms. Default 200. */
  pollMs?: number;
  /** Empty pages in a row after which the end is taken as unreachable. Default 20. */
  maxEmptyPages?: number;
  /** Waits `ms` milliseconds; injectable for tests. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** What {@link replayFailedBatch} did. */
export interface ReplayResult {
  /** The batch replayed. */
  info: KinesisBatchInfo;
  /** Records read back and processed (those from `startSequenceNumber` to `endSequenceNumber`). */
  records: number;
  /**
   * True when the batch's first records are gone (the first record read back comes after
   * `startSequenceNumber`): they are past the stream's retention and could not be replayed.
   */
  trimmed: boolean;
  /** True when reading stopped before `endSequenceNumber` was reached (closed shard or nothing more to read). */
  incomplete: boolean;
  /** Sequence numbers the handler still failed; replaying again may store them. */
  batchItemFailures: { itemIdentifier: string }[];
}

const TRIMMED_ERRORS = new Set(['ExpiredIteratorException', 'TrimmedDataAccessException']);

/**
 * Reads the message Lambda sends to a Kinesis event source mapping's on-failure destination and returns
 * its `KinesisBatchInfo`. Accepts the message itself, an SQS message (`Body`/`body` holding it) and an
 * SNS notification (`Message`, or `Sns.Message` in a Lambda SNS event record holding it).
 *
 * @param message - The parsed JSON (or its text).
 * @returns The batch description.
 * @throws {@link OptionError} (`option: 'message'`) naming what is missing or malformed.
 * @example
 * ```ts
 * const info = parseFailureMessage(JSON.parse(sqsMessage.Body));
 * ```
 */
export function parseFailureMessage(message: unknown): KinesisBatchInfo {
  let value = message;
  for (let depth = 0; depth < 4; depth++) {
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch (error) {
        throw new OptionError('message', `on-failure message is not JSON: ${(error as Error).message}`, {
          cause: error,
        });
      }
      continue;
    }
    if (!isRecord(value)) break;
    if ('KinesisBatchInfo' in value) break;
    const inner =
      value.Body ?? value.body ?? value.Message ?? (isRecord(value.Sns) ? value.Sns.Message : undefined);
    if (inner === undefined) break;
    value = inner;
  }
  if (!isRecord(value) || !isRecord(value.KinesisBatchInfo)) {
    throw new OptionError(
      'message',
      'on-failure message has no KinesisBatchInfo object (is it from a Kinesis event source mapping?)',
    );
  }
  const info = value.KinesisBatchInfo;
  const text = (field: string, pattern: RegExp): string => {
    const v = info[field];
    if (typeof v !== 'string' || !pattern.test(v)) {
      throw new OptionError(
        'message',
        `KinesisBatchInfo.${field} is missing or malformed: ${JSON.stringify(v)}`,
      );
    }
    return v;
  };
  const sequence = /^\d{1,128}$/;
  const shardId = text('shardId', /^[\w.-]{1,128}$/);
  const startSequenceNumber = text('startSequenceNumber', sequence);
  const endSequenceNumber = text('endSequenceNumber', sequence);
  const streamArn = text('streamArn', /^arn:[\w-]+:kinesis:[\w-]*:\d*:stream\/[\w.-]+$/);
  const batchSize = info.batchSize;
  if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new OptionError(
      'message',
      `KinesisBatchInfo.batchSize must be a positive integer, got ${JSON.stringify(batchSize)}`,
    );
  }
  if (BigInt(endSequenceNumber) < BigInt(startSequenceNumber)) {
    throw new OptionError('message', 'KinesisBatchInfo.endSequenceNumber comes before startSequenceNumber');
  }
  const optional = (field: string): string | undefined =>
    typeof info[field] === 'string' ? (info[field] as string) : undefined;
  return {
    shardId,
    startSequenceNumber,
    endSequenceNumber,
    batchSize,
    streamArn,
    approximateArrivalOfFirstRecord: optional('approximateArrivalOfFirstRecord'),
    approximateArrivalOfLastRecord: optional('approximateArrivalOfLastRecord'),
  };
}

/**
 * Replays a batch the event source mapping gave up on: reads its records back from the shard
 * (`GetShardIterator` `AT_SEQUENCE_NUMBER` at `startSequenceNumber`, then `GetRecords` until past
 * `endSequenceNumber`) and hands them to `handler` as Kinesis events of at most `batchSize` records,
 * built as Lambda builds them. The store merges samples into exactly their union and the quarantine is
 * first-wins, so replaying a batch again, or one that was partly stored, converges to the same table.
 *
 * @param info - The batch, e.g. from {@link parseFailureMessage}.
 * @param deps - Kinesis client and handler.
 * @returns What was replayed; `trimmed` says the batch's first records are past the stream's retention.
 * @throws {@link ReplayError} `RECORDS_TRIMMED` when Kinesis says the records are gone
 *   (`TrimmedDataAccessException`, `ExpiredIteratorException`), `REPLAY_FAILED` on any other Kinesis error.
 * @throws {@link OptionError} when `info` or a numeric option is invalid.
 * @example
 * ```ts
 * const result = await replayFailedBatch(parseFailureMessage(body), { kinesis, handler });
 * if (result.trimmed || result.batchItemFailures.length > 0) console.error('not everything was replayed');
 * ```
 */
export async function replayFailedBatch(info: KinesisBatchInfo, deps: ReplayDeps): Promise<ReplayResult> {
  const pageSize = positiveInteger('pageSize', deps.pageSize ?? 1000, 10_000);
  const pollMs = positiveInteger('pollMs', deps.pollMs ?? 200, 60_000);
  const maxEmptyPages = positiveInteger('maxEmptyPages', deps.maxEmptyPages ?? 20, 10_000);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { streamName, region } = parseStreamArn(info.streamArn);
  const start = BigInt(info.startSequenceNumber);
  const end = BigInt(info.endSequenceNumber);

  const read: KinesisStreamRecord[] = [];
  let trimmed = false;
  let reachedEnd = false;
  let iterator = await kinesisCall(info, () =>
    deps.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: info.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: info.startSequenceNumber,
      }),
    ),
  ).then((out) => out.ShardIterator);
  let emptyPages = 0;
  while (iterator !== undefined && !reachedEnd) {
    const current = iterator;
    const page: GetRecordsCommandOutput = await kinesisCall(info, () =>
      deps.kinesis.send(new GetRecordsCommand({ ShardIterator: current, Limit: pageSize })),
    );
    const records = page.Records ?? [];
    for (const record of records) {
      const sequence = BigInt(record.SequenceNumber ?? '0');
      if (read.length === 0 && sequence > start) trimmed = true;
      if (sequence > end) {
        reachedEnd = true;
        break;
      }
      read.push(lambdaRecord(record, info, region));
      if (sequence === end) reachedEnd = true;
    }
    iterator = page.NextShardIterator ?? undefined;
    if (records.length > 0) emptyPages = 0;
    else if (++emptyPages >= maxEmptyPages || page.MillisBehindLatest === 0) break;
    else await sleep(pollMs);
  }

  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (let i = 0; i < read.length; i += info.batchSize) {
    const response = await deps.handler({ Records: read.slice(i, i + info.batchSize) });
    batchItemFailures.push(...(response?.batchItemFailures ?? []));
  }
  return { info, records: read.length, trimmed, incomplete: !reachedEnd, batchItemFailures };
}

/** A record as Lambda's Kinesis event source delivers it. */
function lambdaRecord(
  record: NonNullable<GetRecordsCommandOutput['Records']>[number],
  info: KinesisBatchInfo,
  region: string,
): KinesisStreamRecord {
  const sequenceNumber = record.SequenceNumber ?? '';
  const arrival = record.ApproximateArrivalTimestamp;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: arrival === undefined ? 0 : arrival.getTime() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${info.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: '',
    awsRegion: region,
    eventSourceARN: info.streamArn,
  };
}

async function kinesisCall<T>(info: KinesisBatchInfo, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: unknown } | undefined)?.name;
    const where = `${info.shardId} from ${info.startSequenceNumber}`;
    if (typeof name === 'string' && TRIMMED_ERRORS.has(name)) {
      throw new ReplayError(
        'RECORDS_TRIMMED',
        `records of ${where} are past the stream's retention (${name})`,
        {
          cause: error,
        },
      );
    }
    throw new ReplayError(
      'REPLAY_FAILED',
      `could not read ${where}: ${(error as Error)?.message ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
}

function parseStreamArn(arn: string): { streamName: string; region: string } {
  const match = /^arn:[\w-]+:kinesis:([\w-]*):\d*:stream\/([\w.-]+)$/.exec(arn);
  if (match === null) throw new OptionError('streamArn', `not a Kinesis stream ARN: ${arn}`);
  return { region: match[1] ?? '', streamName: match[2] ?? '' };
}

function positiveInteger(name: string, value: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new OptionError(name, `${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
