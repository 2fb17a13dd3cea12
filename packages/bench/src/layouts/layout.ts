import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Sample, WindowSeconds } from '@secondrow/codec';
import { BenchError } from '../errors.js';

/** A DynamoDB item as the AWS SDK v3 takes it. */
export type Item = Record<string, AttributeValue>;

/** Primary key of the table a layout writes to. */
export interface KeySchema {
  /** Partition key attribute (type S): the device. */
  partitionKey: string;
  /** Sort key attribute. */
  sortKey: string;
  /** Sort key type: N (a time) or S. */
  sortKeyType: 'N' | 'S';
}

/**
 * One way of storing a device's samples in DynamoDB. Every layout must round-trip: `fromItems(toItems(d, s))`
 * gives back `s` (sorted, unique `t`) exactly, or within the codec's resolution for quantizing layouts.
 */
export interface Layout {
  /** Short kebab-case name used by `--layouts` and in reports. */
  readonly name: string;
  /** One sentence: what an item holds and where the idea comes from. */
  readonly description: string;
  /** Table key. */
  readonly keySchema: KeySchema;
  /** Codec window length when the layout is the codec's row (it can then also be written by SampleStore). */
  readonly windowSeconds?: WindowSeconds;
  /** Largest error the layout may introduce on x, y, z, in g (0 for exact layouts). */
  readonly toleranceG: number;
  /** True for attributes that carry sample data (counted as payload); keys and metadata are not. */
  isPayload(attribute: string): boolean;
  /**
   * Turns samples of one device into items.
   * @param deviceId Partition key value.
   * @param samples Strictly increasing `t`.
   */
  toItems(deviceId: string, samples: readonly Sample[]): Item[];
  /** Turns items of one device back into samples, in time order. */
  fromItems(items: readonly Item[]): Sample[];
}

/** Groups samples (strictly increasing `t`) by UTC second, ascending. */
export function groupBySecond(samples: readonly Sample[]): Map<number, Sample[]> {
  const seconds = new Map<number, Sample[]>();
  for (const s of samples) {
    const second = Math.floor(s.t / 1000);
    let group = seconds.get(second);
    if (group === undefined) {
      group = [];
      seconds.set(second, group);
    }
    group.push(s);
  }
  return seconds;
}

/** Reads an `N` attribute as a number; throws if the attribute is missing or not a number. */
export function numberOf(item: Item, attribute: string): number {
  const value = item[attribute];
  if (value === undefined || value.N === undefined)
    throw new BenchError('ROUND_TRIP_FAILED', `item has no number attribute ${attribute}`);
  return Number(value.N);
}

/** Reads an `S` attribute; throws if missing. */
export function stringOf(item: Item, attribute: string): string {
  const value = item[attribute];
  if (value === undefined || value.S === undefined)
    throw new BenchError('ROUND_TRIP_FAILED', `item has no string attribute ${attribute}`);
  return value.S;
}

/** Reads a `B` attribute; throws if missing. */
export function bytesOf(item: Item, attribute: string): Uint8Array {
  const value = item[attribute];
  if (value === undefined || value.B === undefined)
    throw new BenchError('ROUND_TRIP_FAILED', `item has no binary attribute ${attribute}`);
  return value.B;
}

/** Sorts samples by time (items may come back from DynamoDB or a map in any order). */
export function byTime(samples: Sample[]): Sample[] {
  return samples.sort((a, b) => a.t - b.t);
}

/** Rounds a value to whole mg, the resolution a careful hand-written layout would keep (1 mg, like the codec). */
export function toMg(g: number): number {
  return Math.round(g * 1000);
}
