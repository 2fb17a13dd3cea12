import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { encodeRow, packRows, type Sample, type WindowSeconds } from '@secondrow/codec';
import type { WriteReport } from '@secondrow/codec/dynamodb';
import { processBatch } from '@secondrow/consumer';
import {
  avroBatch,
  gzip,
  jsonV1,
  type KinesisPrices,
  kinesisRecord,
  legacy2015,
  type Prices,
} from '@secondrow/devkit';
import type { Corpus } from './corpus.js';
import { deviceIdFor } from './corpus.js';
import type { UsageAssumptions } from './cost.js';
import { BenchError } from './errors.js';
import { measureLayout } from './layout-figures.js';
import { codecRowLayout } from './layouts/codec-row.js';
import { perSample } from './layouts/per-sample.js';
import type { MeasuredInputs, ProducerFormatName } from './pipeline-cost.js';
import { PHONE_BATCH_SAMPLES, PUT_CONCURRENCY, runStrategy, STRATEGIES } from './strategies.js';

/** The formats secondrow's phone can send, in report order (the 2015 app's JSON is compared apart). */
export const SECONDROW_FORMATS: readonly ProducerFormatName[] = ['json-v1', 'avro', 'gzip-json-v1'];

/** Row windows compared, s. */
export const PIPELINE_WINDOWS: readonly WindowSeconds[] = [1, 4, 60];

/** Requests SampleStore keeps in flight by default (its `concurrency` option). */
export const SAMPLE_STORE_CONCURRENCY = 16;

/** What one producer format's records measure on the corpus. */
export interface RecordFigures {
  format: ProducerFormatName;
  /** Records measured: the corpus's full phone batches of 200 samples (all of them when none is full). */
  records: number;
  /** Samples per device-second ÷ 200: records a phone streaming continuously sends. */
  recordsPerDeviceSecond: number;
  meanRecordBytes: number;
  maxRecordBytes: number;
  putPayloadUnitsPerRecord: number;
  onDemandBilledBytesPerRecord: number;
}

/** What the store measured for one row layout on dynalite. */
export interface LayoutInputs
  extends Pick<
    MeasuredInputs,
    | 'layout'
    | 'windowSeconds'
    | 'itemWritesPerDeviceSecond'
    | 'wruPerDeviceSecond'
    | 'writePathRruPerDeviceSecond'
    | 'rruPerDeviceHour'
    | 'storageBytesPerDeviceDay'
    | 'writeConcurrency'
  > {
  /** How the write figures were measured. */
  method: string;
}

/** One encoded producer record. */
interface EncodedRecord {
  data: Uint8Array;
  arrivalMs: number;
  /** Samples in the record. */
  samples: number;
}

const encoder = new TextEncoder();

type KinesisStreamRecord = ReturnType<typeof kinesisRecord>;
type KinesisStreamEvent = Parameters<typeof processBatch>[0];

/**
 * The records a phone sends for `samples` of one device in `format`: one per phone batch of 200 samples,
 * built with devkit's producer record factories.
 */
export function encodeRecords(
  format: ProducerFormatName,
  deviceId: string,
  samples: readonly Sample[],
): EncodedRecord[] {
  const records: EncodedRecord[] = [];
  for (let i = 0; i < samples.length; i += PHONE_BATCH_SAMPLES) {
    const batch = samples.slice(i, i + PHONE_BATCH_SAMPLES);
    const sentAt = (batch.at(-1)?.t ?? 0) + 250;
    const batchId = i / PHONE_BATCH_SAMPLES;
    let data: Uint8Array;
    switch (format) {
      case 'json-2015':
        data = encoder.encode(legacy2015(deviceId, batch));
        break;
      case 'json-v1':
        data = encoder.encode(jsonV1(deviceId, batch, { batchId, sentAt }));
        break;
      case 'gzip-json-v1':
        data = gzip(jsonV1(deviceId, batch, { batchId, sentAt }));
        break;
      case 'avro':
        data = avroBatch(deviceId, batch, { batchId: `b${batchId}`, sentAt });
        break;
    }
    records.push({ data, arrivalMs: sentAt + 500, samples: batch.length });
  }
  return records;
}

/** Record sizes of `format` on the corpus and what Kinesis bills for them. */
export function measureRecords(
  format: ProducerFormatName,
  corpus: Corpus,
  kinesis: Pick<KinesisPrices, 'putPayloadUnitBytes' | 'onDemandRecordRoundingBytes'>,
): RecordFigures {
  const all = corpus.devices.flatMap((d) => encodeRecords(format, d.deviceId, d.samples));
  if (all.length === 0) throw new BenchError('INVALID_DATA', 'the corpus has no samples to encode');
  // A recording's last batch is cut short; a phone streaming all day sends full ones.
  const full = all.filter((r) => r.samples === PHONE_BATCH_SAMPLES);
  const sizes = (full.length > 0 ? full : all).map((r) => r.data.length);
  const mean = (f: (bytes: number) => number): number => sizes.reduce((n, b) => n + f(b), 0) / sizes.length;
  return {
    format,
    records: sizes.length,
    recordsPerDeviceSecond: corpus.samples / PHONE_BATCH_SAMPLES / corpus.deviceSeconds,
    meanRecordBytes: mean((b) => b),
    maxRecordBytes: Math.max(...sizes),
    putPayloadUnitsPerRecord: mean((b) => Math.max(1, Math.ceil(b / kinesis.putPayloadUnitBytes))),
    onDemandBilledBytesPerRecord: mean(
      (b) =>
        Math.max(1, Math.ceil(b / kinesis.onDemandRecordRoundingBytes)) * kinesis.onDemandRecordRoundingBytes,
    ),
  };
}

/** CPU time of this process (user + system), ms: on a shared machine wall time counts other processes too. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best CPU ms of `run` over repeated runs (one warm-up first) lasting at least `minMs` of CPU in all. */
async function bestCpuMs(run: () => Promise<void> | void, minMs: number): Promise<number> {
  await run();
  let best = Number.POSITIVE_INFINITY;
  let spent = 0;
  let runs = 0;
  while (runs < 3 || spent < minMs) {
    const t = cpuMs();
    await run();
    const ms = cpuMs() - t;
    best = Math.min(best, ms);
    spent += ms;
    runs++;
  }
  return best;
}

/** Kinesis records of the corpus in `format`, copied under more device ids until there are at least `count`. */
function eventRecords(format: ProducerFormatName, corpus: Corpus, count: number): KinesisStreamRecord[] {
  const records: KinesisStreamRecord[] = [];
  for (let copy = 0; records.length < count; copy++) {
    for (const device of corpus.devices) {
      const deviceId = copy === 0 ? device.deviceId : deviceIdFor(`${device.source}#${copy}`);
      for (const r of encodeRecords(format, deviceId, device.samples))
        records.push(kinesisRecord(r.data, { arrivalMs: r.arrivalMs }));
    }
    if (copy > 10_000) throw new BenchError('INVALID_DATA', 'the corpus has no samples to encode');
  }
  return records;
}

/** A store that packs and encodes rows as SampleStore.writeMany does, and sends nothing. */
function cpuOnlyStore(windowSeconds: WindowSeconds) {
  return {
    async writeMany(
      entries: readonly { deviceId: string; samples: readonly Sample[] }[],
    ): Promise<WriteReport> {
      const lists = new Map<string, Sample[]>();
      for (const { deviceId, samples } of entries) {
        const list = lists.get(deviceId);
        if (list === undefined) lists.set(deviceId, [...samples]);
        else for (const sample of samples) list.push(sample);
      }
      let rows = 0;
      for (const list of lists.values())
        for (const row of packRows(list, { windowSeconds })) {
          encodeRow(row);
          rows++;
        }
      return {
        rowsWritten: rows,
        rowsMerged: 0,
        rowsUnchanged: 0,
        samplesStored: 0,
        duplicatesDropped: 0,
        conflicts: 0,
        writeUnits: 0,
        readUnits: 0,
        retries: 0,
        failed: [],
      } as unknown as WriteReport;
    },
  };
}

/** Records per timed invocation: a full batch of the stack's event source mapping is 500. */
const TIMED_RECORDS = 200;

/**
 * Handler CPU ms per record of `format` written with `windowSeconds` rows: `processBatch` of the consumer on
 * an event of about 200 records, with a store that packs and encodes rows but does no I/O. For the 2015
 * format written one item per sample, what the 2015 handler did: decode, parse, one item per sample.
 */
export async function measureHandlerCpu(
  format: ProducerFormatName,
  windowSeconds: WindowSeconds | undefined,
  corpus: Corpus,
  minTimingMs: number,
): Promise<number> {
  const records = eventRecords(format, corpus, TIMED_RECORDS);
  let ms: number;
  if (windowSeconds === undefined) {
    ms = await bestCpuMs(() => {
      for (const r of records) {
        const doc = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as {
          userId: string;
          data: { ts: string; x: number; y: number; z: number }[];
        };
        perSample.toItems(
          doc.userId,
          doc.data.map((d) => ({ t: Date.parse(d.ts), x: d.x, y: d.y, z: d.z })),
        );
      }
    }, minTimingMs);
  } else {
    const event: KinesisStreamEvent = { Records: records };
    const store = cpuOnlyStore(windowSeconds);
    ms = await bestCpuMs(async () => {
      const result = await processBatch(event, undefined, { store });
      if (result.response.batchItemFailures.length > 0 || result.badRecords.length > 0)
        throw new BenchError('ROUND_TRIP_FAILED', `the handler rejected ${format} records`);
    }, minTimingMs);
  }
  return ms / records.length;
}

/** Options of {@link measureLayoutInputs}. */
export interface LayoutInputOptions {
  client: DynamoDBClient;
  usage: UsageAssumptions;
  prices: Prices;
  /** Items written to dynalite to check the rules (per-sample layout). */
  maxMeasuredItems: number;
  /** Samples written through SampleStore per window. */
  storeSamples: number;
  /** Seconds between the phone's Kinesis flushes: one writeMany per flush. */
  flushSeconds: number;
}

/**
 * DynamoDB figures of one row layout: the one-item-per-sample layout's units as dynalite reported them for
 * its items; the codec's rows as SampleStore reported them writing one `writeMany` per Kinesis flush
 * (merges of rows split between flushes, and the reads they take, included).
 */
export async function measureLayoutInputs(
  windowSeconds: WindowSeconds | undefined,
  corpus: Corpus,
  options: LayoutInputOptions,
): Promise<LayoutInputs> {
  const layout = windowSeconds === undefined ? perSample : codecRowLayout(windowSeconds);
  const figures = await measureLayout(layout, corpus, {
    client: options.client,
    maxMeasuredItems: options.maxMeasuredItems,
    minTimingMs: 0,
    usage: options.usage,
    prices: options.prices,
  });
  if (windowSeconds === undefined) {
    return {
      layout: layout.name,
      windowSeconds,
      itemWritesPerDeviceSecond: figures.itemsPerDeviceHour / 3600,
      wruPerDeviceSecond: figures.wruPerDeviceSecondMeasured,
      writePathRruPerDeviceSecond: 0,
      rruPerDeviceHour: figures.rruPerDeviceHour,
      storageBytesPerDeviceDay: figures.storageBytesPerDeviceDay,
      writeConcurrency: PUT_CONCURRENCY,
      method: `PutItem per sample on dynalite (${figures.check.itemsWritten} items)`,
    };
  }
  const store = STRATEGIES.find((s) => s.name === 'sample-store')!;
  const run = await runStrategy(store, layout, corpus, {
    client: options.client,
    maxSamples: options.storeSamples,
    maxItems: Number.MAX_SAFE_INTEGER,
    flushSeconds: options.flushSeconds,
  });
  return {
    layout: layout.name,
    windowSeconds,
    itemWritesPerDeviceSecond: run.items / run.deviceSeconds,
    wruPerDeviceSecond: run.wruPerDeviceSecond,
    writePathRruPerDeviceSecond: run.readUnits / run.deviceSeconds,
    rruPerDeviceHour: figures.rruPerDeviceHour,
    storageBytesPerDeviceDay: figures.storageBytesPerDeviceDay,
    writeConcurrency: SAMPLE_STORE_CONCURRENCY,
    method: `SampleStore.writeMany per ${options.flushSeconds} s flush on dynalite (${run.samples} samples, ${run.items} row writes)`,
  };
}

/** The measured inputs of one format and layout, as the cost model takes them. */
export function combineInputs(
  records: RecordFigures,
  layout: LayoutInputs,
  handlerCpuMsPerRecord: number,
): MeasuredInputs {
  return {
    format: records.format,
    layout: layout.layout,
    windowSeconds: layout.windowSeconds,
    recordsPerDeviceSecond: records.recordsPerDeviceSecond,
    meanRecordBytes: records.meanRecordBytes,
    putPayloadUnitsPerRecord: records.putPayloadUnitsPerRecord,
    onDemandBilledBytesPerRecord: records.onDemandBilledBytesPerRecord,
    handlerCpuMsPerRecord,
    itemWritesPerDeviceSecond: layout.itemWritesPerDeviceSecond,
    wruPerDeviceSecond: layout.wruPerDeviceSecond,
    writePathRruPerDeviceSecond: layout.writePathRruPerDeviceSecond,
    rruPerDeviceHour: layout.rruPerDeviceHour,
    storageBytesPerDeviceDay: layout.storageBytesPerDeviceDay,
    writeConcurrency: layout.writeConcurrency,
  };
}
