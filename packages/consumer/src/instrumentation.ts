import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { countMissing, medianIntervalMs } from '@secondrow/codec';
import type { WriteReport } from '@secondrow/codec/dynamodb';
import type { RecordFormat } from './formats/record-part.js';
import { type PartSamples, sampleTime } from './packed-samples.js';

/** p50, p95 and max of one latency over an invocation, in ms. */
export interface LatencyStats {
  /** Number of values the percentiles were computed from. */
  count: number;
  /** Median, ms. */
  p50: number;
  /** 95th percentile (nearest rank), ms. */
  p95: number;
  /** Largest value, ms (exact, even when the percentiles come from a subsample). */
  max: number;
}

/** What parsing an event counted (the first fields of {@link InvocationSummary}). */
export interface ParseCounts {
  /** Kinesis records in the event. */
  records: number;
  /** User records (records, plus the contents of KPL aggregates). */
  userRecords: number;
  /** Records that were KPL aggregates. */
  aggregatedRecords: number;
  /** User records that were gzip-compressed. */
  compressedRecords: number;
  /** Accepted user records per format. */
  formats: Record<RecordFormat, number>;
  /** Valid samples received (before de-duplication). */
  samples: number;
  /** Missing sample slots against each device batch's nominal rate (its median sample interval). */
  gaps: { missingSlots: number; batchesWithGaps: number };
}

/** Counts of a fresh parse, all zero. */
export function emptyParseCounts(): ParseCounts {
  return {
    records: 0,
    userRecords: 0,
    aggregatedRecords: 0,
    compressedRecords: 0,
    formats: { 'json-v1': 0, 'legacy-2015': 0, 'avro-batch': 0 },
    samples: 0,
    gaps: { missingSlots: 0, batchesWithGaps: 0 },
  };
}

/** Everything one invocation did, as plain data: tested by the core, logged and published by the handler. */
export interface InvocationSummary extends ParseCounts {
  /** Distinct devices with valid samples. */
  devices: number;
  /** Bad user records. */
  badRecords: number;
  /** Bad user records now in the quarantine (written now or by an earlier attempt). */
  quarantined: number;
  /** Bad user records whose quarantine write failed (their records are retried). */
  quarantineFailures: number;
  /** What the store did, summed over the invocation's `writeMany` calls (its failed rows are in `failedRows`). */
  store: Omit<WriteReport, 'failed'>;
  /** Rows not stored (transient and permanent failures). */
  failedRows: number;
  /** Rows that can never be stored, now in the quarantine with their samples (their records are acknowledged). */
  rowsQuarantined: number;
  /** Rows that can never be stored and could not be quarantined (their records are retried). */
  rowQuarantineFailures: number;
  /** Sequence numbers returned in `batchItemFailures`. */
  failedRecords: number;
  /** Latencies, ms; `null` when nothing could be measured. */
  latencyMs: {
    /** Sample time to Kinesis arrival (per sample; percentiles over a subsample of each batch). */
    sampleToArrival: LatencyStats | null;
    /** Producer `sentAt` to Kinesis arrival (per user record). */
    sentToArrival: LatencyStats | null;
    /** Kinesis arrival to row written (per record whose rows were all stored or quarantined). */
    arrivalToWritten: LatencyStats | null;
  };
  /** Error of the first store call that threw as a whole, else `null`. */
  writeError: string | null;
  /**
   * What the device registry did with the devices stored (`null` when it is off). A failure that passes
   * (throttling, 5xx, resets, the deadline) retries the device's records, so the note is made again.
   */
  registry: {
    /** Devices with stored samples that were noted. */
    devices: number;
    /** Registry items written (most notes fall inside the known range and write nothing). */
    writes: number;
    /** Write units of those writes (failed conditional writes included). */
    writeUnits: number;
    /** Read units (a device is read once per container). */
    readUnits: number;
    /** Devices the registry could not note. */
    failures: number;
  } | null;
  /** Wall time of the invocation, ms. */
  durationMs: number;
}

// Each user record contributes at most this many values to the sample-to-arrival percentiles;
// batches are regular, so a stride subsample keeps the percentiles honest at a fraction of the sort cost.
const LATENCY_SAMPLES_PER_RECORD = 32;

/** Collects an invocation's latency values while its records are parsed. */
export class LatencyCollector {
  readonly #sampleToArrival: number[] = [];
  #sampleToArrivalMax = Number.NEGATIVE_INFINITY;
  readonly #sentToArrival: number[] = [];

  /**
   * Adds one accepted part of a record that arrived at `arrivalMs` (epoch ms).
   *
   * @param sentAt - The producer's `sentAt`, epoch ms, when the part carries one.
   * @param samples - The part's samples; `count` of them.
   */
  addPart(arrivalMs: number, sentAt: number | undefined, samples: PartSamples, count: number): void {
    if (sentAt !== undefined) this.#sentToArrival.push(arrivalMs - sentAt);
    const stride = Math.max(1, Math.ceil(count / LATENCY_SAMPLES_PER_RECORD));
    let minT = Number.POSITIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const t = sampleTime(samples, i);
      if (t < minT) minT = t;
      if (i % stride === 0) this.#sampleToArrival.push(arrivalMs - t);
    }
    this.#sampleToArrivalMax = Math.max(this.#sampleToArrivalMax, arrivalMs - minT);
  }

  /**
   * The statistics, with arrival-to-written measured at `writtenAt` (epoch ms) for the records with
   * samples that are not retried.
   */
  stats(
    writtenAt: number,
    records: readonly { sequenceNumber: string; arrivalMs: number | undefined; hasSamples: boolean }[],
    retried: ReadonlySet<string>,
  ): InvocationSummary['latencyMs'] {
    const arrivalToWritten: number[] = [];
    for (const record of records) {
      if (record.hasSamples && record.arrivalMs !== undefined && !retried.has(record.sequenceNumber)) {
        arrivalToWritten.push(writtenAt - record.arrivalMs);
      }
    }
    return {
      sampleToArrival: latencyStats(this.#sampleToArrival, this.#sampleToArrivalMax),
      sentToArrival: latencyStats(this.#sentToArrival),
      arrivalToWritten: latencyStats(arrivalToWritten),
    };
  }
}

/** The logging calls the consumer makes; Powertools' `Logger` satisfies it, tests pass a quiet one. */
export interface ConsumerLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** The metrics calls the consumer makes; Powertools' `Metrics` satisfies it. */
export interface ConsumerMetrics {
  addMetric(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): unknown;
  publishStoredMetrics(): void;
}

/**
 * Nearest-rank p50/p95 and max of `values`. Sorts `values` in place.
 *
 * @param values - Latencies in ms.
 * @param max - Exact maximum when `values` is a subsample; defaults to the largest value.
 * @returns The statistics, or `null` when `values` is empty.
 */
export function latencyStats(values: number[], max?: number): LatencyStats | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
  const largest = sorted[sorted.length - 1] as number;
  return { count: values.length, p50: rank(0.5), p95: rank(0.95), max: Math.max(largest, max ?? largest) };
}

/**
 * Missing sample slots in one device batch, by the codec's one gap rule
 * (`medianIntervalMs` and `countMissing` of `@secondrow/codec`, the same rule the store and the
 * simulator use): interior holes only, a jump of `k` nominal intervals counting `k - 1` slots.
 *
 * @param times - Sample times of one batch, epoch ms, in any order; sorted in place.
 * @returns Missing slots and the estimated interval in ms (0 when fewer than 3 samples).
 */
export function estimateGaps(times: Float64Array): { missing: number; intervalMs: number } {
  if (times.length < 3) return { missing: 0, intervalMs: 0 };
  times.sort();
  const intervalMs = medianIntervalMs(times);
  if (intervalMs === undefined) return { missing: 0, intervalMs: 0 };
  const first = times[0] as number;
  const last = times[times.length - 1] as number;
  return { missing: countMissing(times, { startMs: first, endMs: last + 1, intervalMs }), intervalMs };
}

/**
 * Creates the Powertools logger of the Lambda. Log level comes from
 * `POWERTOOLS_LOG_LEVEL` (default INFO).
 *
 * @param serviceName - `service` key on every line.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/**
 * Creates the Powertools metrics publisher (CloudWatch EMF lines on stdout).
 * Set `POWERTOOLS_METRICS_DISABLED=true` to silence it in local runs and tests.
 *
 * @param namespace - CloudWatch namespace.
 * @param serviceName - `service` dimension.
 */
export function createMetrics(namespace: string, serviceName: string): Metrics {
  return new Metrics({ namespace, serviceName });
}

/**
 * Logs the invocation's summary as one line and publishes it as metrics.
 * Never throws: instrumentation must not fail a batch that was stored.
 *
 * @param summary - What the invocation did.
 * @param logger - Where the summary line goes.
 * @param metrics - Where the metrics go; omitted means no metrics.
 */
export function publishSummary(
  summary: InvocationSummary,
  logger: ConsumerLogger,
  metrics?: ConsumerMetrics,
): void {
  try {
    logger.info('invocation summary', { summary });
    if (metrics === undefined) return;
    const count = MetricUnit.Count;
    const counts: [string, number][] = [
      ['Records', summary.records],
      ['UserRecords', summary.userRecords],
      ['Samples', summary.samples],
      ['SamplesStored', summary.store.samplesStored],
      ['RowsNew', summary.store.rowsWritten],
      ['RowsMerged', summary.store.rowsMerged],
      ['RowsUnchanged', summary.store.rowsUnchanged],
      ['DuplicatesDropped', summary.store.duplicatesDropped],
      ['Conflicts', summary.store.conflicts],
      ['BadRecords', summary.badRecords],
      ['QuarantineFailures', summary.quarantineFailures + summary.rowQuarantineFailures],
      ['WriteUnits', summary.store.writeUnits],
      ['ReadUnits', summary.store.readUnits],
      ['Retries', summary.store.retries],
      ['FailedRows', summary.failedRows],
      ['RowsQuarantined', summary.rowsQuarantined],
      ['FailedRecords', summary.failedRecords],
      ['MissingSampleSlots', summary.gaps.missingSlots],
    ];
    if (summary.registry) {
      counts.push(
        ['RegistryWriteUnits', summary.registry.writeUnits],
        ['RegistryFailures', summary.registry.failures],
      );
    }
    for (const [name, value] of counts) metrics.addMetric(name, count, value);
    for (const [name, stats] of Object.entries(summary.latencyMs)) {
      if (stats === null) continue;
      const base = name.charAt(0).toUpperCase() + name.slice(1);
      metrics.addMetric(`${base}P50`, MetricUnit.Milliseconds, stats.p50);
      metrics.addMetric(`${base}P95`, MetricUnit.Milliseconds, stats.p95);
      metrics.addMetric(`${base}Max`, MetricUnit.Milliseconds, stats.max);
    }
    metrics.addMetric('InvocationDuration', MetricUnit.Milliseconds, summary.durationMs);
    metrics.publishStoredMetrics();
  } catch (error) {
    logger.warn('could not publish invocation metrics', { error: (error as Error)?.message });
  }
}
