import type { Sample } from '@secondrow/codec';
import { BenchError } from '../errors.js';
import { byTime, groupBySecond, type Item, type Layout, numberOf, toMg } from './layout.js';

function numbers(item: Item, attribute: string): number[] {
  const list = item[attribute]?.L;
  if (list === undefined)
    throw new BenchError('ROUND_TRIP_FAILED', `item has no list attribute ${attribute}`);
  return list.map((v) => Number(v.N));
}

/**
 * One item per second with four number lists (ms offsets, x, y, z in whole mg): the careful hand-written
 * layout, already quantized like the codec, so the difference left is DynamoDB's number encoding.
 */
export const perSecondLists: Layout = {
  name: 'per-second-lists',
  description: 'one item per second, number lists t (ms offset) and x/y/z in integer mg (careful, no codec)',
  keySchema: { partitionKey: 'd', sortKey: 's', sortKeyType: 'N' },
  toleranceG: 0.0005,
  isPayload: (attribute) => attribute === 't' || attribute === 'x' || attribute === 'y' || attribute === 'z',
  toItems(deviceId: string, samples: readonly Sample[]): Item[] {
    const items: Item[] = [];
    for (const [second, group] of groupBySecond(samples)) {
      const list = (f: (s: Sample) => number) => ({ L: group.map((s) => ({ N: String(f(s)) })) });
      items.push({
        d: { S: deviceId },
        s: { N: String(second) },
        t: list((s) => s.t - second * 1000),
        x: list((s) => toMg(s.x)),
        y: list((s) => toMg(s.y)),
        z: list((s) => toMg(s.z)),
      });
    }
    return items;
  },
  fromItems(items: readonly Item[]): Sample[] {
    const samples: Sample[] = [];
    for (const item of items) {
      const base = numberOf(item, 's') * 1000;
      const [t, x, y, z] = ['t', 'x', 'y', 'z'].map((a) => numbers(item, a));
      t!.forEach((offset, i) => {
        samples.push({ t: base + offset, x: x![i]! / 1000, y: y![i]! / 1000, z: z![i]! / 1000 });
      });
    }
    return byTime(samples);
  },
};
