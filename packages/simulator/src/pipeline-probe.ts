import type { Sample } from '@secondrow/codec';
import { addReport, emptyReport, type WriteReport } from '@secondrow/codec/dynamodb';
import type { KinesisBatchHandler } from '@secondrow/consumer';
import { type Percentiles, percentiles } from '@secondrow/devkit';
import type { KinesisHandler } from '@secondrow/local';
import type { Delivery } from './phone.js';

/** Totals of every `writeMany` call the consumer made: the store's counts, the calls, and the rows that failed. */
export type StoreTotals = Omit<WriteReport, 'failed'> & { calls: number; failedRows: number };

/** What the probe measured, in milliseconds. */
export interface ProbeLatencies {
  /** Sample taken (true time) → row stored: simulated phone-side delay plus the measured pipeline delay. */
  sampleToStored: Percentiles | null;
  /** PutRecords call → row stored, wall clock. */
  putToStored: Percentiles | null;
  /** Kinesis `approximateArrivalTimestamp` → row stored, wall clock. */
  arrivalToStored: Percentiles | null;
}

type KinesisStreamEvent = Parameters<KinesisHandler>[0];
type KinesisStreamBatchResponse = Awaited<ReturnType<KinesisBatchHandler>>;
type BatchHandler<C> = (
  event: KinesisStreamEvent,
  context: C,
) => Promise<KinesisStreamBatchResponse | undefined>;

/**
 * Watches the pipeline from both ends without changing it: the producer reports each accepted
 * record (sequence number → batch), a wrapper around the handler notes when each record was
 * stored (it was in the event and not in `batchItemFailures`), and a wrapper around the store's
 * `writeMany` adds up the write reports. Records may be stored before the producer hears back
 * from PutRecords, so deliveries and stores are joined only when the figures are read.
 */
export class PipelineProbe {
  readonly #deliveries = new Map<string, Delivery>();
  readonly #storedAt = new Map<string, { wallMs: number; arrivalMs: number | undefined }>();
  readonly #skewByDevice: ReadonlyMap<string, number>;
  readonly #report: WriteReport = emptyReport();
  #calls = 0;
  /** Wall time of the first PutRecords call, epoch ms. */
  firstPutWallMs = Number.POSITIVE_INFINITY;
  /** Wall time the last record was stored, epoch ms. */
  lastStoredWallMs = 0;
  /** Handler invocations seen. */
  invocations = 0;

  /** @param skewByDevice clock offset of each device, ms (sample times are corrected by it for latency). */
  constructor(skewByDevice: ReadonlyMap<string, number> = new Map()) {
    this.#skewByDevice = skewByDevice;
  }

  /** Records accepted by Kinesis so far (resends included). */
  get delivered(): number {
    return this.#deliveries.size;
  }

  /** Accepted records that have been stored. */
  get stored(): number {
    let n = 0;
    for (const seq of this.#deliveries.keys()) if (this.#storedAt.has(seq)) n++;
    return n;
  }

  /** True when every accepted record has been stored. */
  allStored(): boolean {
    for (const seq of this.#deliveries.keys()) if (!this.#storedAt.has(seq)) return false;
    return true;
  }

  /** Producer callback: Kinesis accepted a record. */
  onDelivered = (delivery: Delivery): void => {
    this.#deliveries.set(delivery.sequenceNumber, delivery);
    if (delivery.putWallMs < this.firstPutWallMs) this.firstPutWallMs = delivery.putWallMs;
  };

  /** What every metered `writeMany` call reported, added up. */
  get totals(): StoreTotals {
    const { failed, ...counts } = this.#report;
    return { ...counts, calls: this.#calls, failedRows: failed.length };
  }

  /** Wraps a store so every `writeMany` report is added to {@link PipelineProbe.totals}. */
  meterStore<S extends { writeMany(...args: never[]): Promise<WriteReport> }>(store: S): S {
    const original = store.writeMany.bind(store) as (...args: unknown[]) => Promise<WriteReport>;
    (store as { writeMany: unknown }).writeMany = async (...args: unknown[]): Promise<WriteReport> => {
      const report = await original(...args);
      addReport(this.#report, report);
      this.#calls++;
      return report;
    };
    return store;
  }

  /** Wraps a Kinesis handler so each record's storing time is noted. */
  wrapHandler<C>(
    handler: BatchHandler<C>,
  ): (event: KinesisStreamEvent, context: C) => Promise<KinesisStreamBatchResponse> {
    return async (event, context) => {
      const response = (await handler(event, context)) ?? { batchItemFailures: [] };
      this.invocations++;
      const now = Date.now();
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      // Lambda checkpoints only up to the lowest failed record of each shard; later ones come again.
      let lowestFailed: string | undefined;
      for (const id of failed)
        if (lowestFailed === undefined || compareSeq(id, lowestFailed) < 0) lowestFailed = id;
      for (const record of event.Records) {
        const seq = record.kinesis.sequenceNumber;
        if (lowestFailed !== undefined && compareSeq(seq, lowestFailed) >= 0) continue;
        if (this.#storedAt.has(seq)) continue;
        const arrival = record.kinesis.approximateArrivalTimestamp;
        this.#storedAt.set(seq, {
          wallMs: now,
          arrivalMs: typeof arrival === 'number' ? arrival * 1000 : undefined,
        });
        if (now > this.lastStoredWallMs) this.lastStoredWallMs = now;
      }
      return response;
    };
  }

  /** Latency percentiles over every sample's first storing (resent batches count once). */
  latencies(): ProbeLatencies {
    const firstStore = new Map<string, { delivery: Delivery; wallMs: number }>();
    const putToStored: number[] = [];
    const arrivalToStored: number[] = [];
    for (const [seq, delivery] of this.#deliveries) {
      const stored = this.#storedAt.get(seq);
      if (stored === undefined) continue;
      putToStored.push(stored.wallMs - delivery.putWallMs);
      if (stored.arrivalMs !== undefined) arrivalToStored.push(stored.wallMs - stored.arrivalMs);
      const key = `${delivery.deviceId}/${delivery.batchId}`;
      const previous = firstStore.get(key);
      if (previous === undefined || stored.wallMs < previous.wallMs)
        firstStore.set(key, { delivery, wallMs: stored.wallMs });
    }
    let n = 0;
    for (const { delivery } of firstStore.values()) n += delivery.samples.length;
    const sampleToStored = new Float64Array(n);
    let i = 0;
    for (const { delivery, wallMs } of firstStore.values()) {
      const skew = this.#skewByDevice.get(delivery.deviceId) ?? 0;
      const pipelineMs = wallMs - delivery.putWallMs;
      for (const s of delivery.samples as Sample[])
        sampleToStored[i++] = delivery.flushAtMs - (s.t - skew) + pipelineMs;
    }
    return {
      sampleToStored: percentiles(sampleToStored),
      putToStored: percentiles(putToStored),
      arrivalToStored: percentiles(arrivalToStored),
    };
  }
}

/** Orders Kinesis sequence numbers (decimal strings of up to 128 bits). */
function compareSeq(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}
