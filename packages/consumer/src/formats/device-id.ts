import { RecordError } from '../errors.js';

/** Longest accepted device id, in UTF-16 code units; far below DynamoDB's 2 KB partition key limit. */
export const MAX_DEVICE_ID_LENGTH = 256;

/** Prefix of quarantine partition keys; a device id may not start with it, so rows and quarantine never collide. */
export const QUARANTINE_PREFIX = 'quarantine#';

/**
 * Checks that `value` can be a device id (the row's partition key).
 *
 * @param value - Candidate taken from a record.
 * @param field - Record field it came from, for the error message.
 * @returns The device id.
 * @throws {@link RecordError} `NO_DEVICE_ID` when it is missing, not a non-empty string, too long or reserved.
 */
export function checkDeviceId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new RecordError('NO_DEVICE_ID', `${field} must be a non-empty string`, { field });
  }
  if (value.length > MAX_DEVICE_ID_LENGTH) {
    throw new RecordError('NO_DEVICE_ID', `${field} is longer than ${MAX_DEVICE_ID_LENGTH} characters`, {
      field,
    });
  }
  if (value.startsWith(QUARANTINE_PREFIX)) {
    throw new RecordError(
      'NO_DEVICE_ID',
      `${field} may not start with the reserved prefix "${QUARANTINE_PREFIX}"`,
      {
        field,
      },
    );
  }
  return value;
}

/**
 * Rejects records holding more samples than allowed, before they are converted.
 *
 * @throws {@link RecordError} `TOO_MANY_SAMPLES`.
 */
export function checkSampleCount(count: number, max: number): void {
  if (count > max) {
    throw new RecordError(
      'TOO_MANY_SAMPLES',
      `record holds ${count} samples, more than ${max} (MAX_SAMPLES_PER_RECORD)`,
    );
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
