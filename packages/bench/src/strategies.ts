import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Sample } from '@secondrow/codec';
import { createTable, SampleStore } from '@secondrow/codec/dynamodb';
import pLimit from 'p-limit';
import { type Corpus, deviceIdFor, occupiedSeconds } from './corpus.js';
import { ArgumentError, BenchError } from './errors.js';
import type { Item, Layout } from './layouts/layout.js';
import type { StrategyResult } from './results.js';
import { BATCH_WRITE_MAX_ITEMS, batchWrite, createLayoutTable, putItem } from './table-io.js';

/** A way of getting items into DynamoDB. */
export interface Strategy {
  /** Name used by `--strategies` and in reports. */
  readonly name: string;
  readonly description: string;
  /** True when the strategy can write this layout. */
  appliesTo(layout: Layout): boolean;
}

/** Samples per phone batch in the 2015 app (the unit the Lambda received and SampleStore writes). */
export const PHONE_BATCH_SAMPLES = 200;

/** Concurrency of the 2015 Lambda's `async.queue`. */
export const PUT_CONCURRENCY = 8;

/** The phone's Kinesis recorder flushed every 30 s; one flush reaches the Lambda as one invocation. */
export const DEFAULT_FLUSH_SECONDS = 30;

/** Every strategy, in report order. */
export const STRATEGIES: readonly Strategy[] = [
  {
    name: 'put-sequential',
    description: 'PutItem, one at a time (the 2015 original)',
    appliesTo: () => true,
  },
  {
    name: 'put-concurrent-8',
    description: `PutItem, ${PUT_CONCURRENCY} in flight (the original's async.queue)`,
    appliesTo: () => true,
  },
  {
    name: 'batch-write',
    description: `BatchWriteItem, ${BATCH_WRITE_MAX_ITEMS} items per call, UnprocessedItems retried`,
    appliesTo: () => true,
  },
  {
    name: 'sample-store',
    description: `SampleStore.writeMany per Kinesis flush (default every ${DEFAULT_FLUSH_SECONDS} s) of ${PHONE_BATCH_SAMPLES}-sample phone batches: one Lambda invocation each, merges of split windows included`,
    appliesTo: (layout) => layout.windowSeconds !== undefined,
  },
  {
    name: 'sample-store-per-batch',
    description: `SampleStore.write per ${PHONE_BATCH_SAMPLES}-sample phone batch (Lambda batch size 1, as in 2015: more merges)`,
    appliesTo: (layout) => layout.windowSeconds !== undefined,
  },
];

/**
 * Picks strategies by name, keeping report order.
 * @throws {ArgumentError} naming an unknown strategy.
 */
export function selectStrategies(names: readonly string[] | undefined): Strategy[] {
  if (names === undefined) return [...STRATEGIES];
  for (const name of names) {
    if (!STRATEGIES.some((s) => s.name === name)) {
      throw new ArgumentError(
        'strategies',
        `unknown strategy "${name}"; known: ${STRATEGIES.map((s) => s.name).join(', ')}`,
      );
    }
  }
  return STRATEGIES.filter((s) => names.includes(s.name));
}

/** One device's share of a strategy's workload. */
interface Segment {
  deviceId: string;
  samples: Sample[];
}

/**
 * The samples a strategy run writes: the corpus devices in turn (copied under new device ids when the corpus
 * is too small), cut at `maxSamples`. All strategies of one layout write the same workload.
 */
export function workload(corpus: Corpus, maxSamples: number): Segment[] {
  const segments: Segment[] = [];
  let left = maxSamples;
  for (let copy = 0; left > 0; copy++) {
    for (const device of corpus.devices) {
      if (left <= 0) break;
      const samples = device.samples.slice(0, left);
      segments.push({
        deviceId: copy === 0 ? device.deviceId : deviceIdFor(`${device.source}#${copy}`),
        samples,
      });
      left -= samples.length;
    }
  }
  return segments;
}

/**
 * Cuts each device's samples into phone batches of 200 and groups consecutive batches into Lambda invocations:
 * one per Kinesis flush (batches completed in the same `flushSeconds` window), or one per batch when
 * `flushSeconds` is 0.
 */
export function lambdaInvocations(
  segments: readonly Segment[],
  flushSeconds: number,
): { deviceId: string; samples: Sample[] }[][] {
  const invocations: { deviceId: string; samples: Sample[] }[][] = [];
  for (const { deviceId, samples } of segments) {
    let current: { deviceId: string; samples: Sample[] }[] = [];
    let currentFlush = Number.NaN;
    for (let i = 0; i < samples.length; i += PHONE_BATCH_SAMPLES) {
      const batch = samples.slice(i, i + PHONE_BATCH_SAMPLES);
      const flush = flushSeconds === 0 ? i : Math.floor(batch[batch.length - 1]!.t / (flushSeconds * 1000));
      if (flush !== currentFlush && current.length > 0) {
        invocations.push(current);
        current = [];
      }
      currentFlush = flush;
      current.push({ deviceId, samples: batch });
    }
    if (current.length > 0) invocations.push(current);
  }
  return invocations;
}

/** Runs `worker` over `items` with at most `concurrency` in flight (p-limit); returns the sum of what it returns. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T) => Promise<number>,
): Promise<number> {
  const limit = pLimit(concurrency);
  const units = await Promise.all(items.map((item) => limit(() => worker(item))));
  return units.reduce((sum, n) => sum + n, 0);
}

/** Options of {@link runStrategy}. */
export interface StrategyRunOptions {
  client: DynamoDBClient;
  /** Upper bound on samples written by one run. */
  maxSamples: number;
  /** Upper bound on items written by one run (bounds the slow per-sample runs). */
  maxItems: number;
  /** Seconds between Kinesis flushes for `sample-store` (one writeMany per flush). Default 30. */
  flushSeconds?: number;
}

/**
 * Writes one layout's workload with one strategy to a fresh dynalite table and times it.
 * @throws {BenchError} `DYNAMODB_ERROR` when SampleStore reports failed rows.
 */
export async function runStrategy(
  strategy: Strategy,
  layout: Layout,
  corpus: Corpus,
  options: StrategyRunOptions,
): Promise<StrategyResult> {
  // Bound samples so that the layout's item count stays under maxItems.
  const itemsPerSample =
    corpus.devices.reduce((n, d) => n + layout.toItems(d.deviceId, d.samples).length, 0) / corpus.samples;
  const maxSamples = Math.max(1, Math.min(options.maxSamples, Math.floor(options.maxItems / itemsPerSample)));
  const segments = workload(corpus, maxSamples);
  const samples = segments.reduce((n, s) => n + s.samples.length, 0);
  const deviceSeconds = segments.reduce((n, s) => n + occupiedSeconds(s.samples), 0);

  let items = 0;
  let writeUnits = 0;
  let readUnits = 0;
  let rowsMerged = 0;
  let seconds: number;
  if (strategy.name.startsWith('sample-store')) {
    const tableName = `bench-store-${layout.name}-${Date.now()}`;
    await createTable(options.client, tableName);
    const store = new SampleStore({
      client: options.client,
      tableName,
      ...(layout.windowSeconds === undefined ? {} : { windowSeconds: layout.windowSeconds }),
    });
    const invocations = lambdaInvocations(
      segments,
      strategy.name === 'sample-store' ? (options.flushSeconds ?? DEFAULT_FLUSH_SECONDS) : 0,
    );
    const start = performance.now();
    for (const entries of invocations) {
      const report = await store.writeMany(entries);
      if (report.failed.length > 0) {
        throw new BenchError('DYNAMODB_ERROR', `SampleStore failed ${report.failed.length} rows`, {
          cause: report.failed[0]?.error,
        });
      }
      items += report.rowsWritten + report.rowsMerged;
      rowsMerged += report.rowsMerged;
      writeUnits += report.writeUnits;
      readUnits += report.readUnits;
    }
    seconds = (performance.now() - start) / 1000;
  } else {
    const itemList: Item[] = segments.flatMap((s) => layout.toItems(s.deviceId, s.samples));
    const tableName = await createLayoutTable(
      options.client,
      `bench-${strategy.name}-${layout.name}`,
      layout.keySchema,
    );
    items = itemList.length;
    const start = performance.now();
    if (strategy.name === 'put-sequential') {
      for (const item of itemList) writeUnits += await putItem(options.client, tableName, item);
    } else if (strategy.name === 'put-concurrent-8') {
      writeUnits = await pool(itemList, PUT_CONCURRENCY, (item) => putItem(options.client, tableName, item));
    } else {
      const chunks: Item[][] = [];
      for (let i = 0; i < itemList.length; i += BATCH_WRITE_MAX_ITEMS) {
        chunks.push(itemList.slice(i, i + BATCH_WRITE_MAX_ITEMS));
      }
      for (const chunk of chunks) writeUnits += await batchWrite(options.client, tableName, chunk);
    }
    seconds = (performance.now() - start) / 1000;
  }
  return {
    strategy: strategy.name,
    layout: layout.name,
    items,
    samples,
    seconds,
    itemsPerSecond: items / seconds,
    samplesPerSecond: samples / seconds,
    writeUnits,
    readUnits,
    rowsMerged,
    deviceSeconds,
    wruPerDeviceSecond: writeUnits / deviceSeconds,
  };
}
