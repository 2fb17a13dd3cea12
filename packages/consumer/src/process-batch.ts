import { type Sample, windowStartMs } from '@secondrow/codec';
import { addReport, emptyReport, type FailedRow, type WriteReport } from '@secondrow/codec/dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { abortAt, writeDeadline } from './deadline.js';
import { RecordError } from './errors.js';
import { failureKind, retriesRegistryNote } from './failure-policy.js';
import {
  emptyParseCounts,
  estimateGaps,
  type InvocationSummary,
  LatencyCollector,
  type ParseCounts,
} from './instrumentation.js';
import { type PartSamples, partTimes, sampleCount, toSamples } from './packed-samples.js';
import {
  type PackedParsedRecord,
  type ParseOptions,
  type RecordParser,
  type RejectedPart,
  recordParser,
} from './parse-record.js';
import type { QuarantineEntry } from './quarantine.js';

/**
 * The one store call the core makes; `SampleStore` from `@secondrow/codec/dynamodb` satisfies it.
 * Each entry is one record's samples of one device, with the record's Kinesis arrival time
 * (`approximateArrivalTimestamp`, epoch ms) when Lambda sent one, so the store can keep each row's
 * earliest arrival for auditing lateness.
 */
export interface SampleWriter {
  writeMany(
    entries: readonly { deviceId: string; samples: readonly Sample[]; arrivalMs?: number }[],
    options?: { deadline?: number },
  ): Promise<WriteReport>;
}

/** A device's stored time range, as the registry is told it. */
export interface DeviceRangeNote {
  /** Device (the rows' partition key). */
  deviceId: string;
  /** Earliest sample time stored by this invocation, epoch ms. */
  firstMs: number;
  /** Latest sample time stored by this invocation, epoch ms. */
  lastMs: number;
}

/** The registry call the core makes; `DeviceRegistry` from `@secondrow/codec/dynamodb` satisfies it. */
export interface DeviceNoter {
  /**
   * Records each device's stored range. Reports devices it could not note in `failed` (a rejection is
   * treated as every device failing); `writeUnits` and `readUnits` are its DynamoDB capacity units.
   */
  noteMany(
    entries: readonly DeviceRangeNote[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<{
    writes: number;
    writeUnits: number;
    readUnits: number;
    failed: { deviceId: string; error: unknown }[];
  }>;
}

/** Where bad records and rows that cannot be stored go; `Quarantine` satisfies it. */
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
  /**
   * Quarantine for bad records and rows that can never be stored. Without one, bad records are only
   * reported (the handler logs their bytes) and such rows are retried.
   */
  quarantine?: QuarantineWriter | undefined;
  /**
   * Device registry, told each device's stored range after the writes. A note that fails for a passing
   * reason (throttling, 5xx, resets, the deadline) returns the device's records in `batchItemFailures`, so
   * the note is made again when Lambda delivers them; other failures are counted in the summary only.
   */
  registry?: DeviceNoter | undefined;
  /** Limits and deadline margin. */
  options?: ProcessOptions | undefined;
}

/** What happened to something sent to the quarantine. */
export type QuarantineOutcome = 'written' | 'existing' | 'failed' | 'none';

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
  quarantine: QuarantineOutcome;
  /** The raw bytes (for logging when there is no quarantine). */
  raw: Uint8Array;
}

/** A row (or, when a store call threw, a device's samples) that was not stored. */
export interface FailedRowReport {
  /** Device of the row. */
  deviceId: string;
  /** Window start, epoch ms (the first sample's time when the store threw before packing rows). */
  startMs: number;
  /** Samples the invocation tried to store there. */
  samples: number;
  /** Error code of the store or codec (`DEADLINE_EXCEEDED`, `INCOMPATIBLE_ITEM`, ...), or the error's name. */
  code: string;
  /** The error itself. */
  error: unknown;
  /** `transient`: its records are retried; `permanent`: its samples go to the quarantine. */
  kind: 'permanent' | 'transient';
  /** For permanent failures, what the quarantine did (`failed` and `none` mean its records are retried). */
  quarantine: QuarantineOutcome | undefined;
  /** Sequence numbers of the records that contributed samples to it. */
  sequenceNumbers: string[];
}

/** Result of {@link processBatch}. */
export interface ProcessResult {
  /** What to return to Lambda. */
  response: KinesisStreamBatchResponse;
  /** What the invocation did. */
  summary: InvocationSummary;
  /** Every bad user record with its fate. */
  badRecords: BadRecordReport[];
  /** Rows not stored, transient and permanent, with their fate. */
  failedRows: FailedRowReport[];
  /** Devices the registry could not note, with why (empty without a registry). */
  registryFailures: { deviceId: string; error: unknown }[];
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

/** The accepted parts of one device, with the record each came from. */
interface DeviceParts {
  count: number;
  parts: { record: RecordState; samples: PartSamples }[];
}

/** Devices written in one `writeMany` call. */
type WriteGroup = [deviceId: string, device: DeviceParts][];

/** Step 1's result: the records, the valid samples per device, the bad parts, and what was counted. */
interface ParsedEvent {
  records: RecordState[];
  byDevice: Map<string, DeviceParts>;
  rejected: { record: RecordState; part: RejectedPart }[];
  counts: ParseCounts;
  latency: LatencyCollector;
}

/** A failure to store samples, before classification. */
interface RowFailure {
  deviceId: string;
  startMs: number;
  windowSeconds: number | undefined;
  samples: Sample[];
  error: unknown;
  contributors: RecordState[];
}

const QUARANTINE_CONCURRENCY = 8;
// Devices are handed to the store in groups of about this many samples: sample objects, rows and items
// exist for one group at a time instead of for the whole 6 MB event. Every sample of a device is in one
// group, so each row is still written once per invocation.
const WRITE_GROUP_SAMPLES = 16_384;

/**
 * The testable core of the Lambda, in steps: parse every record on its own → quarantine the bad ones →
 * group the valid samples per device → write them through the store with a deadline (now + remaining
 * time − margin) → classify the rows not stored → quarantine the permanent ones → map what must be
 * retried to `batchItemFailures`.
 *
 * Failure policy: a row that can never be stored (incompatible stored item, codec error) is kept in the
 * quarantine with its samples and device/window key, and its records are acknowledged; a row that may be
 * stored later (throttling, 5xx, resets, deadline, conflicts, anything unknown) has its records retried.
 * Nothing is acknowledged unsaved: when a quarantine write fails, or there is no quarantine for a
 * permanent row, its records are retried.
 *
 * Plain JSON v1 samples stay packed until written, and devices go to the store in groups of about
 * 16 k samples (one `writeMany` call per group, each device whole in one), so a 6 MB event fits a
 * 128 MB function.
 *
 * Never rejects for bad data or failed writes; those become quarantine entries or `batchItemFailures`
 * (Lambda retries from the lowest; the store and the quarantine make the retry idempotent).
 *
 * @param event - Kinesis event as Lambda delivers it.
 * @param context - Lambda context (only `getRemainingTimeInMillis` is read; may be absent).
 * @param deps - Store, quarantine, options.
 * @returns The Lambda response, a summary and the per-record details.
 * @throws Only on programming errors (an invalid `resolution` or `range`), never for data or I/O.
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
  const deadline = writeDeadline(startedAt, context?.getRemainingTimeInMillis?.(), options.deadlineMarginMs);
  const signal = abortAt(deadline, now);

  const parsed = parseEvent(event, recordParser(options));
  const [badRecords, written] = await Promise.all([
    quarantineBadRecords(parsed.rejected, deps.quarantine, signal),
    writeGroups(groupDevices(parsed.byDevice), deps.store, deadline),
  ]);
  const writtenAt = now();
  const { permanent, transient } = classifyFailures(written.failures);
  const [rowOutcomes, registry] = await Promise.all([
    quarantineRows(permanent, deps.quarantine, signal),
    noteDevices(written.ranges, deps.registry, signal),
  ]);

  const retry = new Set<string>();
  for (const bad of badRecords) if (bad.quarantine === 'failed') retry.add(bad.sequenceNumber);
  for (const failure of transient) for (const r of failure.contributors) retry.add(r.sequenceNumber);
  permanent.forEach((failure, i) => {
    const outcome = rowOutcomes[i];
    if (outcome !== 'written' && outcome !== 'existing') {
      for (const r of failure.contributors) retry.add(r.sequenceNumber);
    }
  });
  // A note that failed for a passing reason is made again with the device's records (see retriesRegistryNote).
  for (const { deviceId, error } of registry.failed) {
    if (!retriesRegistryNote(error)) continue;
    for (const part of parsed.byDevice.get(deviceId)?.parts ?? []) retry.add(part.record.sequenceNumber);
  }
  const batchItemFailures = toBatchItemFailures(parsed.records, retry);

  const failedRows = [
    ...permanent.map((f, i) => failedRowReport(f, 'permanent', rowOutcomes[i])),
    ...transient.map((f) => failedRowReport(f, 'transient', undefined)),
  ];
  const { failed: _failed, ...store } = written.report;
  const summary: InvocationSummary = {
    ...parsed.counts,
    devices: parsed.byDevice.size,
    badRecords: badRecords.length,
    quarantined: badRecords.filter((b) => b.quarantine === 'written' || b.quarantine === 'existing').length,
    quarantineFailures: badRecords.filter((b) => b.quarantine === 'failed').length,
    store,
    failedRows: failedRows.length,
    rowsQuarantined: rowOutcomes.filter((o) => o === 'written' || o === 'existing').length,
    rowQuarantineFailures: rowOutcomes.filter((o) => o === 'failed' || o === 'none').length,
    failedRecords: batchItemFailures.length,
    latencyMs: parsed.latency.stats(writtenAt, parsed.records, retry),
    gaps: parsed.counts.gaps,
    writeError: written.thrown === undefined ? null : errorMessage(written.thrown),
    registry: registry.counts,
    durationMs: now() - startedAt,
  };
  return {
    response: { batchItemFailures },
    summary,
    badRecords,
    failedRows,
    registryFailures: registry.failed,
  };
}

// ---------- 1. parse ----------

function parseEvent(event: KinesisStreamEvent, parser: RecordParser): ParsedEvent {
  const parsed: ParsedEvent = {
    records: [],
    byDevice: new Map(),
    rejected: [],
    counts: emptyParseCounts(),
    latency: new LatencyCollector(),
  };
  const { counts } = parsed;
  for (const eventRecord of event.Records ?? []) {
    const record = recordState(eventRecord);
    parsed.records.push(record);
    counts.records++;
    const { aggregated, parts } = parseEventRecord(eventRecord, record, parser);
    if (aggregated) counts.aggregatedRecords++;
    for (const part of parts) {
      counts.userRecords++;
      if (!part.ok) {
        parsed.rejected.push({ record, part });
        continue;
      }
      counts.formats[part.format]++;
      if (part.compressed) counts.compressedRecords++;
      const count = sampleCount(part.samples);
      if (count === 0) continue;
      record.hasSamples = true;
      counts.samples += count;
      let device = parsed.byDevice.get(part.deviceId);
      if (device === undefined) {
        device = { count: 0, parts: [] };
        parsed.byDevice.set(part.deviceId, device);
      }
      device.parts.push({ record, samples: part.samples });
      device.count += count;
      const gaps = estimateGaps(partTimes(part.samples));
      if (gaps.missing > 0) {
        counts.gaps.missingSlots += gaps.missing;
        counts.gaps.batchesWithGaps++;
      }
      if (record.arrivalMs !== undefined) {
        parsed.latency.addPart(record.arrivalMs, part.sentAt, part.samples, count);
      }
    }
  }
  return parsed;
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
  parser: RecordParser,
): Pick<PackedParsedRecord, 'aggregated' | 'parts'> {
  const data = eventRecord.kinesis?.data;
  if (typeof data !== 'string') {
    const error = new RecordError('UNDECODABLE', 'record has no base64 data');
    return {
      aggregated: false,
      parts: [{ ok: false, subSequenceNumber: undefined, error, raw: new Uint8Array() }],
    };
  }
  return parser.parsePacked(Buffer.from(data, 'base64'), {
    sequenceNumber: record.sequenceNumber,
    ...(record.partitionKey === undefined ? {} : { partitionKey: record.partitionKey }),
  });
}

// ---------- 2. quarantine bad records ----------

async function quarantineBadRecords(
  rejected: readonly { record: RecordState; part: RejectedPart }[],
  quarantine: QuarantineWriter | undefined,
  signal: AbortSignal | undefined,
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
  if (quarantine === undefined) return reports;
  await eachBounded(reports, async (report, index) => {
    const { record } = rejected[index] as { record: RecordState };
    try {
      report.quarantine = await quarantine.put(
        {
          kind: 'record',
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
      report.reason = `${report.reason} (quarantine write failed: ${errorMessage(error)})`;
    }
  });
  return reports;
}

/** Runs `task` on every item, at most QUARANTINE_CONCURRENCY at a time. */
async function eachBounded<T>(
  items: readonly T[],
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(QUARANTINE_CONCURRENCY, items.length) }, worker));
}

// ---------- 3. group rows ----------

function groupDevices(byDevice: ReadonlyMap<string, DeviceParts>): WriteGroup[] {
  const groups: WriteGroup[] = [];
  let groupSamples = 0;
  for (const entry of byDevice) {
    if (groups.length === 0 || (groupSamples > 0 && groupSamples + entry[1].count > WRITE_GROUP_SAMPLES)) {
      groups.push([]);
      groupSamples = 0;
    }
    groups[groups.length - 1]?.push(entry);
    groupSamples += entry[1].count;
  }
  return groups;
}

// ---------- 4. write ----------

/**
 * Writes the groups one after the other. The store's reports are summed with its own `addReport`;
 * each failed row, and each device of a group whose call threw, becomes a {@link RowFailure} naming the
 * records behind it.
 */
async function writeGroups(
  groups: readonly WriteGroup[],
  store: SampleWriter,
  deadline: number | undefined,
): Promise<{ report: WriteReport; failures: RowFailure[]; thrown: unknown; ranges: DeviceRangeNote[] }> {
  const total = emptyReport();
  const failures: RowFailure[] = [];
  const ranges: DeviceRangeNote[] = [];
  let thrown: unknown;
  for (const group of groups) {
    // Objects for this group only; they are garbage once its rows are written.
    const objects = new Map<string, { record: RecordState; samples: Sample[] }[]>();
    const entries: { deviceId: string; samples: readonly Sample[]; arrivalMs?: number }[] = [];
    for (const [deviceId, device] of group) {
      const parts = device.parts.map((part) => ({ record: part.record, samples: toSamples(part.samples) }));
      objects.set(deviceId, parts);
      for (const { record, samples } of parts) {
        const { arrivalMs } = record;
        entries.push(arrivalMs === undefined ? { deviceId, samples } : { deviceId, samples, arrivalMs });
      }
    }
    let report: WriteReport;
    try {
      report = await store.writeMany(entries, deadline === undefined ? {} : { deadline });
    } catch (error) {
      // No per-row answer: every device of the group failed as a whole, with this error.
      thrown ??= error;
      for (const [deviceId, parts] of objects) failures.push(deviceFailure(deviceId, parts, error));
      continue;
    }
    addReport(total, report);
    const contributors = contributorsOf(report.failed, objects);
    for (const row of report.failed) {
      failures.push({
        deviceId: row.deviceId,
        startMs: row.row.startMs,
        windowSeconds: row.row.windowSeconds,
        samples: row.row.samples,
        error: row.error,
        contributors: contributors.get(row) ?? [],
      });
    }
    ranges.push(...storedRanges(objects, report.failed));
  }
  return { report: total, failures, thrown, ranges };
}

/** Per device of one `writeMany` call, the earliest and latest sample time outside its failed rows. */
function storedRanges(
  byDevice: ReadonlyMap<string, readonly { samples: readonly Sample[] }[]>,
  failed: readonly FailedRow[],
): DeviceRangeNote[] {
  const failedWindows = new Map<
    string,
    { windowSeconds: FailedRow['row']['windowSeconds']; starts: Set<number> }
  >();
  for (const { deviceId, row } of failed) {
    let windows = failedWindows.get(deviceId);
    if (windows === undefined) {
      windows = { windowSeconds: row.windowSeconds, starts: new Set() };
      failedWindows.set(deviceId, windows);
    }
    windows.starts.add(row.startMs);
  }
  const ranges: DeviceRangeNote[] = [];
  for (const [deviceId, parts] of byDevice) {
    const windows = failedWindows.get(deviceId);
    let firstMs = Number.POSITIVE_INFINITY;
    let lastMs = Number.NEGATIVE_INFINITY;
    for (const { samples } of parts) {
      for (const { t } of samples) {
        if (windows?.starts.has(windowStartMs(t, windows.windowSeconds))) continue;
        if (t < firstMs) firstMs = t;
        if (t > lastMs) lastMs = t;
      }
    }
    if (firstMs <= lastMs) ranges.push({ deviceId, firstMs, lastMs });
  }
  return ranges;
}

function deviceFailure(
  deviceId: string,
  parts: readonly { record: RecordState; samples: Sample[] }[],
  error: unknown,
): RowFailure {
  const samples = parts.flatMap((part) => part.samples);
  let startMs = Number.POSITIVE_INFINITY;
  for (const sample of samples) if (sample.t < startMs) startMs = sample.t;
  return {
    deviceId,
    startMs,
    windowSeconds: undefined,
    samples,
    error,
    contributors: [...new Set(parts.map((part) => part.record))],
  };
}

/**
 * For each failed row, the records that contributed at least one sample to it (same device, sample time
 * inside the row's window), each once, in event order. One pass over the devices' samples.
 *
 * @param failedRows - Rows the store could not write.
 * @param byDevice - The samples per device, with the record each came from.
 */
export function contributorsOf<R>(
  failedRows: readonly FailedRow[],
  byDevice: ReadonlyMap<string, readonly { record: R; samples: readonly Sample[] }[]>,
): Map<FailedRow, R[]> {
  const result = new Map<FailedRow, R[]>();
  const rowsByDevice = new Map<string, Map<number, FailedRow>>();
  for (const failed of failedRows) {
    result.set(failed, []);
    let windows = rowsByDevice.get(failed.deviceId);
    if (windows === undefined) {
      windows = new Map();
      rowsByDevice.set(failed.deviceId, windows);
    }
    windows.set(failed.row.startMs, failed);
  }
  for (const [deviceId, windows] of rowsByDevice) {
    const windowSeconds = (windows.values().next().value as FailedRow).row.windowSeconds;
    for (const { record, samples } of byDevice.get(deviceId) ?? []) {
      for (const sample of samples) {
        const row = windows.get(windowStartMs(sample.t, windowSeconds));
        if (row === undefined) continue;
        const records = result.get(row) as R[];
        if (records[records.length - 1] !== record) records.push(record);
      }
    }
  }
  return result;
}

// ---------- 5. classify failures ----------

function classifyFailures(failures: readonly RowFailure[]): {
  permanent: RowFailure[];
  transient: RowFailure[];
} {
  const permanent: RowFailure[] = [];
  const transient: RowFailure[] = [];
  for (const failure of failures) {
    (failureKind(failure.error) === 'permanent' ? permanent : transient).push(failure);
  }
  return { permanent, transient };
}

// ---------- 6. quarantine rows that can never be stored ----------

async function quarantineRows(
  permanent: readonly RowFailure[],
  quarantine: QuarantineWriter | undefined,
  signal: AbortSignal | undefined,
): Promise<QuarantineOutcome[]> {
  const outcomes: QuarantineOutcome[] = permanent.map(() => 'none');
  if (quarantine === undefined) return outcomes;
  await eachBounded(permanent, async (failure, index) => {
    try {
      outcomes[index] = await quarantine.put(
        {
          kind: 'row',
          deviceId: failure.deviceId,
          startMs: failure.startMs,
          windowSeconds: failure.windowSeconds,
          samples: failure.samples,
          code: errorCode(failure.error),
          reason: errorMessage(failure.error),
          records: failure.contributors.map((r) => ({
            shardId: r.shardId,
            sequenceNumber: r.sequenceNumber,
          })),
          stream: failure.contributors[0]?.stream,
        },
        signal === undefined ? {} : { abortSignal: signal },
      );
    } catch {
      outcomes[index] = 'failed';
    }
  });
  return outcomes;
}

// ---------- 6b. note the stored ranges in the device registry ----------

/**
 * Tells the registry what was stored. Never throws: a registry failure (or a registry that throws) is
 * counted and reported; the caller decides which devices' records are retried for it.
 */
async function noteDevices(
  ranges: readonly DeviceRangeNote[],
  registry: DeviceNoter | undefined,
  signal: AbortSignal | undefined,
): Promise<{ counts: InvocationSummary['registry']; failed: { deviceId: string; error: unknown }[] }> {
  if (registry === undefined) return { counts: null, failed: [] };
  const counts = { devices: ranges.length, writes: 0, writeUnits: 0, readUnits: 0, failures: 0 };
  if (ranges.length === 0) return { counts, failed: [] };
  try {
    const report = await registry.noteMany(ranges, signal === undefined ? {} : { abortSignal: signal });
    counts.writes = report.writes;
    counts.writeUnits = report.writeUnits;
    counts.readUnits = report.readUnits;
    counts.failures = report.failed.length;
    return { counts, failed: report.failed };
  } catch (error) {
    counts.failures = ranges.length;
    return { counts, failed: ranges.map(({ deviceId }) => ({ deviceId, error })) };
  }
}

// ---------- 7. map to batchItemFailures ----------

/** Event order, each sequence number once (all user records of an aggregate share one). */
function toBatchItemFailures(
  records: readonly RecordState[],
  retry: ReadonlySet<string>,
): { itemIdentifier: string }[] {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  const reported = new Set<string>();
  for (const { sequenceNumber } of records) {
    if (retry.has(sequenceNumber) && !reported.has(sequenceNumber)) {
      reported.add(sequenceNumber);
      batchItemFailures.push({ itemIdentifier: sequenceNumber });
    }
  }
  return batchItemFailures;
}

function failedRowReport(
  failure: RowFailure,
  kind: 'permanent' | 'transient',
  quarantine: QuarantineOutcome | undefined,
): FailedRowReport {
  return {
    deviceId: failure.deviceId,
    startMs: failure.startMs,
    samples: failure.samples.length,
    code: errorCode(failure.error),
    error: failure.error,
    kind,
    quarantine,
    sequenceNumbers: failure.contributors.map((r) => r.sequenceNumber),
  };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'UNKNOWN';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
