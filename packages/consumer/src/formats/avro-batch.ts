import { decodeBatch, isBatchBytes, isCodecError } from '@secondrow/codec';
import { RecordError } from '../errors.js';
import { checkDeviceId, checkSampleCount } from './device-id.js';
import type { DecodedBatch, FormatLimits } from './record-part.js';

/**
 * True when `bytes` is a producer batch in the codec's Avro single-object encoding.
 *
 * @param bytes - Record payload.
 */
export function isAvroBatch(bytes: Uint8Array): boolean {
  return isBatchBytes(bytes);
}

/**
 * Reads a producer batch written by the codec's `encodeBatch`.
 *
 * @param bytes - Avro single-object bytes (`C3 01` + batch fingerprint + body).
 * @param limits - Sample count limit.
 * @returns The device's samples, in record order.
 * @throws {@link RecordError} `UNDECODABLE` (cause: the codec's `DecodeError`), `NO_DEVICE_ID` or `TOO_MANY_SAMPLES`.
 */
export function fromAvroBatch(bytes: Uint8Array, limits: FormatLimits): DecodedBatch {
  let batch: ReturnType<typeof decodeBatch>;
  try {
    batch = decodeBatch(bytes);
  } catch (error) {
    if (!isCodecError(error)) throw error;
    throw new RecordError('UNDECODABLE', `invalid Avro producer batch: ${error.message}`, { cause: error });
  }
  const deviceId = checkDeviceId(batch.deviceId, 'deviceId');
  checkSampleCount(batch.samples.length, limits.maxSamplesPerRecord);
  return {
    format: 'avro-batch',
    deviceId,
    batchId: batch.batchId,
    sentAt: Number.isFinite(batch.sentAt) ? batch.sentAt : undefined,
    samples: batch.samples,
  };
}
