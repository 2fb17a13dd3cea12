import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Sample } from '@secondrow/codec';
import { byTime, bytesOf, groupBySecond, type Item, type Layout, numberOf, toMg } from './layout.js';

/**
 * One item per second holding deflate(JSON [[ms offset, x mg, y mg, z mg], ...]): generic compression with no
 * schema, to show how much of the codec's gain any compressor gets at one second, and what it misses.
 */
export const perSecondDeflate: Layout = {
  name: 'per-second-deflate',
  description: 'one item per second, raw deflate of a JSON array of [ms, x mg, y mg, z mg] in a B attribute',
  keySchema: { partitionKey: 'd', sortKey: 's', sortKeyType: 'N' },
  toleranceG: 0.0005,
  isPayload: (attribute) => attribute === 'p',
  toItems(deviceId: string, samples: readonly Sample[]): Item[] {
    const items: Item[] = [];
    for (const [second, group] of groupBySecond(samples)) {
      const json = JSON.stringify(group.map((s) => [s.t - second * 1000, toMg(s.x), toMg(s.y), toMg(s.z)]));
      items.push({
        d: { S: deviceId },
        s: { N: String(second) },
        p: { B: new Uint8Array(deflateRawSync(json, { level: 9 })) },
      });
    }
    return items;
  },
  fromItems(items: readonly Item[]): Sample[] {
    const samples: Sample[] = [];
    for (const item of items) {
      const base = numberOf(item, 's') * 1000;
      const rows = JSON.parse(inflateRawSync(bytesOf(item, 'p')).toString('utf8')) as number[][];
      for (const [t, x, y, z] of rows)
        samples.push({ t: base + t!, x: x! / 1000, y: y! / 1000, z: z! / 1000 });
    }
    return byTime(samples);
  },
};
