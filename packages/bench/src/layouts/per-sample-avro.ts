import type { Sample } from '@secondrow/codec';
import avsc from 'avsc';
import { byTime, bytesOf, type Item, type Layout, numberOf } from './layout.js';

/** "Shrink the event": x, y, z as Avro floats (4 bytes each), no framing; the time lives in the sort key. */
const SAMPLE_TYPE = avsc.Type.forSchema({
  type: 'record',
  name: 'AccelSample',
  namespace: 'bench',
  fields: [
    { name: 'x', type: 'float' },
    { name: 'y', type: 'float' },
    { name: 'z', type: 'float' },
  ],
});

/** Float32 keeps about 7 significant digits: below 1e-6 g for |v| < 16 g. */
const FLOAT32_TOLERANCE_G = 1e-6;

/** One item per sample with a 12-byte Avro payload; the 2015 post's "shrink the event" and "consider Avro". */
export const perSampleAvro: Layout = {
  name: 'per-sample-avro',
  description: 'one item per sample, x/y/z in a 12-byte Avro record (float) in a B attribute',
  keySchema: { partitionKey: 'd', sortKey: 't', sortKeyType: 'N' },
  toleranceG: FLOAT32_TOLERANCE_G,
  isPayload: (attribute) => attribute === 'p',
  toItems(deviceId: string, samples: readonly Sample[]): Item[] {
    return samples.map((s) => ({
      d: { S: deviceId },
      t: { N: String(s.t) },
      p: { B: new Uint8Array(SAMPLE_TYPE.toBuffer({ x: s.x, y: s.y, z: s.z })) },
    }));
  },
  fromItems(items: readonly Item[]): Sample[] {
    return byTime(
      items.map((item) => {
        const v = SAMPLE_TYPE.fromBuffer(Buffer.from(bytesOf(item, 'p'))) as {
          x: number;
          y: number;
          z: number;
        };
        return { t: numberOf(item, 't'), x: v.x, y: v.y, z: v.z };
      }),
    );
  },
};
