import type { Sample } from '@secondrow/codec';
import { byTime, type Item, type Layout, numberOf } from './layout.js';

/** Samples per batch as the 2015 watch app sent them (200 samples, 4 s at 50 Hz). */
const BATCH_SAMPLES = 200;

/** A deterministic UUID-shaped batch id, as long as the real ones (36 characters). */
function batchIdFor(deviceId: string, firstT: number): string {
  const hex = (Math.abs(hash(`${deviceId}/${firstT}`)) >>> 0).toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(5, 8)}-${hex}${hex.slice(0, 4)}`;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h;
}

/**
 * One item per sample with native attributes, as the 2015 consumer stored them: Cognito id and timestamp as
 * the key, x/y/z as numbers at full precision, and the batch id and processing date the Lambda added.
 */
export const perSample: Layout = {
  name: 'per-sample',
  description:
    'one item per sample, native N attributes x/y/z plus batch id and process date (the 2015 consumer)',
  keySchema: { partitionKey: 'cognitoId', sortKey: 'timestamp', sortKeyType: 'N' },
  toleranceG: 0,
  isPayload: (attribute) => attribute === 'x' || attribute === 'y' || attribute === 'z',
  toItems(deviceId: string, samples: readonly Sample[]): Item[] {
    const items: Item[] = [];
    for (let i = 0; i < samples.length; i += BATCH_SAMPLES) {
      const batch = samples.slice(i, i + BATCH_SAMPLES);
      const batchId = batchIdFor(deviceId, batch[0]!.t);
      // The Lambda stamped each record with its own clock; about 30 s after the last sample (Kinesis flush).
      const processDate = new Date(batch[batch.length - 1]!.t + 30_000).toISOString();
      for (const s of batch) {
        items.push({
          cognitoId: { S: deviceId },
          timestamp: { N: String(s.t) },
          x: { N: String(s.x) },
          y: { N: String(s.y) },
          z: { N: String(s.z) },
          batchId: { S: batchId },
          processDate: { S: processDate },
        });
      }
    }
    return items;
  },
  fromItems(items: readonly Item[]): Sample[] {
    return byTime(
      items.map((item) => ({
        t: numberOf(item, 'timestamp'),
        x: numberOf(item, 'x'),
        y: numberOf(item, 'y'),
        z: numberOf(item, 'z'),
      })),
    );
  },
};
