import {
  DEFAULT_RESOLUTION,
  fromItem,
  ITEM_ATTRIBUTES,
  packRows,
  type Sample,
  toItem,
  unpackRows,
  type WindowSeconds,
} from '@secondrow/codec';
import type { Item, Layout } from './layout.js';

/** The codec's default resolution, g; the codec quantizes to it, so round trips hold within half of it. */
const CODEC_RESOLUTION_G = DEFAULT_RESOLUTION;

/**
 * The codec's row: one item per device and window holding the Avro-encoded row, exactly as a customer of
 * `@secondrow/codec` stores it (`packRows` + `toItem`, read back with `fromItem` + `unpackRows`).
 * @param windowSeconds Window length; 1 is the default `per-second-avro`, longer ones are `window-avro-N`.
 */
export function codecRowLayout(windowSeconds: WindowSeconds): Layout {
  const name = windowSeconds === 1 ? 'per-second-avro' : `window-avro-${windowSeconds}`;
  return {
    name,
    description:
      windowSeconds === 1
        ? "the codec's row: one item per device-second, Avro row in a B attribute (default)"
        : `the codec's row with ${windowSeconds} s windows: one item per device and ${windowSeconds} s`,
    keySchema: {
      partitionKey: ITEM_ATTRIBUTES.deviceId,
      sortKey: ITEM_ATTRIBUTES.windowStart,
      sortKeyType: 'N',
    },
    windowSeconds,
    toleranceG: CODEC_RESOLUTION_G / 2,
    isPayload: (attribute) => attribute === ITEM_ATTRIBUTES.payload,
    toItems(deviceId: string, samples: readonly Sample[]): Item[] {
      return packRows(samples, { windowSeconds }).map((row) => toItem(deviceId, row) as Item);
    },
    fromItems(items: readonly Item[]): Sample[] {
      return unpackRows(items.map((item) => fromItem(item as Parameters<typeof fromItem>[0]).row));
    },
  };
}
