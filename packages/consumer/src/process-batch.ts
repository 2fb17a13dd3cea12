import type { Sample } from '@secondrow/codec';
import { windowStartMs } from '@secondrow/codec';
import type { FailedRow, WriteReport } from '@secondrow/codec/dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { DEFAULT_CONFIG } from './config.js';
import { RecordError } from './errors.js';
import { estimateGaps, type InvocationSummary, latencyStats } from './instrumentation.js';
import { type PartSamples, sampleCount, sampleTime, toSamples } from './packed-samples.js';
import {
  type PackedAcceptedPart,
  type PackedParsedRecord,
  type ParseOptions,
  parseRecordPacked,
  type RejectedPart,
} from './parse-record.js';
import type { QuarantineEntry } from './quarantine.js';

/** The one store call the core makes; `SampleStore` from `@secondrow/codec/dynamodb` satisfies it. */
export interface SampleWriter {
  writeMany(
    entries: readonly { deviceId: string; samples: readonly Sample[] }[],
    options?: { deadline?: number },
  ): Promise<WriteReport>;
}

/** Where bad records go; `Quarantine` satisfies it. */
export interface QuarantineWriter {
  put(entry: QuarantineEntry, options?: { abortSignal?: AbortSignal }): Promise<'written' | 'existing'>;
}

/** The part of the Lambda context the core reads. */
export interface DeadlineContext {
  /** Milliseconds until Lambda stops the invocation. */
  getRemainingTimeInMillis?: () => number;
}

/** Options of {@link processBatch}. */
export interface ProcessOptions extends ParseOptions {
  /** Time kept back from the remaining time when setting the write deadline, ms (at most half of it). Default 1000. */
  deadlineMarginMs?: number;
  /** Clock, epoch ms; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

/** Dependencies of {@link processBatch}. */
export interface ProcessDeps {
  /** Row store (writeMany). */
  store: SampleWriter;
  /** Quarantine for bad records; without one, bad records are only reported (the handler logs their bytes). */
  quarantine?: QuarantineWriter | undefined;
  /** Limits and deadline margin. */
  options?: ProcessOptions | undefined;
}

/** One bad user record, for the handler's log. */
export interface BadRecordReport {
  shardId: string;
  sequenceNumber: string;
  subSequenceNumber: number | undefined;
  code: string;
  reason: string;
  index: number | undefined;
  field: string | undefined;
  /** What happened to it: kept now, kept by an earlier attempt, quarantine write failed, or no quarantine configured. */
  quarantine: 'written' | 'existing' | 'failed' | 'none';
  /** The raw bytes (for logging when there is no quarantine). */
  raw: Uint8Array;
}

/** Result of {@link processBatch}. */
export interface ProcessResult {
  /** What to return to Lambda. */
  response: KinesisStreamBatchResponse;
  /** What the invocation did. */
  summary: InvocationSummary;
  /** Every bad user record with its fate. */
  badRecords: BadRecordReport[];
  /** Rows not written by the deadline. */
  failedRows: FailedRow[];
}

/** Per-record facts kept while the batch is processed. */
interface RecordState {
  sequenceNumber: string;
  shardId: string;
  stream: string | undefined;
  partitionKey: string | undefined;
  arrivalMs: number | undefined;
  hasSamples: boolean;
}

const QUARANTINE_CONCURRENCY = 8;
// Devices are handed to the store in groups of about this many samples: sample objects, rows and items
// exist for one group at a time instead of for the whole 6 MB event. Every sample of a device is in one
// group, so each row is still written once per invocation.
const WRITE_GROUP_SAMPLES = 16_384;
// Each user record contributes at most this many values to the sample-to-arrival percentiles;
// batches are regular, so a stride subsample keeps the percentiles honest at a fraction of the sort cost.
const LATENCY_SAMPLES_PER_RECORD = 32;

/**
 * The testable core of the Lambda: parses every record on its own, quarantines
 * bad ones, groups all valid samples per device and writes them once through
 * the store with a deadline (now + remaining time − margin), then maps rows
 * still unwritten back to the sequence numbers of the records that contributed
 * samples to them. Plain JSON v1 samples stay packed until written, and devices
 * go to the store in groups of about 16 k samples (one `writeMany` call per
 * group, each device whole in one), so a 6 MB event fits a 128 MB function.
 * If a `writeMany` call throws, later groups are not attempted and every record
 * with samples is retried.
 *
 * Never rejects for bad data or failed writes; those become `batchItemFailures`
 * (Lambda retries from the lowest; the store makes the retry idempotent).
 *
 * @param event - Kinesis event as Lambda delivers it.
 * @param context - Lambda context (only `getRemainingTimeInMillis` is read; may be absent).
 * @param deps - Store, quarantine, options.
 * @returns The Lambda response, a summary and the per-record details.
 * @example
 * ```ts
 * const { response, summary } = await processBatch(event, context, { store, quarantine });
 * ```
 */
export async function processBatch(
  event: KinesisStreamEvent,
  context: DeadlineContext | undefined,
  deps: ProcessDeps,
): Promise<ProcessResult> {
  const options = deps.options ?? {};
  const now = options.now ?? Date.now;
  const startedAt = now();
  const remaining = context?.getRemainingTimeInMillis?.();
  // A margin larger than the time left (a short function timeout) would fail every row at once and
  // retry the batch forever; keep at least half of the remaining time for writing.
  const deadline =
    typeof remaining === 'number' && Number.isFinite(remaining)
      ? startedAt +
        remaining -
        Math.min(options.deadlineMarginMs ?? DEFAULT_CONFIG.deadlineMarginMs, remaining / 2)
      : undefined;

  const summary = emptySummary();
  const records: RecordState[] = [];
  const byDevice = new Map<
    string,
    { count: number; parts: { record: RecordState; samples: PartSamples }[] }
  >();
  const rejected: { record: RecordState; part: RejectedPart }[] = [];
  const sampleToArrival: number[] = [];
  let sampleToArrivalMax = Number.NEGATIVE_INFINITY;
  const sentToArrival: number[] = [];

  for (const eventRecord of event.Records ?? []) {
    const record = recordState(eventRecord);
    records.push(record);
    summary.records++;
    const parsed = parseEventRecord(eventRecord, record, options);
    if (parsed.aggregated) summary.aggregatedRecords++;
    for (const part of parsed.parts) {
      summary.userRecords++;
      if (!part.ok) {
        rejected.push({ record, part });
        continue;
      }
      accept(part, record);
    }
  }

  function accept(part: PackedAcceptedPart, record: RecordState): void {
    summary.formats[part.format]++;
    if (part.compressed) summary.compressedRecords++;
    const count = sampleCount(part.samples);
    if (count === 0) return;
    record.hasSamples = true;
    summary.samples += count;
    let device = byDevice.get(part.deviceId);
    if (device === undefined) {
      device = { count: 0, parts: [] };
      byDevice.set(part.deviceId, device);
    }
    device.parts.push({ record, samples: part.samples });
    device.count += count;
    const gaps = estimateGaps(Array.isArray(part.samples) ? part.samples : timesOnly(part.samples));
    if (gaps.missing > 0) {
      summary.gaps.missingSlots += gaps.missing;
      summary.gaps.batchesWithGaps++;
    }
    if (record.arrivalMs !== undefined) {
      const arrival = record.arrivalMs;
      if (part.sentAt !== undefined) sentToArrival.push(arrival - part.sentAt);
      const stride = Math.max(1, Math.ceil(count / LATENCY_SAMPLES_PER_RECORD));
      let minT = Number.POSITIVE_INFINITY;
      for (let i = 0; i < count; i++) {
        const t = sampleTime(part.samples, i);
        if (t < minT) minT = t;
        if (i % stride === 0) sampleToArrival.push(arrival - t);
      }
      sampleToArrivalMax = Math.max(sampleToArrivalMax, arrival - minT);
    }
  }

  // Groups of whole devices; one entry per accepted part (writeMany packs all entries of a device together).
  const groups: [string, { parts: { record: RecordState; samples: PartSamples }[] }][][] = [];
  let groupSamples = 0;
  for (const entry of byDevice) {
    if (groups.length === 0 || (groupSamples > 0 && groupSamples + entry[1].count > WRITE_GROUP_SAMPLES)) {
      groups.push([]);
      groupSamples = 0;
    }
    groups[groups.length - 1]?.push(entry);
    groupSamples += entry[1].count;
  }
  summary.devices = byDevice.size;

  const failed = new Set<string>();
  const failedRows: FailedRow[] = [];
  const writeAll = async (): Promise<Error | undefined> => {
    for (const group of groups) {
      // Objects for this group only; they are garbage once its rows are written.
      const objects = new Map<string, { parts: { record: RecordState; samples: Sample[] }[] }>();
      const entries: { deviceId: string; samples: readonly Sample[] }[] = [];
      for (const [deviceId, device] of group) {
        const parts = device.parts.map((part) => ({ record: part.record, samples: toSamples(part.samples) }));
        objects.set(deviceId, { parts });
        for (const part of parts) entries.push({ deviceId, samples: part.samples });
      }
      let report: WriteReport;
      try {
        report = await deps.store.writeMany(entries, deadline === undefined ? {} : { deadline });
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
      addStoreCounts(summary, report);
      for (const row of report.failed) failedRows.push(row);
      for (const sequenceNumber of contributorsOf(report.failed, objects)) failed.add(sequenceNumber);
    }
    return undefined;
  };
  const [writeError, badRecords] = await Promise.all([
    writeAll(),
    quarantineAll(rejected, deps.quarantine, deadline, now),
  ]);
  const writtenAt = now();

  if (writeError !== undefined) {
    // The store gave no per-row answer: every record that carried samples is retried.
    summary.writeError = writeError.message;
    for (const record of records) if (record.hasSamples) failed.add(record.sequenceNumber);
  }
  summary.failedRows = failedRows.length;

  for (const bad of badRecords) {
    summary.badRecords++;
    if (bad.quarantine === 'written' || bad.quarantine === 'existing') summary.quarantined++;
    if (bad.quarantine === 'failed') {
      summary.quarantineFailures++;
      failed.add(bad.sequenceNumber);
    }
  }

  const arrivalToWritten: number[] = [];
  for (const record of records) {
    if (record.hasSamples && record.arrivalMs !== undefined && !failed.has(record.sequenceNumber)) {
      arrivalToWritten.push(writtenAt - record.arrivalMs);
    }
  }
  summary.latencyMs = {
    sampleToArrival: latencyStats(sampleToArrival, sampleToArrivalMax),
    sentToArrival: latencyStats(sentToArrival),
    arrivalToWritten: latencyStats(arrivalToWritten),
  };

  // Event order, each sequence number once (all user records of an aggregate share one).
  const batchItemFailures: { itemIdentifier: string }[] = [];
  const reported = new Set<string>();
  for (const record of records) {
    if (failed.has(record.sequenceNumber) && !reported.has(record.sequenceNumber)) {
      reported.add(record.sequenceNumber);
      batchItemFailures.push({ itemIdentifier: record.sequenceNumber });
    }
  }
  summary.failedRecords = batchItemFailures.length;
  summary.durationMs = now() - startedAt;
  return { response: { batchItemFailures }, summary, badRecords, failedRows };
}

/**
 * Sequence numbers of the records that contributed at least one sample to a
 * failed row (same device, sample time inside the row's window).
 *
 * @param failedRows - Rows the store could not write.
 * @param byDevice - The invocation's samples per device, with the record each came from.
 * @returns The contributing sequence numbers.
 */
export function contributorsOf(
  failedRows: readonly FailedRow[],
  byDevice: ReadonlyMap<
    string,
    { parts: readonly { record: { sequenceNumber: string }; samples: readonly Sample[] }[] }
  >,
): Set<string> {
  const result = new Set<string>();
  const windowsByDevice = new Map<
    string,
    { windowSeconds: FailedRow['row']['windowSeconds']; starts: Set<number> }
  >();
  for (const { deviceId, row } of failedRows) {
    let windows = windowsByDevice.get(deviceId);
    if (windows === undefined) {
      windows = { windowSeconds: row.windowSeconds, starts: new Set() };
      windowsByDevice.set(deviceId, windows);
    }
    windows.starts.add(row.startMs);
  }
  for (const [deviceId, { windowSeconds, starts }] of windowsByDevice) {
    for (const { record, samples } of byDevice.get(deviceId)?.parts ?? []) {
      if (result.has(record.sequenceNumber)) continue;
      for (const sample of samples) {
        if (starts.has(windowStartMs(sample.t, windowSeconds))) {
          result.add(record.sequenceNumber);
          break;
        }
      }
    }
  }
  return result;
}

// Reused objects that carry only the times of a packed part to estimateGaps, which reads nothing else
// and keeps nothing: full sample objects here would be a million short-lived objects per million samples.
const timeSlots: Sample[] = [];

function timesOnly(packed: Float64Array): Sample[] {
  const count = packed.length >> 2;
  while (timeSlots.length < count) timeSlots.push({ t: 0, x: 0, y: 0, z: 0 });
  const view = timeSlots.slice(0, count);
  for (let i = 0; i < count; i++) (view[i] as Sample).t = packed[i * 4] as number;
  return view;
}

function recordState(eventRecord: KinesisStreamRecord): RecordState {
  const kinesis = eventRecord.kinesis;
  const arrival = kinesis?.approximateArrivalTimestamp;
  return {
    sequenceNumber: String(kinesis?.sequenceNumber ?? ''),
    // eventID is "<shard id>:<sequence number>".
    shardId:
      typeof eventRecord.eventID === 'string'
        ? (eventRecord.eventID.split(':')[0] ?? '') || 'unknown'
        : 'unknown',
    stream:
      typeof eventRecord.eventSourceARN === 'string'
        ? (/:stream\/([^/]+)/.exec(eventRecord.eventSourceARN)?.[1] ?? eventRecord.eventSourceARN)
        : undefined,
    partitionKey: typeof kinesis?.partitionKey === 'string' ? kinesis.partitionKey : undefined,
    // Lambda sends seconds with a fraction; it may be missing on replayed or hand-made events.
    arrivalMs:
      typeof arrival === 'number' && Number.isFinite(arrival) ? Math.round(arrival * 1000) : undefined,
    hasSamples: false,
  };
}

function parseEventRecord(
  eventRecord: KinesisStreamRecord,
  record: RecordState,
  options: ParseOptions,
): Pick<PackedParsedRecord, 'aggregated' | 'parts'> {
  const data = eventRecord.kinesis?.data;
  if (typeof data !== 'string') {
    const error = new RecordError('UNDECODABLE', 'record has no base64 data');
    return {
      aggregated: false,
      parts: [{ ok: false, subSequenceNumber: undefined, error, raw: new Uint8Array() }],
    };
  }
  return parseRecordPacked(
    Buffer.from(data, 'base64'),
    {
      sequenceNumber: record.sequenceNumber,
      ...(record.partitionKey === undefined ? {} : { partitionKey: record.partitionKey }),
    },
    options,
  );
}

async function quarantineAll(
  rejected: readonly { record: RecordState; part: RejectedPart }[],
  quarantine: QuarantineWriter | undefined,
  deadline: number | undefined,
  now: () => number,
): Promise<BadRecordReport[]> {
  const reports: BadRecordReport[] = rejected.map(({ record, part }) => ({
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    subSequenceNumber: part.subSequenceNumber,
    code: part.error.code,
    reason: part.error.message,
    index: part.error.index,
    field: part.error.field,
    quarantine: 'none',
    raw: part.raw,
  }));
  if (quarantine === undefined || reports.length === 0) return reports;
  const signal = deadline === undefined ? undefined : AbortSignal.timeout(Math.max(1, deadline - now()));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < reports.length) {
      const index = next++;
      const report = reports[index] as BadRecordReport;
      const record = (rejected[index] as { record: RecordState }).record;
      try {
        report.quarantine = await quarantine.put(
          {
            shardId: report.shardId,
            sequenceNumber: report.sequenceNumber,
            subSequenceNumber: report.subSequenceNumber,
            raw: report.raw,
            reason: report.reason,
            code: report.code,
            arrivalMs: record.arrivalMs,
            stream: record.stream,
            partitionKey: record.partitionKey,
            index: report.index,
            field: report.field,
          },
          signal === undefined ? {} : { abortSignal: signal },
        );
      } catch (error) {
        report.quarantine = 'failed';
        report.reason = `${report.reason} (quarantine write failed: ${(error as Error)?.message ?? String(error)})`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(QUARANTINE_CONCURRENCY, reports.length) }, worker));
  return reports;
}

/** Adds the store's counts of one `writeMany` call to the invocation summary (a subset of `WriteReport`). */
function addStoreCounts(summary: InvocationSummary, report: WriteReport): void {
  summary.rowsWritten += report.rowsWritten;
  summary.rowsMerged += report.rowsMerged;
  summary.rowsUnchanged += report.rowsUnchanged;
  summary.samplesStored += report.samplesStored;
  summary.duplicatesDropped += report.duplicatesDropped;
  summary.conflicts += report.conflicts;
  summary.writeUnits += report.writeUnits;
  summary.readUnits += report.readUnits;
  summary.retries += report.retries;
}

function emptySummary(): InvocationSummary {
  return {
    records: 0,
    userRecords: 0,
    aggregatedRecords: 0,
    compressedRecords: 0,
    formats: { 'json-v1': 0, 'legacy-2015': 0, 'avro-batch': 0 },
    devices: 0,
    samples: 0,
    badRecords: 0,
    quarantined: 0,
    quarantineFailures: 0,
    rowsWritten: 0,
    rowsMerged: 0,
    rowsUnchanged: 0,
    samplesStored: 0,
    duplicatesDropped: 0,
    conflicts: 0,
    writeUnits: 0,
    readUnits: 0,
    retries: 0,
    failedRows: 0,
    failedRecords: 0,
    latencyMs: { sampleToArrival: null, sentToArrival: null, arrivalToWritten: null },
    gaps: { missingSlots: 0, batchesWithGaps: 0 },
    writeError: null,
    durationMs: 0,
  };
}
