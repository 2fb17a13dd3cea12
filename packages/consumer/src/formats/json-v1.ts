import type { Sample } from '@secondrow/codec';
import { RecordError } from '../errors.js';
import { checkDeviceId, checkSampleCount, isObject } from './device-id.js';
import type { DecodedBatch, FormatLimits } from './record-part.js';

/**
 * True when a parsed JSON value looks like a JSON v1 record (it has `deviceId` or `samples`),
 * so that a v1 record with a bad field is reported as such rather than as an unknown format.
 */
export function isJsonV1(value: Record<string, unknown>): boolean {
  return 'deviceId' in value || 'samples' in value;
}

/**
 * Reads a JSON v1 record:
 * `{"deviceId": string, "batchId": string|number, "sentAt": epoch ms, "samples": [[t_ms, x_g, y_g, z_g], ...], "instrumentation"?: object}`.
 * `batchId` and `sentAt` are checked when present but may be missing (they only feed instrumentation).
 * Sample values are checked by the codec's `validateSamples` afterwards.
 *
 * @param value - The parsed JSON object.
 * @param limits - Sample count limit.
 * @returns The device's samples, in record order.
 * @throws {@link RecordError} `INVALID_SHAPE`, `NO_DEVICE_ID`, `TOO_MANY_SAMPLES` or `INVALID_SAMPLE` (with `index`).
 * @example
 * ```ts
 * fromJsonV1({ deviceId: 'w1', batchId: 7, sentAt: 1700000000500, samples: [[1700000000000, 0, 0, 1]] }, limits);
 * ```
 */
export function fromJsonV1(value: Record<string, unknown>, limits: FormatLimits): DecodedBatch {
  const deviceId = checkDeviceId(value.deviceId, 'deviceId');
  const { batchId, sentAt, samples: raw, instrumentation } = value;
  if (
    batchId !== undefined &&
    typeof batchId !== 'string' &&
    !(typeof batchId === 'number' && Number.isFinite(batchId))
  ) {
    throw new RecordError('INVALID_SHAPE', 'batchId must be a string or a number', { field: 'batchId' });
  }
  if (sentAt !== undefined && !(typeof sentAt === 'number' && Number.isFinite(sentAt))) {
    throw new RecordError('INVALID_SHAPE', 'sentAt must be a number (epoch ms)', { field: 'sentAt' });
  }
  if (instrumentation !== undefined && !isObject(instrumentation)) {
    throw new RecordError('INVALID_SHAPE', 'instrumentation must be an object', { field: 'instrumentation' });
  }
  if (!Array.isArray(raw)) {
    throw new RecordError('INVALID_SHAPE', 'samples must be an array of [t_ms, x_g, y_g, z_g]', {
      field: 'samples',
    });
  }
  checkSampleCount(raw.length, limits.maxSamplesPerRecord);
  const samples: Sample[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const entry: unknown = raw[i];
    if (!Array.isArray(entry) || entry.length !== 4) {
      throw new RecordError('INVALID_SAMPLE', `samples[${i}] must be an array [t_ms, x_g, y_g, z_g]`, {
        index: i,
        field: 'sample',
      });
    }
    // Values are checked (finite, integer t, range) by validateSamples, which names the field.
    samples[i] = { t: entry[0], x: entry[1], y: entry[2], z: entry[3] };
  }
  return {
    format: 'json-v1',
    deviceId,
    batchId: batchId === undefined ? undefined : String(batchId),
    sentAt: sentAt as number | undefined,
    samples,
  };
}
