import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  type _Record as KinesisRecord,
  ListShardsCommand,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { type Clock, systemClock } from '@secondrow/codec';
import { EVENT_SOURCE_MAPPING } from '@secondrow/consumer';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { HandlerResponseError, HandlerTimeoutError, LocalOptionError } from './errors.js';
import { createLambdaContext, type EventSourceInfo, toKinesisEvent, toLambdaRecord } from './lambda-event.js';

/** A Kinesis-triggered Lambda handler as the runner calls it (async style, no callback). */
export type KinesisHandler = (
  event: KinesisStreamEvent,
  context: Context,
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers that return nothing are typed `Promise<void>`.
) => Promise<KinesisStreamBatchResponse | void>;

/** Where reading starts in each shard that has no parent, as in the event source mapping. */
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** What the runner tells `onInvoke` after each invocation. */
export interface InvocationInfo {
  shardId: string;
  /** `awsRequestId` of the invocation's context. */
  requestId: string;
  /** Records in the event. */
  records: number;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  /** Retries of this batch before this invocation (0 for the first delivery). */
  retries: number;
  /** Wall-clock duration of the handler call, in milliseconds. */
  durationMs: number;
  /** `success`: checkpoint after the batch; `partial`: valid `batchItemFailures`; `error`: whole batch failed. */
  outcome: 'success' | 'partial' | 'error';
  /** The thrown error, the timeout, or the reason a response counted as a whole-batch failure. */
  error?: unknown;
  /** Lowest sequence number reported in `batchItemFailures`, for `partial`. */
  failedSequenceNumber?: string;
}

/**
 * Records the runner gave up on, as the on-failure record Lambda sends to an SQS or SNS destination: metadata
 * only (`requestContext`, `responseContext`, `KinesisBatchInfo`), no record data. The consumer's
 * `parseFailureMessage` reads it and `replayFailedBatch` re-reads the records from the stream while they are
 * within its retention.
 */
export interface DiscardedBatch {
  version: '1.0';
  /** When the records were discarded, ISO 8601. */
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    /** Invocations that included these records. */
    approximateInvokeCount: number;
  };
  /** The last invocation's outcome; absent when the records were never invoked (too old on arrival). */
  responseContext?: {
    /** 200: the invoke call itself succeeded; the function's failure is in `functionError`. */
    statusCode: 200;
    executedVersion: '$LATEST';
    /** `Unhandled` when the function threw or timed out; absent when it reported `batchItemFailures`. */
    functionError?: 'Unhandled';
  };
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    /** ISO 8601. */
    approximateArrivalOfFirstRecord: string;
    /** ISO 8601. */
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

/**
 * Receives a discarded batch: its on-failure record, plus (for tests and logs; Lambda does not send them) the
 * records as the handler saw them and the last function error.
 */
export type DiscardCallback = (
  batch: DiscardedBatch,
  records: KinesisStreamRecord[],
  lastError: unknown,
) => void | Promise<void>;

/** Settings of the simulated function, used for its `Context`. */
export interface RunnerFunctionOptions {
  /** Default `secondrow-consumer-local`. */
  functionName?: string;
  /** Default 256. */
  memoryLimitInMB?: number;
  /** Invocation timeout in milliseconds; a handler still running then is a failed invocation. Default 60 000. */
  timeoutMs?: number;
  /** Account id in ARNs. Default `000000000000`. */
  accountId?: string;
}

/**
 * Options of {@link runEventSource}; names follow the Lambda event source mapping and the mapping settings
 * default to the consumer's `EVENT_SOURCE_MAPPING` (what the stack deploys), so a local run behaves like AWS.
 */
export interface RunEventSourceOptions {
  kinesis: KinesisClient;
  streamName: string;
  handler: KinesisHandler;
  /** Maximum records per invocation, 1..10 000. Default `EVENT_SOURCE_MAPPING.batchSize` (500). */
  batchSize?: number;
  /**
   * How long to gather records before invoking, in milliseconds (0..300 000). Default
   * `EVENT_SOURCE_MAPPING.batchingWindowSeconds` (1 s).
   */
  batchingWindowMs?: number;
  /** Split a failed batch in halves before retrying; splitting uses no retry. Default true (the mapping's). */
  bisectBatchOnFunctionError?: boolean;
  /** Retries of a failed batch before its records are discarded; -1 = until they expire. Default -1 (the mapping's). */
  maximumRetryAttempts?: number;
  /**
   * Records older than this, in seconds, are discarded instead of invoked; -1 = never. Default
   * `EVENT_SOURCE_MAPPING.maximumRecordAgeSeconds` (6 days).
   */
  maximumRecordAgeSeconds?: number;
  /** Honour `batchItemFailures` (FunctionResponseTypes ReportBatchItemFailures). Default true. */
  reportBatchItemFailures?: boolean;
  /** Default `TRIM_HORIZON`. */
  startingPosition?: StartingPosition;
  /** Required with `AT_TIMESTAMP`. */
  startingPositionTimestamp?: Date;
  /** Return after this long without new records or pending work, in milliseconds. Default 2 000; `Infinity` to follow. */
  stopWhenIdleMs?: number;
  /** Return once this many records were checkpointed (succeeded or discarded). */
  untilRecords?: number;
  /** Stops the runner; an invocation in progress completes first. */
  signal?: AbortSignal;
  /** Pause between `GetRecords` calls that returned nothing, in milliseconds. Default 200 (Lambda: ~1 000). */
  pollIntervalMs?: number;
  /**
   * Pause before the first retry of a failed batch, in milliseconds (0..3 600 000); each further failure in a
   * row doubles it up to `retryMaxDelayMs`, and an invocation that succeeds resets it. Default 1 000.
   *
   * Lambda backs off between retries of a failing stream batch but publishes no schedule. One second is its
   * polling cadence; doubling means a sustained outage (DynamoDB throttling every write) costs a bounded number
   * of invocations per minute instead of hammering the table; the cap keeps recovery within a few tens of
   * seconds once the outage ends. No jitter: each shard retries on its own clock, and a deterministic schedule
   * keeps tests exact.
   */
  retryBaseDelayMs?: number;
  /** Longest pause between retries, in milliseconds (>= `retryBaseDelayMs`). Default 30 000. */
  retryMaxDelayMs?: number;
  /** Time source of record ages, windows, idle checks and every pause. Default the codec's `systemClock`. */
  clock?: Clock;
  /** Maximum event size (sum of base64 data plus per-record overhead), in bytes. Default 6 MiB, Lambda's limit. */
  maxPayloadBytes?: number;
  /** Function settings for the context. */
  function?: RunnerFunctionOptions;
  /** `invokeIdentityArn` of every record. Default a role ARN in the configured account. */
  invokeIdentityArn?: string;
  /** Called after every invocation. */
  onInvoke?: (info: InvocationInfo) => void;
  /**
   * On-failure records of discarded batches go here: pushed onto an array, or passed to a callback with the
   * records themselves (awaited; a throw stops the run). They count in `RunnerStats.discarded` either way.
   */
  onDiscard?: DiscardedBatch[] | DiscardCallback;
}

/** Counters of one run. */
export interface RunnerStats {
  /** Shards read (including children found after a split or merge). */
  shards: number;
  /** Handler calls. */
  invocations: number;
  /** Invocations that threw, timed out, or reported failures. */
  failedInvocations: number;
  /** Records checkpointed as processed (each counted once). */
  records: number;
  /** Records delivered to the handler, redeliveries included. */
  recordsDelivered: number;
  /** Re-invocations of a failed batch or of the part after its lowest failed record. */
  retries: number;
  /** Milliseconds spent backing off before retries, summed over shards. */
  backoffMs: number;
  /** Failed batches split in halves. */
  bisections: number;
  /** Records discarded after retries were exhausted or they grew too old. */
  discarded: number;
  /** Duration of each invocation in order of completion, milliseconds. */
  durationsMs: number[];
  /** Why the run ended. */
  stoppedBy: 'idle' | 'aborted' | 'untilRecords' | 'shardsClosed';
}

/** Payload bytes Lambda's envelope adds per record (field names, ARNs, ids), estimated. */
const RECORD_OVERHEAD_BYTES = 512;
/** Records one GetRecords call may return. */
const GET_RECORDS_LIMIT = 10_000;

interface Batch {
  records: KinesisRecord[];
  /** Retries already spent on these records. */
  retries: number;
  /** Invocations that included these records. */
  invokeCount: number;
  /** A retry after a failure (backed off first), not a new batch or half of a bisected one. */
  isRetry: boolean;
  lastError?: unknown;
  /** How the last invocation failed: thrown or timed out (`error`), or reported failures (`partial`). */
  lastOutcome?: InvocationInfo['outcome'];
}

interface Settings {
  batchSize: number;
  batchingWindowMs: number;
  bisect: boolean;
  maximumRetryAttempts: number;
  maximumRecordAgeSeconds: number;
  reportBatchItemFailures: boolean;
  startingPosition: StartingPosition;
  startingPositionTimestamp: Date | undefined;
  stopWhenIdleMs: number;
  untilRecords: number;
  pollIntervalMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  maxPayloadBytes: number;
  clock: Clock;
  functionName: string;
  memoryLimitInMB: number;
  timeoutMs: number;
  accountId: string;
}

/**
 * Reads a Kinesis stream the way Lambda's event source mapping does and invokes `handler` with
 * Lambda-shaped events: one invocation at a time per shard (ParallelizationFactor 1), shards in
 * parallel, records in sequence order, children of a split or merge after their parents.
 *
 * A batch fails when the handler throws, times out, or returns `batchItemFailures` (with
 * `reportBatchItemFailures`). With valid identifiers the records before the lowest failed sequence
 * number are checkpointed and the rest is retried; an empty, missing or unknown identifier fails the
 * whole batch. With `bisectBatchOnFunctionError` a whole-batch failure splits the batch in halves, using
 * no retry. After `maximumRetryAttempts` retries, or when records are older than
 * `maximumRecordAgeSeconds`, they go to `onDiscard` and the shard moves on.
 *
 * Works against kinesalite or real Kinesis alike. The runner keeps its checkpoints in memory only.
 *
 * @param options - Stream, handler and mapping settings.
 * @returns Counters of the run, once idle, aborted, `untilRecords` reached or every shard closed.
 * @throws {LocalOptionError} for an option outside the mapping's limits.
 * @throws The Kinesis client's own errors (other than throttling and expired iterators), or what `onDiscard` throws.
 * @example
 * const stats = await runEventSource({ kinesis: aws.kinesis, streamName: 'samples', handler, batchSize: 500 });
 */
export async function runEventSource(options: RunEventSourceOptions): Promise<RunnerStats> {
  const settings = resolveRunnerSettings(options);
  const { kinesis, streamName } = options;
  const stop = new AbortController();
  const stats: RunnerStats = {
    shards: 0,
    invocations: 0,
    failedInvocations: 0,
    records: 0,
    recordsDelivered: 0,
    retries: 0,
    backoffMs: 0,
    bisections: 0,
    discarded: 0,
    durationsMs: [],
    stoppedBy: 'idle',
  };
  const onUserAbort = (): void => {
    if (stop.signal.aborted) return;
    stats.stoppedBy = 'aborted';
    stop.abort('aborted');
  };
  if (options.signal?.aborted) onUserAbort();
  options.signal?.addEventListener('abort', onUserAbort, { once: true });

  try {
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    const streamArn = summary.StreamDescriptionSummary?.StreamARN ?? `arn:aws:kinesis:::stream/${streamName}`;
    const region = (await kinesis.config.region()) ?? 'us-east-1';
    const source: EventSourceInfo = {
      streamArn,
      region,
      invokeIdentityArn:
        options.invokeIdentityArn ?? `arn:aws:iam::${settings.accountId}:role/${settings.functionName}-role`,
    };
    const run = new Run(options, settings, source, stats, stop);
    await run.execute();
  } finally {
    options.signal?.removeEventListener('abort', onUserAbort);
  }
  return stats;
}

/**
 * Checks the options of {@link runEventSource} and fills in the defaults, without starting anything: what
 * the runner CLI calls before any work.
 *
 * @throws {LocalOptionError} naming the first option outside the mapping's limits.
 */
export function checkRunEventSourceOptions(
  options: Omit<RunEventSourceOptions, 'kinesis' | 'streamName' | 'handler'>,
): void {
  resolveRunnerSettings(options);
}

function resolveRunnerSettings(
  options: Omit<RunEventSourceOptions, 'kinesis' | 'streamName' | 'handler'>,
): Settings {
  const mapping = EVENT_SOURCE_MAPPING;
  const batchSize = options.batchSize ?? mapping.batchSize;
  checkInteger('batchSize', batchSize, 1, 10_000);
  const batchingWindowMs = options.batchingWindowMs ?? mapping.batchingWindowSeconds * 1000;
  checkInteger('batchingWindowMs', batchingWindowMs, 0, 300_000);
  const maximumRetryAttempts = options.maximumRetryAttempts ?? mapping.maximumRetryAttempts;
  checkInteger('maximumRetryAttempts', maximumRetryAttempts, -1, 10_000);
  const maximumRecordAgeSeconds = options.maximumRecordAgeSeconds ?? mapping.maximumRecordAgeSeconds;
  // Lambda accepts 60..604800; shorter ages are allowed here so tests need not wait a minute.
  if (
    maximumRecordAgeSeconds !== -1 &&
    !(maximumRecordAgeSeconds > 0 && maximumRecordAgeSeconds <= 604_800)
  ) {
    throw new LocalOptionError(
      `maximumRecordAgeSeconds must be -1 or in (0, 604800], got ${maximumRecordAgeSeconds}`,
    );
  }
  const startingPosition = options.startingPosition ?? 'TRIM_HORIZON';
  if (startingPosition === 'AT_TIMESTAMP' && options.startingPositionTimestamp === undefined) {
    throw new LocalOptionError('startingPosition AT_TIMESTAMP needs startingPositionTimestamp');
  }
  const stopWhenIdleMs = options.stopWhenIdleMs ?? 2_000;
  if (!(stopWhenIdleMs >= 0))
    throw new LocalOptionError(`stopWhenIdleMs must be >= 0, got ${stopWhenIdleMs}`);
  const untilRecords = options.untilRecords ?? Number.POSITIVE_INFINITY;
  if (!(untilRecords >= 1)) throw new LocalOptionError(`untilRecords must be >= 1, got ${untilRecords}`);
  const timeoutMs = options.function?.timeoutMs ?? 60_000;
  checkInteger('function.timeoutMs', timeoutMs, 1, 900_000);
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  checkInteger('pollIntervalMs', pollIntervalMs, 1, 60_000);
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 1_000;
  checkInteger('retryBaseDelayMs', retryBaseDelayMs, 0, 3_600_000);
  const retryMaxDelayMs = options.retryMaxDelayMs ?? Math.max(30_000, retryBaseDelayMs);
  checkInteger('retryMaxDelayMs', retryMaxDelayMs, retryBaseDelayMs, 3_600_000);
  const maxPayloadBytes = options.maxPayloadBytes ?? 6 * 1024 * 1024;
  checkInteger('maxPayloadBytes', maxPayloadBytes, 1, Number.MAX_SAFE_INTEGER);
  return {
    batchSize,
    batchingWindowMs,
    bisect: options.bisectBatchOnFunctionError ?? mapping.bisectBatchOnFunctionError,
    maximumRetryAttempts,
    maximumRecordAgeSeconds,
    reportBatchItemFailures: options.reportBatchItemFailures ?? true,
    startingPosition,
    startingPositionTimestamp: options.startingPositionTimestamp,
    stopWhenIdleMs,
    untilRecords,
    pollIntervalMs,
    retryBaseDelayMs,
    retryMaxDelayMs,
    maxPayloadBytes,
    clock: options.clock ?? systemClock,
    functionName: options.function?.functionName ?? 'secondrow-consumer-local',
    memoryLimitInMB: options.function?.memoryLimitInMB ?? 256,
    timeoutMs,
    accountId: options.function?.accountId ?? '000000000000',
  };
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LocalOptionError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** State shared by the shard loops of one `runEventSource` call. */
class Run {
  private readonly started = new Map<string, Promise<void>>();
  private readonly finished = new Set<string>();
  private readonly idleShards = new Set<string>();
  private lastActivityMs: number;
  private failure: unknown;

  constructor(
    readonly options: RunEventSourceOptions,
    readonly settings: Settings,
    readonly source: EventSourceInfo,
    readonly stats: RunnerStats,
    readonly stop: AbortController,
  ) {
    this.lastActivityMs = settings.clock.now();
  }

  get stopped(): boolean {
    return this.stop.signal.aborted;
  }

  async execute(): Promise<void> {
    await this.startNewShards();
    const watcher = this.watchIdle();
    // Shard loops add children while running, so wait until the set stops growing.
    let settled = 0;
    while (settled < this.started.size) {
      settled = this.started.size;
      await Promise.allSettled([...this.started.values()]);
    }
    if (!this.stopped) this.halt('shardsClosed');
    await watcher;
    if (this.failure !== undefined) throw this.failure;
  }

  halt(reason: RunnerStats['stoppedBy']): void {
    if (this.stopped) return;
    this.stats.stoppedBy = reason;
    this.stop.abort(reason);
  }

  touch(): void {
    this.lastActivityMs = this.settings.clock.now();
  }

  /** Waits `ms` on the run's clock; returns early (never throws) when the run stops. */
  async pause(ms: number): Promise<void> {
    await this.settings.clock.sleep(ms, this.stop.signal).catch(() => {});
  }

  setIdle(shardId: string, idle: boolean): void {
    if (idle) this.idleShards.add(shardId);
    else this.idleShards.delete(shardId);
  }

  /** Lists the shards and starts a loop for each new one; children wait for their parents inside the loop. */
  async startNewShards(): Promise<void> {
    const shards = await listAllShards(this.options.kinesis, this.options.streamName, this.stop.signal);
    const known = new Set(shards.map((shard) => shard.ShardId));
    for (const shard of shards) {
      const shardId = shard.ShardId;
      if (shardId === undefined || this.started.has(shardId)) continue;
      // A parent past the retention period is no longer listed and cannot hold records back.
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter(
        (id): id is string => id !== undefined && known.has(id),
      );
      this.stats.shards += 1;
      const loop = new ShardLoop(this, shardId, parents.length > 0);
      this.started.set(
        shardId,
        this.waitForParents(parents)
          .then(() => loop.start())
          .catch((error: unknown) => {
            this.failure ??= error;
            this.halt('aborted');
          })
          .finally(() => {
            this.finished.add(shardId);
            this.setIdle(shardId, false);
          }),
      );
    }
  }

  private async waitForParents(parents: readonly string[]): Promise<void> {
    for (const parent of parents) await this.started.get(parent);
  }

  private async watchIdle(): Promise<void> {
    const tick = Math.min(this.settings.pollIntervalMs, 50);
    while (!this.stopped) {
      await this.pause(tick);
      // A clock whose sleep returns at once must not keep the other loops from running.
      await yieldToEventLoop();
      const active = this.started.size - this.finished.size;
      const allIdle = active > 0 && this.idleShards.size >= active;
      if (allIdle && this.settings.clock.now() - this.lastActivityMs >= this.settings.stopWhenIdleMs)
        this.halt('idle');
    }
  }

  countCheckpointed(records: number): void {
    this.stats.records += records;
    this.touch();
    if (this.stats.records + this.stats.discarded >= this.settings.untilRecords) this.halt('untilRecords');
  }

  async discard(
    shardId: string,
    batch: Batch,
    condition: DiscardedBatch['requestContext']['condition'],
  ): Promise<void> {
    const records = batch.records;
    const discarded = failureRecord(shardId, batch, condition, this.source, this.settings);
    this.stats.discarded += records.length;
    const target = this.options.onDiscard;
    if (Array.isArray(target)) target.push(discarded);
    else if (target !== undefined) {
      await target(
        discarded,
        records.map((record) => toLambdaRecord(record, shardId, this.source)),
        batch.lastError,
      );
    }
    this.touch();
    if (this.stats.records + this.stats.discarded >= this.settings.untilRecords) this.halt('untilRecords');
  }
}

/** One shard: reads into a buffer, cuts batches, invokes, retries; in order, one invocation at a time. */
class ShardLoop {
  private readonly buffer: KinesisRecord[] = [];
  /** Failed batches (or their remainders) to invoke before anything newer. */
  private readonly pending: Batch[] = [];
  private iterator: string | undefined;
  private lastFetchedSequence: string | undefined;
  private closed = false;
  private gatherStartedMs: number | undefined;
  /** Failed invocations in a row on this shard; sets the backoff, reset by a success. */
  private failureStreak = 0;

  constructor(
    private readonly owner: Run,
    private readonly shardId: string,
    private readonly isChild: boolean,
  ) {}

  async start(): Promise<void> {
    const { settings } = this.owner;
    this.iterator = await this.newIterator();
    while (!this.owner.stopped) {
      // Let timers and other shards run between invocations even when a handler fails at once and the
      // backoff is 0 (or the clock's sleep returns at once): a failing batch must not starve the process.
      await yieldToEventLoop();
      const retry = this.pending.shift();
      if (retry !== undefined) {
        if (retry.isRetry) {
          const delayMs = backoffDelayMs(settings, this.failureStreak);
          this.owner.stats.backoffMs += delayMs;
          if (delayMs > 0) await this.owner.pause(delayMs);
        }
        if (this.owner.stopped) break;
        await this.process(retry);
        continue;
      }
      let fetched = 0;
      if (this.buffer.length < settings.batchSize && !this.closed) fetched = await this.fetch();
      if (this.buffer.length === 0) {
        if (this.closed) break;
        this.owner.setIdle(this.shardId, true);
        await this.owner.pause(settings.pollIntervalMs);
        continue;
      }
      this.owner.setIdle(this.shardId, false);
      const now = settings.clock.now();
      this.gatherStartedMs ??= now;
      const windowLeftMs = this.gatherStartedMs + settings.batchingWindowMs - now;
      if (windowLeftMs > 0 && !this.closed && !this.batchIsFull()) {
        if (fetched === 0) await this.owner.pause(Math.min(settings.pollIntervalMs, windowLeftMs));
        continue;
      }
      const batch = this.takeBatch();
      this.gatherStartedMs = undefined;
      await this.process({ records: batch, retries: 0, invokeCount: 0, isRetry: false });
    }
    if (this.closed && !this.owner.stopped) await this.owner.startNewShards();
  }

  private batchIsFull(): boolean {
    const { batchSize, maxPayloadBytes } = this.owner.settings;
    if (this.buffer.length >= batchSize) return true;
    return payloadBytes(this.buffer) >= maxPayloadBytes;
  }

  private takeBatch(): KinesisRecord[] {
    const { batchSize, maxPayloadBytes } = this.owner.settings;
    let count = 0;
    let bytes = 0;
    for (const record of this.buffer) {
      const size = recordBytes(record);
      // One record always fits: Kinesis caps records at 1 MiB, well under the payload limit.
      if (count >= batchSize || (count > 0 && bytes + size > maxPayloadBytes)) break;
      bytes += size;
      count += 1;
    }
    return this.buffer.splice(0, count);
  }

  private async process(batch: Batch): Promise<void> {
    const { settings, stats } = this.owner;
    let records = batch.records;
    if (settings.maximumRecordAgeSeconds >= 0) {
      const now = settings.clock.now();
      const oldestAllowedMs = now - settings.maximumRecordAgeSeconds * 1000;
      const expired = records.filter((r) => arrivalMs(r, now) < oldestAllowedMs);
      if (expired.length > 0) {
        await this.owner.discard(this.shardId, { ...batch, records: expired }, 'RecordAgeExceeded');
        records = records.filter((r) => arrivalMs(r, now) >= oldestAllowedMs);
        if (records.length === 0) return;
      }
    }
    const current: Batch = { ...batch, records, invokeCount: batch.invokeCount + 1, isRetry: false };
    const result = await this.invoke(current);
    if (result.outcome === 'success') {
      this.failureStreak = 0;
      this.owner.countCheckpointed(records.length);
      return;
    }
    stats.failedInvocations += 1;
    this.failureStreak += 1;
    current.lastError = result.error;
    current.lastOutcome = result.outcome;
    if (result.outcome === 'partial') {
      const index = records.findIndex((r) => r.SequenceNumber === result.failedSequenceNumber);
      this.owner.countCheckpointed(index);
      const rest: Batch = { ...current, records: records.slice(index) };
      // Lambda bisects "at the returned sequence number": the remainder is retried as it is.
      await this.retryOrDiscard(rest);
      return;
    }
    if (settings.bisect && records.length > 1) {
      // Splitting does not use a retry; it ends at single records, whose retries do.
      const middle = Math.ceil(records.length / 2);
      stats.bisections += 1;
      this.pending.unshift(
        { ...current, records: records.slice(0, middle) },
        { ...current, records: records.slice(middle) },
      );
      return;
    }
    await this.retryOrDiscard(current);
  }

  private async retryOrDiscard(batch: Batch): Promise<void> {
    const { maximumRetryAttempts } = this.owner.settings;
    if (maximumRetryAttempts >= 0 && batch.retries >= maximumRetryAttempts) {
      await this.owner.discard(this.shardId, batch, 'RetryAttemptsExhausted');
      return;
    }
    this.owner.stats.retries += 1;
    this.pending.unshift({ ...batch, retries: batch.retries + 1, isRetry: true });
  }

  private async invoke(batch: Batch): Promise<{
    outcome: InvocationInfo['outcome'];
    error?: unknown;
    failedSequenceNumber?: string;
  }> {
    const { settings, stats, source, options } = this.owner;
    const events = batch.records.map((record) => toLambdaRecord(record, this.shardId, source));
    const startedAtMs = settings.clock.now();
    const context = createLambdaContext({
      functionName: settings.functionName,
      memoryLimitInMB: settings.memoryLimitInMB,
      timeoutMs: settings.timeoutMs,
      region: source.region,
      accountId: settings.accountId,
      startedAtMs,
    });
    const startedAt = performance.now();
    let result: { outcome: InvocationInfo['outcome']; error?: unknown; failedSequenceNumber?: string };
    try {
      const response = await withTimeout(
        options.handler(toKinesisEvent(events), context),
        settings.timeoutMs,
      );
      result = settings.reportBatchItemFailures
        ? interpretResponse(response as KinesisStreamBatchResponse | undefined, events)
        : { outcome: 'success' };
    } catch (error) {
      result = { outcome: 'error', error };
    }
    const durationMs = performance.now() - startedAt;
    stats.invocations += 1;
    stats.recordsDelivered += events.length;
    stats.durationsMs.push(durationMs);
    this.owner.touch();
    options.onInvoke?.({
      shardId: this.shardId,
      requestId: context.awsRequestId,
      records: events.length,
      firstSequenceNumber: events[0]?.kinesis.sequenceNumber ?? '',
      lastSequenceNumber: events[events.length - 1]?.kinesis.sequenceNumber ?? '',
      retries: batch.retries,
      durationMs,
      ...result,
    });
    return result;
  }

  private async newIterator(): Promise<string | undefined> {
    const { settings, options } = this.owner;
    let type: ShardIteratorType;
    if (this.lastFetchedSequence !== undefined) type = 'AFTER_SEQUENCE_NUMBER';
    else if (this.isChild) type = 'TRIM_HORIZON';
    else type = settings.startingPosition;
    const response = await withThrottleRetry(
      () =>
        options.kinesis.send(
          new GetShardIteratorCommand({
            StreamName: options.streamName,
            ShardId: this.shardId,
            ShardIteratorType: type,
            ...(type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: this.lastFetchedSequence } : {}),
            ...(type === 'AT_TIMESTAMP' ? { Timestamp: settings.startingPositionTimestamp } : {}),
          }),
          { abortSignal: this.owner.stop.signal },
        ),
      this.owner.stop.signal,
      settings.clock,
    );
    return response?.ShardIterator;
  }

  /** One GetRecords call; appends to the buffer and returns how many records came. */
  private async fetch(): Promise<number> {
    if (this.iterator === undefined) {
      this.closed = true;
      return 0;
    }
    const { options } = this.owner;
    const signal = this.owner.stop.signal;
    let response: GetRecordsCommandOutput | undefined;
    try {
      response = await withThrottleRetry(
        () =>
          options.kinesis.send(
            new GetRecordsCommand({ ShardIterator: this.iterator, Limit: GET_RECORDS_LIMIT }),
            {
              abortSignal: signal,
            },
          ),
        signal,
        this.owner.settings.clock,
      );
    } catch (error) {
      if (this.owner.stopped) return 0;
      if ((error as { name?: string }).name === 'ExpiredIteratorException') {
        this.iterator = await this.newIterator();
        return 0;
      }
      throw error;
    }
    if (response === undefined) return 0;
    const records = response.Records ?? [];
    this.buffer.push(...records);
    const last = records[records.length - 1];
    if (last?.SequenceNumber !== undefined) this.lastFetchedSequence = last.SequenceNumber;
    this.iterator = response.NextShardIterator;
    if (this.iterator === undefined) this.closed = true;
    if (records.length > 0) this.owner.touch();
    return records.length;
  }
}

/**
 * Reads a handler response the way Lambda does with ReportBatchItemFailures: no response or no
 * failures is success; an empty, missing or unknown identifier fails the whole batch; otherwise the
 * lowest failed sequence number in the batch is where the retry starts.
 */
function interpretResponse(
  response: KinesisStreamBatchResponse | undefined,
  events: readonly KinesisStreamRecord[],
): { outcome: InvocationInfo['outcome']; error?: unknown; failedSequenceNumber?: string } {
  const failures: unknown = response?.batchItemFailures;
  if (failures === undefined || failures === null) return { outcome: 'success' };
  if (!Array.isArray(failures)) {
    return { outcome: 'error', error: new HandlerResponseError('batchItemFailures is not an array') };
  }
  if (failures.length === 0) return { outcome: 'success' };
  const positions = new Map(events.map((event, index) => [event.kinesis.sequenceNumber, index]));
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id: unknown = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' && id !== '' ? positions.get(id) : undefined;
    if (index === undefined) {
      return {
        outcome: 'error',
        error: new HandlerResponseError(
          `batchItemFailures has an invalid itemIdentifier: ${JSON.stringify(id)}`,
        ),
      };
    }
    lowest = Math.min(lowest, index);
  }
  return { outcome: 'partial', failedSequenceNumber: events[lowest]!.kinesis.sequenceNumber };
}

async function listAllShards(
  kinesis: KinesisClient,
  streamName: string,
  signal: AbortSignal,
): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(
      new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }),
      { abortSignal: signal },
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return shards;
}

/** Retries Kinesis throttling (5 reads per second per shard) after a pause; `undefined` when stopped meanwhile. */
async function withThrottleRetry<T>(
  call: () => Promise<T>,
  signal: AbortSignal,
  clock: Clock,
): Promise<T | undefined> {
  for (let delayMs = 200; ; delayMs = Math.min(delayMs * 2, 5_000)) {
    try {
      return await call();
    } catch (error) {
      if (signal.aborted) return undefined;
      const name = (error as { name?: string }).name;
      if (name !== 'ProvisionedThroughputExceededException' && name !== 'LimitExceededException') throw error;
      await clock.sleep(delayMs, signal).catch(() => {});
    }
  }
}

/**
 * Pause before retrying after `streak` failed invocations in a row: `retryBaseDelayMs · 2^(streak − 1)`,
 * capped at `retryMaxDelayMs`; 0 before any failure.
 */
function backoffDelayMs(
  settings: Pick<Settings, 'retryBaseDelayMs' | 'retryMaxDelayMs'>,
  streak: number,
): number {
  if (streak <= 0) return 0;
  const exponent = Math.min(streak - 1, 52);
  return Math.min(settings.retryMaxDelayMs, settings.retryBaseDelayMs * 2 ** exponent);
}

/** The on-failure record Lambda sends to an SQS or SNS destination for `batch`. */
function failureRecord(
  shardId: string,
  batch: Batch,
  condition: DiscardedBatch['requestContext']['condition'],
  source: EventSourceInfo,
  settings: Settings,
): DiscardedBatch {
  const { records } = batch;
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const now = new Date(settings.clock.now());
  return {
    version: '1.0',
    timestamp: now.toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:${source.region}:${settings.accountId}:function:${settings.functionName}`,
      condition,
      approximateInvokeCount: batch.invokeCount,
    },
    ...(batch.invokeCount === 0
      ? {}
      : {
          responseContext: {
            statusCode: 200 as const,
            executedVersion: '$LATEST' as const,
            ...(batch.lastOutcome === 'error' ? { functionError: 'Unhandled' as const } : {}),
          },
        }),
    KinesisBatchInfo: {
      shardId,
      startSequenceNumber: first.SequenceNumber ?? '',
      endSequenceNumber: last.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: (first.ApproximateArrivalTimestamp ?? now).toISOString(),
      approximateArrivalOfLastRecord: (last.ApproximateArrivalTimestamp ?? now).toISOString(),
      batchSize: records.length,
      streamArn: source.streamArn,
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HandlerTimeoutError(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)),
      timeoutMs,
    );
  });
  // A handler that settles after its timeout must not surface as an unhandled rejection.
  promise.catch(() => {});
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function arrivalMs(record: KinesisRecord, now: number): number {
  return record.ApproximateArrivalTimestamp?.getTime() ?? now;
}

function recordBytes(record: KinesisRecord): number {
  return Math.ceil((record.Data?.byteLength ?? 0) / 3) * 4 + RECORD_OVERHEAD_BYTES;
}

function payloadBytes(records: readonly KinesisRecord[]): number {
  let total = 0;
  for (const record of records) total += recordBytes(record);
  return total;
}
