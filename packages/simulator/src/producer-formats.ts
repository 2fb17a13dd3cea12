import { encodeBatch } from '@secondrow/codec';
import type { Prng } from '@secondrow/devkit';
import { InvalidSimulatorOptionError } from './errors.js';
import type { RecordEntry } from './record-sink.js';
import type { WatchBatch } from './watch.js';

/**
 * Record formats a phone can send:
 * - `json-v1`: `{"deviceId","batchId","sentAt","samples":[[t,x,y,z],...],"instrumentation":{...}}`, key = device id;
 * - `avro`: the codec's binary batch (`encodeBatch`), key = device id;
 * - `json-2015`: the 2015 app's `{"userId","id","processDate","data":[{"ts","x","y","z","id"}]}`, key = a random UUID.
 */
export type ProducerFormat = 'json-v1' | 'avro' | 'json-2015';

/** Every {@link ProducerFormat}. */
export const PRODUCER_FORMATS: readonly ProducerFormat[] = ['json-v1', 'avro', 'json-2015'];

/** What the phone adds to a watch batch when it queues it. */
export interface RecordContext {
  /** Id of the batch (unique per device). */
  batchId: string;
  /** Phone time the batch was queued, epoch ms. */
  sentAt: number;
  /** The phone's UTC offset, minutes (the 2015 format writes local times). */
  utcOffsetMinutes: number;
  /** Draws the 2015 format's random partition keys. */
  prng: Prng;
  /** Extra fields of the JSON v1 `instrumentation` object. */
  instrumentation?: Record<string, string | number | boolean>;
}

const encoder = new TextEncoder();

/**
 * Encodes one watch batch as a Kinesis record in `format`.
 *
 * @throws {InvalidSimulatorOptionError} on an unknown format.
 */
export function encodeProducerRecord(
  format: ProducerFormat,
  batch: WatchBatch,
  ctx: RecordContext,
): RecordEntry {
  switch (format) {
    case 'json-v1':
      return {
        partitionKey: batch.deviceId,
        data: encoder.encode(
          JSON.stringify({
            deviceId: batch.deviceId,
            batchId: ctx.batchId,
            sentAt: ctx.sentAt,
            samples: batch.samples.map((s) => [s.t, s.x, s.y, s.z]),
            instrumentation: {
              watchBatchSeq: batch.seq,
              samples: batch.samples.length,
              ...ctx.instrumentation,
            },
          }),
        ),
      };
    case 'avro':
      return {
        partitionKey: batch.deviceId,
        data: encodeBatch({
          deviceId: batch.deviceId,
          batchId: ctx.batchId,
          sentAt: ctx.sentAt,
          samples: batch.samples,
        }),
      };
    case 'json-2015':
      return {
        partitionKey: ctx.prng.uuidV4(),
        data: encoder.encode(
          JSON.stringify({
            userId: batch.deviceId,
            id: ctx.batchId,
            processDate: isoWithOffset(ctx.sentAt, ctx.utcOffsetMinutes),
            data: batch.samples.map((s, i) => ({
              ts: isoWithOffset(s.t, ctx.utcOffsetMinutes),
              x: s.x,
              y: s.y,
              z: s.z,
              id: batch.seq * 1000 + i,
            })),
          }),
        ),
      };
    default:
      throw new InvalidSimulatorOptionError('format', `unknown producer format ${String(format)}`);
  }
}

/**
 * ISO-8601 local time with milliseconds and UTC offset, as the 2015 iOS app wrote it,
 * e.g. `2015-10-15T21:10:46.409-07:00`.
 */
export function isoWithOffset(epochMs: number, utcOffsetMinutes: number): string {
  const local = new Date(epochMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
