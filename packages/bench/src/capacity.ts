import { itemSize, readUnits, writeUnits } from '@secondrow/codec';
import type { Item } from './layouts/layout.js';

/** Bytes DynamoDB returns per Query page at most. */
export const QUERY_PAGE_BYTES = 1024 * 1024;

type CodecItem = Parameters<typeof itemSize>[0];

/** Item size in bytes by DynamoDB's rules, from the codec (the bench uses the codec as a customer would). */
export function sizeOf(item: Item): number {
  return itemSize(item as CodecItem);
}

/** Write units of one standard PutItem of `item`, from the codec. */
export function writeUnitsOf(item: Item): number {
  return writeUnits(item as CodecItem);
}

/**
 * Read units of a Query returning items of the given sizes, eventually consistent: DynamoDB sums the sizes
 * of the items of each page (at most 1 MB) and rounds each page up to 4 KB, then halves it.
 */
export function queryReadUnits(itemBytes: Iterable<number>): number {
  let units = 0;
  let page = 0;
  for (const bytes of itemBytes) {
    page += bytes;
    if (page >= QUERY_PAGE_BYTES) {
      units += readUnits(page, false);
      page = 0;
    }
  }
  return page > 0 ? units + readUnits(page, false) : units;
}

/** The item sizes of a Query over `count` items, cycling through the sizes seen (to extrapolate to an hour). */
export function* cycledSizes(sizes: readonly number[], count: number): Iterable<number> {
  for (let i = 0; i < count; i++) yield sizes[i % sizes.length]!;
}
