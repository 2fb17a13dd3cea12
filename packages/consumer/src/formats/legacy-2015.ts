import type { Sample } from '@secondrow/codec';
import { RecordError } from '../errors.js';
import { checkDeviceId, checkSampleCount, isObject } from './device-id.js';
import type { DecodedBatch, FormatLimits } from './record-part.js';

// YYYY-MM-DDTHH:mm:ss.SSS then Z, ±HH:MM or ±HHMM. Exactly three fraction digits: the app wrote
// milliseconds, and anything else means a different producer whose precision we would guess.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Parses an ISO-8601 timestamp with milliseconds and a UTC offset, as the 2015
 * iPhone app wrote them (`2015-10-15T21:10:46.409-07:00`), strictly: every
 * field is range-checked, so `2015-02-30` or `24:00` are rejected rather than rolled over.
 *
 * @param text - The timestamp.
 * @returns Epoch milliseconds (UTC), or `undefined` when `text` is not such a timestamp.
 * @example
 * ```ts
 * parseLegacyTimestamp('2015-10-15T21:10:46.409-07:00'); // 1444968646409
 * ```
 */
export function parseLegacyTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second, ms] = m.slice(1, 8).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Years before 1970 cannot be sensor data (and Date.UTC would map 0-99 to 1900-1999).
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  // Day 0 of the next month is the last day of this one.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 14 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/** True when a parsed JSON value looks like a record of the 2015 iPhone app (it has `userId` or `data`). */
export function isLegacy2015(value: Record<string, unknown>): boolean {
  return 'userId' in value || 'data' in value;
}

/**
 * Reads a record of the 2015 iPhone app:
 * `{"userId": string, "id": string, "processDate": ISO-8601, "data": [{"ts": ISO-8601 ms + offset, "x", "y", "z", "id"}]}`.
 * The device id is `userId` (the Kinesis partition key was a random UUID); `id` becomes the batch id and
 * `processDate` the send time.
 *
 * @param value - The parsed JSON object.
 * @param limits - Sample count limit.
 * @returns The device's samples, in record order.
 * @throws {@link RecordError} `INVALID_SHAPE`, `NO_DEVICE_ID`, `TOO_MANY_SAMPLES` or `INVALID_SAMPLE` (with `index`, `field`).
 */
export function fromLegacy2015(value: Record<string, unknown>, limits: FormatLimits): DecodedBatch {
  const deviceId = checkDeviceId(value.userId, 'userId');
  const { id, processDate, data } = value;
  if (id !== undefined && typeof id !== 'string') {
    throw new RecordError('INVALID_SHAPE', 'id must be a string', { field: 'id' });
  }
  let sentAt: number | undefined;
  if (processDate !== undefined) {
    sentAt = typeof processDate === 'string' ? Date.parse(processDate) : Number.NaN;
    if (Number.isNaN(sentAt)) {
      throw new RecordError('INVALID_SHAPE', 'processDate must be an ISO-8601 date', {
        field: 'processDate',
      });
    }
  }
  if (!Array.isArray(data)) {
    throw new RecordError('INVALID_SHAPE', 'data must be an array of {ts, x, y, z}', { field: 'data' });
  }
  checkSampleCount(data.length, limits.maxSamplesPerRecord);
  const samples: Sample[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const entry: unknown = data[i];
    if (!isObject(entry)) {
      throw new RecordError('INVALID_SAMPLE', `data[${i}] must be an object {ts, x, y, z}`, {
        index: i,
        field: 'sample',
      });
    }
    const t = typeof entry.ts === 'string' ? parseLegacyTimestamp(entry.ts) : undefined;
    if (t === undefined) {
      throw new RecordError(
        'INVALID_SAMPLE',
        `data[${i}].ts must be an ISO-8601 timestamp with milliseconds and a UTC offset, got ${JSON.stringify(entry.ts)}`,
        { index: i, field: 'ts' },
      );
    }
    samples[i] = { t, x: entry.x as number, y: entry.y as number, z: entry.z as number };
  }
  return { format: 'legacy-2015', deviceId, batchId: id, sentAt, samples };
}
