import { itemSize, type SizedItem, writeUnits } from '@secondrow/codec';
import { isoWithOffset } from './producer-formats.js';

/**
 * DynamoDB on-demand price of one million write request units, USD, us-east-1, as of 2025-11
 * (after the 50 % on-demand price cut effective 2024-11-01; aws.amazon.com/dynamodb/pricing/on-demand/,
 * cross-checked with airbyte.com/data-engineering-resources/dynamodb-pricing of 2025-07-21).
 */
export const ON_DEMAND_USD_PER_MILLION_WRITE_UNITS = 0.625;

/** DynamoDB on-demand price of one million read request units, USD, us-east-1, as of 2025-11 (same sources). */
export const ON_DEMAND_USD_PER_MILLION_READ_UNITS = 0.125;

/** Date the prices above were checked (year-month). */
export const PRICES_AS_OF = '2025-11';

/** Seconds in the "month" of the per-device-month figures: 30 days. */
export const SECONDS_PER_MONTH = 30 * 86_400;

/** USD per device-month of writes for a device that costs `writeUnitsPerDeviceSecond` write units per second. */
export function writeUsdPerDeviceMonth(writeUnitsPerDeviceSecond: number): number {
  return (writeUnitsPerDeviceSecond * SECONDS_PER_MONTH * ON_DEMAND_USD_PER_MILLION_WRITE_UNITS) / 1e6;
}

/**
 * The DynamoDB item the 2015 pipeline wrote for one sample (one `PutItem` per reading): the Cognito id,
 * the phone's local ISO timestamp, the three values, the sample id and the batch's process date.
 */
export function perSampleItem(
  deviceId: string,
  sample: { t: number; x: number; y: number; z: number },
  sampleId: number,
  utcOffsetMinutes = -420,
): SizedItem {
  return {
    userId: { S: deviceId },
    ts: { S: isoWithOffset(sample.t, utcOffsetMinutes) },
    x: { N: String(sample.x) },
    y: { N: String(sample.y) },
    z: { N: String(sample.z) },
    id: { N: String(sampleId) },
    processDate: { S: isoWithOffset(sample.t + 30_000, utcOffsetMinutes) },
  };
}

/** Mean write units and bytes of one per-sample item over `samples` (each item is its own write). */
export function perSampleItemCost(
  deviceId: string,
  samples: readonly { t: number; x: number; y: number; z: number }[],
): { writeUnitsPerSample: number; bytesPerSample: number } {
  if (samples.length === 0) return { writeUnitsPerSample: 1, bytesPerSample: 0 };
  let units = 0;
  let bytes = 0;
  samples.forEach((sample, i) => {
    const item = perSampleItem(deviceId, sample, i);
    units += writeUnits(item);
    bytes += itemSize(item);
  });
  return { writeUnitsPerSample: units / samples.length, bytesPerSample: bytes / samples.length };
}
