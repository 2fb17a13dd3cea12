import { itemSize, type SizedItem, writeUnits } from '@secondrow/codec';
import { DYNAMODB_PRICES, HOURS_PER_MONTH, type Prices } from '@secondrow/devkit';
import { isoWithOffset } from './producer-formats.js';

/**
 * USD per device-month of on-demand writes for a device that costs `writeUnitsPerDeviceSecond` write units
 * per second, at `prices` (default the codec's dated {@link DYNAMODB_PRICES}); a month is 730 hours.
 */
export function writeUsdPerDeviceMonth(
  writeUnitsPerDeviceSecond: number,
  prices: Prices = DYNAMODB_PRICES,
): number {
  return (writeUnitsPerDeviceSecond * HOURS_PER_MONTH * 3600 * prices.onDemandWriteUsdPerMillion) / 1e6;
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
