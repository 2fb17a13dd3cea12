import { type Batch, encodeBatch, type Sample } from '@secondrow/codec';
import { IOT_CORE_PRICES } from '@secondrow/devkit';
import { InvalidSimulatorOptionError } from './errors.js';

/** One MQTT message of a split batch: its batch id, samples and encoded payload. */
export interface BatchPart {
  /** The batch's id, or `<batchId>.<n>` (n from 1) for a part of a split batch. */
  batchId: string;
  samples: Sample[];
  /** The codec's binary Avro batch of these samples (`encodeBatch`), the MQTT payload unchanged. */
  data: Uint8Array;
}

/**
 * Most payload bytes of one message that stays within one IoT Core metering unit (5 KB, counted over the
 * payload and the topic) when published to a topic of `topicBytes` bytes.
 */
export function payloadBudget(topicBytes: number): number {
  return IOT_CORE_PRICES.meteringUnitBytes - topicBytes;
}

/**
 * Encodes a batch as one MQTT payload, or, when it does not fit in `maxBytes`, as several: the samples
 * are cut, in order, into `ceil(size / maxBytes)` runs of about equal count, each encoded as a batch of
 * its own with the same device and send time and batch id `<batchId>.<n>`; a run that still does not fit
 * is cut again the same way, down to one sample per message. The consumer stores the union of the
 * samples of every part (rows are merged sample by sample), so a split batch stores as the whole would.
 *
 * @param maxBytes - Payload budget, bytes (e.g. {@link payloadBudget}); at least 64.
 * @throws {InvalidSimulatorOptionError} when `maxBytes` is below 64 or not an integer.
 * @throws the codec's errors for an invalid batch.
 */
export function splitBatch(batch: Batch, maxBytes: number): BatchPart[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 64) {
    throw new InvalidSimulatorOptionError('maxBytes', `maxBytes must be an integer >= 64, got ${maxBytes}`);
  }
  const out: BatchPart[] = [];
  const split = (batchId: string, samples: Sample[]): void => {
    const data = encodeBatch({ ...batch, batchId, samples });
    if (data.byteLength <= maxBytes || samples.length <= 1) {
      out.push({ batchId, samples, data });
      return;
    }
    const parts = Math.min(samples.length, Math.ceil(data.byteLength / maxBytes));
    const per = Math.ceil(samples.length / parts);
    for (let i = 0, n = 1; i < samples.length; i += per, n++) {
      split(`${batchId}.${n}`, samples.slice(i, i + per));
    }
  };
  split(batch.batchId, batch.samples);
  return out;
}
