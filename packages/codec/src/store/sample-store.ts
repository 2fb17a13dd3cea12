import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Clock, systemClock } from '../clock.js';
import { InvalidOptionError } from '../errors.js';
import { countMissing, medianIntervalMs } from '../gaps.js';
import { packRows, windowStartMs } from '../pack.js';
import { resolveOptions } from '../quantize.js';
import type { PackOptions, Row, Sample, WindowSeconds } from '../types.js';
import { checkReadOptions, queryRows, type ReadOptions } from './read.js';
import {
  type ColumnPage,
  checkReadColumnsOptions,
  queryColumns,
  type ReadColumnsOptions,
} from './read-columns.js';
import { runBounded } from './run-bounded.js';
import { StoreError } from './store-errors.js';
import { checkTableTarget } from './table-target.js';
import { addReport, emptyReport, type WriteReport } from './write-report.js';
import { type RowWriterConfig, writeRow } from './write-row.js';

/** Options of {@link SampleStore}. */
export interface SampleStoreOptions {
  /**
   * DynamoDB client, injected so callers control region, endpoint and credentials. Writes are sent with
   * the SDK's retries turned off for each command (the client is not changed): the store's own loop below
   * is the only retry layer. Reads (`read`, `readRows`, `readColumns`) keep the client's retries (`maxAttempts`, 4 by
   * default for DynamoDB).
   */
  client: DynamoDBClient;
  /** Table created from `tableDefinition` (keys `d`, `s`), e.g. with {@link createTable}: 3 to 255 of `a-z A-Z 0-9 _ - .`. */
  tableName: string;
  /** Window length of a row, in seconds. Default 1. All writers and readers of a table must agree. */
  windowSeconds?: WindowSeconds;
  /** Quantization step in g. Default 0.001. All writers of a table must agree. */
  resolution?: number;
  /** Largest accepted magnitude on any axis, in g. Default 16. */
  range?: number;
  /** Keep rows this many seconds after their window ends (TTL attribute `x`, epoch s), an integer >= 0. Default: no TTL. */
  ttlSeconds?: number;
  /** Conditional-write attempts per row when racing concurrent writers, a positive integer. Default 10. */
  maxAttempts?: number;
  /**
   * Retries of one request after throttling, a 5xx, a connection reset or a timed-out attempt, an integer
   * >= 0. The only retry layer: a row that stays throttled makes `maxTransientRetries + 1` requests, one
   * per backoff interval, then fails with `THROTTLED`. Default 8.
   */
  maxTransientRetries?: number;
  /** Base of the capped exponential backoff (full jitter), in ms, >= 0. Default 50. */
  baseDelayMs?: number;
  /** Cap of one backoff delay, in ms, >= `baseDelayMs`. Default 2000. */
  maxDelayMs?: number;
  /** Longest wait for one request before it is aborted and retried, in ms, > 0. Default 5000. */
  attemptTimeoutMs?: number;
  /** Rows written concurrently by one call, a positive integer. Default 16. */
  concurrency?: number;
  /** Time source for deadlines, attempt timeouts and backoff sleeps. Default the main entry's `systemClock`. */
  clock?: Clock;
  /**
   * Read a row first (one consistent `GetItem`, 1 read unit up to 4 KB) instead of trying to create it when
   * its samples start late in the window, i.e. it probably continues a row written by an earlier batch.
   * Saves a failed conditional write (billed as a write unit) on split seconds. Default true.
   */
  readFirstWhenHeadMissing?: boolean;
}

/** Options of {@link SampleStore.write} and {@link SampleStore.writeMany}. */
export interface WriteOptions {
  /**
   * Epoch ms, as the store's `clock` tells time, after which no request is started and in-flight ones
   * are aborted (e.g. the Lambda's remaining time minus a margin). Rows not written by then are returned
   * in `failed` with `DEADLINE_EXCEEDED`.
   */
  deadline?: number;
}

/** Options of {@link SampleStore.write}: {@link WriteOptions} and the samples' stream arrival time. */
export interface DeviceWriteOptions extends WriteOptions {
  /**
   * When the samples reached the stream (e.g. the Kinesis record's `approximateArrivalTimestamp`), epoch ms,
   * an integer >= 0. Each row written keeps the earliest arrival of the writes that added samples to it
   * (item attribute `a`), so an audit can tell how late its data came in. Default: not recorded.
   */
  arrivalMs?: number;
}

/** The samples of one device to write in a {@link SampleStore.writeMany} call. */
export interface DeviceSamples {
  /** Device (partition key `d`). */
  deviceId: string;
  /** Its samples, in any order. */
  samples: readonly Sample[];
  /**
   * When these samples reached the stream, epoch ms, an integer >= 0 (see {@link DeviceWriteOptions.arrivalMs}).
   * A row gets the earliest arrival among the entries with a sample in its window.
   */
  arrivalMs?: number;
}

/** A stored row with what {@link SampleStore.readRows} measures about it. */
export interface StoredRow {
  /** Device (partition key `d`). */
  deviceId: string;
  /** The whole stored row (its samples are not cut to the queried range). */
  row: Row;
  /** Size of the DynamoDB item in bytes, by DynamoDB's rules. */
  itemBytes: number;
  /** Samples missing from the row's window against its nominal rate (see `countMissing`). */
  gaps: number;
  /** The row's nominal sampling interval in ms (median interval), undefined with fewer than 2 samples. */
  intervalMs: number | undefined;
  /** When the row was first written, epoch ms (store clock); absent for rows written before it was kept. */
  firstWrittenMs?: number;
  /** When the row's samples last changed, epoch ms (store clock); absent for rows written before it was kept. */
  lastMergedMs?: number;
  /** Earliest stream arrival among the writes that added samples to the row, epoch ms; absent when none was passed. */
  arrivalMs?: number;
}

/**
 * Stores accelerometer samples in DynamoDB as one codec row per device and window, merging samples that
 * arrive split, repeated, out of order or from racing writers into exactly their union.
 *
 * Every row write is a conditional `PutItem` (create if absent, else compare-and-swap on the stored
 * payload), so any interleaving of `write` calls, in any number of processes, converges to the union of
 * the distinct samples, each once. A new whole window costs one write unit and no read.
 *
 * @example
 * ```ts
 * const store = new SampleStore({ client: new DynamoDBClient({}), tableName: 'samples', ttlSeconds: 90 * 86400 });
 * const report = await store.write('watch-42', samples, { deadline: Date.now() + 10_000 });
 * // Failed rows carry their samples; retry them when `error.retryable`, else dead-letter them.
 * if (report.failed.some((f) => f.error.retryable)) throw new Error('retry the batch');
 * for await (const s of store.read('watch-42', fromMs, toMs)) console.log(s.t, s.x, s.y, s.z);
 * ```
 */
export class SampleStore {
  private readonly writer: RowWriterConfig;
  private readonly packOptions: PackOptions;
  private readonly windowSeconds: WindowSeconds;
  private readonly concurrency: number;

  private readonly clock: Clock;

  /**
   * Checks every option now, so a bad configuration fails at start-up rather than on the first write.
   *
   * @throws {InvalidOptionError} naming the first invalid option (`client`, `tableName`, `windowSeconds`,
   *   `resolution`, `range`, `ttlSeconds`, `maxAttempts`, `maxTransientRetries`, `baseDelayMs`, `maxDelayMs`,
   *   `attemptTimeoutMs`, `concurrency`, `readFirstWhenHeadMissing`, `clock`).
   */
  constructor(options: SampleStoreOptions) {
    checkTableTarget(options, 'SampleStore');
    const { client, tableName } = options;
    const resolved = resolveOptions({
      ...(options.windowSeconds === undefined ? {} : { windowSeconds: options.windowSeconds }),
      ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
      ...(options.range === undefined ? {} : { range: options.range }),
    });
    this.windowSeconds = resolved.windowSeconds;
    this.packOptions = {
      windowSeconds: resolved.windowSeconds,
      resolution: resolved.resolution,
      range: resolved.range,
    };
    this.concurrency = positiveInteger('concurrency', options.concurrency ?? 16);
    if (options.ttlSeconds !== undefined) nonNegativeInteger('ttlSeconds', options.ttlSeconds);
    const baseDelayMs = nonNegative('baseDelayMs', options.baseDelayMs ?? 50);
    const maxDelayMs = nonNegative('maxDelayMs', options.maxDelayMs ?? Math.max(2000, baseDelayMs));
    if (maxDelayMs < baseDelayMs) {
      throw new InvalidOptionError(
        'maxDelayMs',
        `maxDelayMs ${maxDelayMs} is below baseDelayMs ${baseDelayMs}`,
      );
    }
    const attemptTimeoutMs = nonNegative('attemptTimeoutMs', options.attemptTimeoutMs ?? 5000);
    if (attemptTimeoutMs === 0)
      throw new InvalidOptionError('attemptTimeoutMs', 'attemptTimeoutMs must be > 0');
    const readFirst = options.readFirstWhenHeadMissing ?? true;
    if (typeof readFirst !== 'boolean') {
      throw new InvalidOptionError('readFirstWhenHeadMissing', 'readFirstWhenHeadMissing must be a boolean');
    }
    const clock = options.clock ?? systemClock;
    if (typeof clock?.now !== 'function' || typeof clock.sleep !== 'function') {
      throw new InvalidOptionError('clock', 'clock must have now() and sleep(ms, signal)');
    }
    this.clock = clock;
    this.writer = {
      client,
      clock,
      tableName,
      ttlSeconds: options.ttlSeconds,
      maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? 10),
      maxTransientRetries: nonNegativeInteger('maxTransientRetries', options.maxTransientRetries ?? 8),
      baseDelayMs,
      maxDelayMs,
      attemptTimeoutMs,
      readFirstWhenHeadMissing: readFirst,
    };
  }

  /**
   * Packs `samples` into rows and adds them to the device's stored rows.
   *
   * @param deviceId - partition key of the device.
   * @param samples - samples in any order, possibly repeated or already stored.
   * @param options - `deadline` and `arrivalMs`, epoch ms.
   * @returns what was written; rows that could not be written are in `failed` with their samples.
   *   Store failures are never thrown.
   * @throws {InvalidSampleError} when a sample is invalid (nothing is written).
   * @throws {InvalidOptionError} when `arrivalMs` is not an integer >= 0 (nothing is written).
   */
  write(
    deviceId: string,
    samples: readonly Sample[],
    options: DeviceWriteOptions = {},
  ): Promise<WriteReport> {
    const { arrivalMs, ...rest } = options;
    return this.writeMany([{ deviceId, samples, ...(arrivalMs === undefined ? {} : { arrivalMs }) }], rest);
  }

  /**
   * Writes the samples of several devices (e.g. all records of one Lambda invocation) with at most
   * `concurrency` rows in flight. Entries of the same device are packed together first, so each row is
   * written once per call.
   *
   * @returns the summed report of all rows; see {@link SampleStore.write}.
   * @throws {InvalidSampleError} when a sample is invalid (validation happens before any write).
   * @throws {InvalidOptionError} when an entry's `arrivalMs` is not an integer >= 0 (nothing is written).
   */
  async writeMany(entries: readonly DeviceSamples[], options: WriteOptions = {}): Promise<WriteReport> {
    const byDevice = new Map<string, Sample[]>();
    // Earliest arrival per device and window start (ms), from the entries that carry one.
    const arrivals = new Map<string, Map<number, number>>();
    for (const { deviceId, samples, arrivalMs } of entries) {
      const list = byDevice.get(deviceId);
      if (list === undefined) byDevice.set(deviceId, [...samples]);
      else for (const sample of samples) list.push(sample);
      if (arrivalMs !== undefined) this.noteArrival(arrivals, deviceId, samples, arrivalMs);
    }
    const tasks: { deviceId: string; row: Row; arrivalMs: number | undefined }[] = [];
    for (const [deviceId, samples] of byDevice) {
      const windows = arrivals.get(deviceId);
      for (const row of packRows(samples, this.packOptions)) {
        tasks.push({ deviceId, row, arrivalMs: windows?.get(row.startMs) });
      }
    }
    const { deadline } = options;
    const reports = await runBounded(tasks, this.concurrency, ({ deviceId, row, arrivalMs }) => {
      if (deadline !== undefined && this.clock.now() >= deadline) {
        const report = emptyReport();
        const error = new StoreError(
          'DEADLINE_EXCEEDED',
          `Deadline passed before row ${deviceId}@${row.startMs} was started`,
        );
        report.failed.push({ deviceId, row, error });
        return Promise.resolve(report);
      }
      return writeRow(this.writer, deviceId, row, deadline, arrivalMs);
    });
    return reports.reduce(addReport, emptyReport());
  }

  private noteArrival(
    arrivals: Map<string, Map<number, number>>,
    deviceId: string,
    samples: readonly Sample[],
    arrivalMs: number,
  ): void {
    if (!Number.isSafeInteger(arrivalMs) || arrivalMs < 0) {
      throw new InvalidOptionError(
        'arrivalMs',
        `arrivalMs must be integer epoch ms >= 0, got ${String(arrivalMs)}`,
      );
    }
    let windows = arrivals.get(deviceId);
    if (windows === undefined) {
      windows = new Map();
      arrivals.set(deviceId, windows);
    }
    for (const sample of samples) {
      // Invalid times are left to packRows, which names the sample.
      if (!Number.isSafeInteger(sample?.t) || sample.t < 0) continue;
      const start = windowStartMs(sample.t, this.windowSeconds);
      const known = windows.get(start);
      if (known === undefined || arrivalMs < known) windows.set(start, arrivalMs);
    }
  }

  /**
   * The device's samples with `fromMs <= t < toMs`, in time order, paging through the table.
   *
   * Reads are eventually consistent by default (half the read units; a write may take about a second to
   * show): a `Query` page costs 1 read unit per started 4 KB of items strongly consistent, half that
   * eventually consistent. Pass `consistentRead: true` to see every write acknowledged before the read.
   * Builds one object per sample (about 150 bytes of heap each): for long ranges use
   * {@link SampleStore.readColumns}.
   *
   * @param deviceId - partition key of the device.
   * @param fromMs - inclusive start, epoch ms.
   * @param toMs - exclusive end, epoch ms; nothing is returned when `toMs <= fromMs`.
   * @param options - `consistentRead`, `pageSize` (rows per `Query`), `onBadItem`, `onSkip`.
   * @throws {InvalidOptionError} when a read option is invalid (checked before the first query).
   * @throws {StoreError} `THROTTLED`, `UNAVAILABLE` or `DYNAMODB_ERROR` when a query fails; `INCOMPATIBLE_ITEM`
   *   naming the device and window when a stored item is not a valid row (unless `onBadItem: 'skip'`).
   */
  async *read(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ReadOptions = {},
  ): AsyncGenerator<Sample> {
    for await (const { row } of this.queryRows(deviceId, fromMs, toMs, options)) {
      for (const sample of row.samples) {
        if (sample.t >= fromMs && sample.t < toMs) yield sample;
      }
    }
  }

  /**
   * The device's stored rows whose windows overlap `[fromMs, toMs)`, whole and in time order, with their
   * item size and the samples missing against each row's nominal rate.
   *
   * Each row carries its audit times when stored: `firstWrittenMs`, `lastMergedMs`, `arrivalMs`.
   *
   * @throws {InvalidOptionError} when a read option is invalid.
   * @throws {StoreError} as {@link SampleStore.read}.
   */
  async *readRows(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ReadOptions = {},
  ): AsyncGenerator<StoredRow> {
    for await (const { metadata, ...queried } of this.queryRows(deviceId, fromMs, toMs, options)) {
      const { row } = queried;
      const times = row.samples.map((sample) => sample.t);
      const intervalMs = medianIntervalMs(times);
      const endMs = row.startMs + row.windowSeconds * 1000;
      const gaps =
        intervalMs === undefined ? 0 : countMissing(times, { startMs: row.startMs, endMs, intervalMs });
      yield { ...queried, gaps, intervalMs, ...metadata };
    }
  }

  /**
   * The device's samples with `fromMs <= t < toMs` as columns, one page per DynamoDB `Query` page (up to
   * 1 MB of items, or `pageSize` rows): `t`, `x`, `y`, `z` typed arrays in time order, so a day of samples
   * never exists as objects. Each page also lists its rows (window start, first sample, sample count,
   * first-written, last-merged and arrival times) and the read units it consumed.
   *
   * Eventually consistent by default (half the read units), strongly with `consistentRead: true`. With
   * `columns`, every page reuses those buffers (valid until the next page is requested).
   *
   * @param deviceId - partition key of the device.
   * @param fromMs - inclusive start, epoch ms.
   * @param toMs - exclusive end, epoch ms; nothing is returned when `toMs <= fromMs`.
   * @param options - `consistentRead`, `pageSize`, `onBadItem`, `onSkip`, `columns`.
   * @throws {InvalidOptionError} when an option is invalid (checked before the first query).
   * @throws {StoreError} as {@link SampleStore.read}.
   * @example
   * ```ts
   * let units = 0;
   * for await (const page of store.readColumns('watch-42', fromMs, toMs)) {
   *   const { t, z } = page.columns.views();
   *   units += page.readUnits;
   * }
   * ```
   */
  readColumns(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ReadColumnsOptions = {},
  ): AsyncGenerator<ColumnPage> {
    checkReadColumnsOptions(options);
    return queryColumns(this.queryTarget(), deviceId, fromMs, toMs, options);
  }

  private queryRows(deviceId: string, fromMs: number, toMs: number, options: ReadOptions) {
    checkReadOptions(options);
    return queryRows(this.queryTarget(), deviceId, fromMs, toMs, options);
  }

  private queryTarget() {
    const { client, tableName } = this.writer;
    return { client, tableName, windowSeconds: this.windowSeconds };
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidOptionError(name, `${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidOptionError(name, `${name} must be an integer >= 0, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new InvalidOptionError(name, `${name} must be a finite number >= 0, got ${value}`);
  return value;
}
