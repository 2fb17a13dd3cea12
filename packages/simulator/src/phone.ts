import type { Sample } from '@secondrow/codec';
import type { Prng } from '@secondrow/devkit';
import type { VirtualClock } from './clock.js';
import { InvalidSimulatorOptionError } from './errors.js';
import { type InjectedFaults, noInjectedFaults, reorderInPlace } from './faults.js';
import { splitBatch } from './mqtt-batches.js';
import { encodeProducerRecord, type ProducerFormat } from './producer-formats.js';
import {
  chunkEntries,
  MAX_BYTES_PER_CALL,
  MAX_RECORDS_PER_CALL,
  type RecordEntry,
  type RecordSink,
} from './record-sink.js';
import type { WatchBatch } from './watch.js';

/** A record waiting in the phone's Kinesis recorder. */
interface QueuedRecord extends RecordEntry {
  batchId: string;
  samples: readonly Sample[];
  /** Successful sends so far. */
  sends: number;
  /** The lost-reply fault already hit this record (it hits each record at most once). */
  replyLost: boolean;
}

/** One record Kinesis accepted. */
export interface Delivery {
  deviceId: string;
  batchId: string;
  samples: readonly Sample[];
  sequenceNumber: string;
  shardId: string;
  /** Simulated time of the flush, epoch ms. */
  flushAtMs: number;
  /** Wall-clock time the PutRecords call was made, epoch ms. */
  putWallMs: number;
  /** True when Kinesis already accepted this record before (a resend after a lost reply). */
  resend: boolean;
}

/** What one flush did. */
export interface FlushOutcome {
  /** PutRecords calls made, retries included. */
  calls: number;
  /** Records accepted by Kinesis (resends included). */
  accepted: number;
  /** Records that came back with an error code, summed over attempts. */
  failedRecords: number;
  /** Calls that failed as a whole. */
  failedCalls: number;
  /** Records still queued afterwards (failed every attempt, or reply lost). */
  remaining: number;
}

/** Options of {@link Phone}. */
export interface PhoneOptions {
  deviceId: string;
  format: ProducerFormat;
  sink: RecordSink;
  /** Sleeps between retries (simulated time). */
  clock: VirtualClock;
  /** Draws faults and the 2015 format's partition keys. */
  prng: Prng;
  /** Probability per accepted record that its reply is lost (it is sent again next flush). Default 0. */
  duplicateRate?: number;
  /** Probability per record that it swaps with the next one in a flush. Default 0. */
  reorderRate?: number;
  /** UTC offset of the phone, minutes (2015 format). Default 0. */
  utcOffsetMinutes?: number;
  /** PutRecords attempts per flush for records that keep failing. Default 4. */
  maxAttempts?: number;
  /** First retry delay, simulated ms; doubles per attempt. Default 100. */
  baseDelayMs?: number;
  /** Records per PutRecords call. Default 500 (the Kinesis limit). */
  maxRecordsPerCall?: number;
  /** Bytes per PutRecords call. Default 5 MiB (the Kinesis limit). */
  maxBytesPerCall?: number;
  /**
   * Split each Avro batch into records of at most this many bytes ({@link splitBatch}), e.g. to keep MQTT
   * messages within one IoT Core metering unit. Only with the `avro` format. Default: one record per batch.
   */
  maxRecordBytes?: number;
  /** Counters the phone adds its injected faults to. */
  injected?: InjectedFaults;
  /** Called for every record Kinesis accepts. */
  onDelivered?: (delivery: Delivery) => void;
}

/**
 * The phone and its Kinesis recorder: queues each watch batch as one record (encoded once, so a
 * resend is byte-identical) and, on every flush, sends the queue with PutRecords in calls of at
 * most 500 records / 5 MiB, retrying the records that fail (FailedRecordCount / ErrorCode) with
 * exponential backoff. Records that still fail stay queued for the next flush: at-least-once.
 */
export class Phone {
  readonly deviceId: string;
  readonly #o: PhoneOptions;
  readonly #injected: InjectedFaults;
  #queue: QueuedRecord[] = [];
  #batchCounter = 0;

  /** @throws {InvalidSimulatorOptionError} when `maxRecordBytes` is given with a format other than `avro`. */
  constructor(options: PhoneOptions) {
    if (options.maxRecordBytes !== undefined && options.format !== 'avro') {
      throw new InvalidSimulatorOptionError(
        'maxRecordBytes',
        `split records need the avro format, got ${options.format}`,
      );
    }
    this.deviceId = options.deviceId;
    this.#o = options;
    this.#injected = options.injected ?? noInjectedFaults();
  }

  /** Records waiting to be sent. */
  get backlog(): number {
    return this.#queue.length;
  }

  /** Queues a batch from the watch; the phone stamps it with its own clock (`batch.handedAtMs`). */
  receive(batch: WatchBatch): void {
    const batchId = `${batch.seq}`;
    this.#batchCounter++;
    if (this.#o.maxRecordBytes !== undefined) {
      const whole = { deviceId: batch.deviceId, batchId, sentAt: batch.handedAtMs, samples: batch.samples };
      for (const part of splitBatch(whole, this.#o.maxRecordBytes)) {
        this.#queue.push({
          partitionKey: batch.deviceId,
          data: part.data,
          batchId: part.batchId,
          samples: part.samples,
          sends: 0,
          replyLost: false,
        });
      }
      return;
    }
    const entry = encodeProducerRecord(this.#o.format, batch, {
      batchId,
      sentAt: batch.handedAtMs,
      utcOffsetMinutes: this.#o.utcOffsetMinutes ?? 0,
      prng: this.#o.prng,
      instrumentation: {
        queuedAt: batch.handedAtMs,
        phoneBatch: this.#batchCounter,
        producer: 'secondrow-simulator',
      },
    });
    this.#queue.push({ ...entry, batchId, samples: batch.samples, sends: 0, replyLost: false });
  }

  /** Sends everything queued (see the class description). `nowMs` is the simulated flush time. */
  async flush(nowMs: number): Promise<FlushOutcome> {
    const outcome: FlushOutcome = { calls: 0, accepted: 0, failedRecords: 0, failedCalls: 0, remaining: 0 };
    const pending = this.#queue;
    this.#queue = [];
    if (pending.length === 0) return outcome;
    this.#injected.reorderedRecords += reorderInPlace(pending, this.#o.reorderRate ?? 0, this.#o.prng);
    const keep: QueuedRecord[] = [];
    const maxAttempts = this.#o.maxAttempts ?? 4;
    const baseDelayMs = this.#o.baseDelayMs ?? 100;
    for (const chunk of chunkEntries(
      pending,
      this.#o.maxRecordsPerCall ?? MAX_RECORDS_PER_CALL,
      this.#o.maxBytesPerCall ?? MAX_BYTES_PER_CALL,
    )) {
      let toSend = chunk;
      for (let attempt = 1; toSend.length > 0 && attempt <= maxAttempts; attempt++) {
        if (attempt > 1) await this.#o.clock.sleep(baseDelayMs * 2 ** (attempt - 2), nowMs);
        outcome.calls++;
        const putWallMs = Date.now();
        let results: Awaited<ReturnType<RecordSink['putRecords']>>;
        try {
          results = await this.#o.sink.putRecords(toSend);
        } catch {
          // The whole call failed (network, throttling of the call): every record is retried.
          outcome.failedCalls++;
          continue;
        }
        const retry: QueuedRecord[] = [];
        toSend.forEach((record, i) => {
          const result = results[i];
          if (result === undefined || result.errorCode !== undefined || result.sequenceNumber === undefined) {
            outcome.failedRecords++;
            retry.push(record);
            return;
          }
          outcome.accepted++;
          record.sends++;
          this.#o.onDelivered?.({
            deviceId: this.deviceId,
            batchId: record.batchId,
            samples: record.samples,
            sequenceNumber: result.sequenceNumber,
            shardId: result.shardId ?? '',
            flushAtMs: nowMs,
            putWallMs,
            resend: record.sends > 1,
          });
          if (!record.replyLost && this.#o.prng.chance(this.#o.duplicateRate ?? 0)) {
            // The reply never reached the phone: it keeps the record and sends it again next flush.
            record.replyLost = true;
            this.#injected.duplicatedRecords++;
            this.#injected.duplicatedSamples += record.samples.length;
            keep.push(record);
          }
        });
        toSend = retry;
      }
      keep.push(...toSend);
    }
    this.#queue = keep.concat(this.#queue);
    outcome.remaining = this.#queue.length;
    return outcome;
  }
}
