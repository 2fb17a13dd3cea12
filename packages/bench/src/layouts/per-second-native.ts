import type { Sample } from '@secondrow/codec';
import { byTime, groupBySecond, type Item, type Layout, numberOf } from './layout.js';

/** Prefix of the per-millisecond columns: `ms123` holds the sample at 123 ms into the second. */
const COLUMN_PREFIX = 'ms';

/**
 * One item per second with one attribute per sample named by its millisecond, `ms123: [x, y, z]` as a number
 * list at full precision: the 2016 follow-up, what a user does without a codec.
 */
export const perSecondNative: Layout = {
  name: 'per-second-native',
  description:
    'one item per second, one attribute per sample named by its millisecond: ms123 = [x, y, z] (2016)',
  keySchema: { partitionKey: 'd', sortKey: 's', sortKeyType: 'N' },
  toleranceG: 0,
  isPayload: (attribute) => attribute.startsWith(COLUMN_PREFIX),
  toItems(deviceId: string, samples: readonly Sample[]): Item[] {
    const items: Item[] = [];
    for (const [second, group] of groupBySecond(samples)) {
      const item: Item = { d: { S: deviceId }, s: { N: String(second) } };
      for (const sample of group) {
        item[`${COLUMN_PREFIX}${sample.t - second * 1000}`] = {
          L: [{ N: String(sample.x) }, { N: String(sample.y) }, { N: String(sample.z) }],
        };
      }
      items.push(item);
    }
    return items;
  },
  fromItems(items: readonly Item[]): Sample[] {
    const samples: Sample[] = [];
    for (const item of items) {
      const base = numberOf(item, 's') * 1000;
      for (const [name, value] of Object.entries(item)) {
        if (!name.startsWith(COLUMN_PREFIX) || value.L === undefined) continue;
        const [x, y, z] = value.L.map((v) => Number(v.N));
        samples.push({ t: base + Number(name.slice(COLUMN_PREFIX.length)), x: x!, y: y!, z: z! });
      }
    }
    return byTime(samples);
  },
};
