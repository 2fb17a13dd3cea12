import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { InvalidOptionError } from '../errors.js';
import { fromItem, ITEM_ATTRIBUTES, itemSize, readUnits, windowStartMs } from '../index.js';
import { type RowMetadata, readMetadata } from '../row-metadata.js';
import type { Row, WindowSeconds } from '../types.js';
import { describeError, storeErrorFromSdk } from './classify-error.js';
import { StoreError } from './store-errors.js';

/** The codec's structural item type; the SDK's items are wider only in members rows never use. */
type SizedItem = Parameters<typeof itemSize>[0];

/** Options of {@link SampleStore.read} and {@link SampleStore.readRows}. */
export interface ReadOptions {
  /**
   * Strongly consistent reads: see every write acknowledged before the read started, for twice the read
   * units. Default false: eventually consistent (DynamoDB's own default), half the units, and a write may
   * take up to about a second to be visible.
   */
  consistentRead?: boolean;
  /** Rows per `Query` page (DynamoDB `Limit`), a positive integer; default: as many as fit in DynamoDB's 1 MB page. */
  pageSize?: number;
  /**
   * What to do with a stored item that is not a valid row (undecodable, or not a secondrow item):
   * `'throw'` (default) stops the read with a `StoreError` `INCOMPATIBLE_ITEM`; `'skip'` leaves it out and
   * goes on with the rows next to it, reporting each skipped item to `onSkip`. The default is to throw
   * because a silently shorter answer looks like missing data; skip when showing what can be shown matters more.
   */
  onBadItem?: 'throw' | 'skip';
  /** Called with the `StoreError` (`INCOMPATIBLE_ITEM`, `cause` kept) of each item skipped under `onBadItem: 'skip'`. */
  onSkip?: (error: StoreError) => void;
  /**
   * Ask DynamoDB for the next page as soon as a page arrives, while the caller works on this one, so the
   * table's latency and the caller's decoding overlap instead of adding up (one page ahead, never more).
   * A read the caller stops early (`return`/`break`) then aborts the request ahead; if DynamoDB already
   * answered it, that page's read units are spent and not reported. Default false.
   */
  prefetch?: boolean;
}

/**
 * Checks read options when a read is started.
 *
 * @throws {InvalidOptionError} naming the option.
 */
export function checkReadOptions(options: ReadOptions): void {
  const { pageSize, onBadItem, consistentRead, onSkip, prefetch } = options;
  if (prefetch !== undefined && typeof prefetch !== 'boolean') {
    throw new InvalidOptionError('prefetch', 'prefetch must be a boolean');
  }
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1)) {
    throw new InvalidOptionError('pageSize', `pageSize must be a positive integer, got ${String(pageSize)}`);
  }
  if (onBadItem !== undefined && onBadItem !== 'throw' && onBadItem !== 'skip') {
    throw new InvalidOptionError(
      'onBadItem',
      `onBadItem must be 'throw' or 'skip', got ${String(onBadItem)}`,
    );
  }
  if (consistentRead !== undefined && typeof consistentRead !== 'boolean') {
    throw new InvalidOptionError('consistentRead', 'consistentRead must be a boolean');
  }
  if (onSkip !== undefined && typeof onSkip !== 'function') {
    throw new InvalidOptionError('onSkip', 'onSkip must be a function');
  }
}

/** One stored row as read from the table. */
export interface QueriedRow {
  /** Device (partition key `d`). */
  deviceId: string;
  /** The decoded row. */
  row: Row;
  /** Size of the DynamoDB item in bytes, by DynamoDB's rules. */
  itemBytes: number;
  /** When the row was written and its earliest samples arrived (attributes `c`, `m`, `a`). */
  metadata: RowMetadata;
}

/** One `Query` page: its items and the read units it consumed. */
export interface QueriedPage {
  items: Record<string, AttributeValue>[];
  /** Read units DynamoDB reported (`ReturnConsumedCapacity: TOTAL`), else the item-size estimate. */
  readUnits: number;
  /** True when `readUnits` is the estimate from item sizes because the server reported none. */
  readUnitsEstimated: boolean;
  /** Sum of the items' sizes, bytes. */
  itemBytes: number;
}

/** What a paged query needs: where to read and the window length of the table's rows. */
export interface QueryTarget {
  client: DynamoDBClient;
  tableName: string;
  windowSeconds: WindowSeconds;
}

const { deviceId: D, windowStart: S } = ITEM_ATTRIBUTES;

/**
 * Pages through the items of `deviceId` whose windows overlap `[fromMs, toMs)`, ascending by window start,
 * with `Query` on the partition key and `s BETWEEN` the first and last window start (epoch seconds).
 * Rows stored with a longer window than `windowSeconds` that start before `fromMs`'s window are not found.
 *
 * Reads keep the client's own retries (the SDK's `maxAttempts`): a read has no deadline or report, and
 * that is its only retry layer.
 *
 * @throws {StoreError} `THROTTLED`, `UNAVAILABLE` or `DYNAMODB_ERROR` when a `Query` fails after the SDK's
 *   retries.
 */
export async function* queryPages(
  target: QueryTarget,
  deviceId: string,
  fromMs: number,
  toMs: number,
  options: ReadOptions,
): AsyncGenerator<QueriedPage> {
  // Rows start at or after the epoch (sample times are non-negative); the device registry keeps its items
  // at negative sort keys, so a range reaching before 1970 must not read them as rows.
  fromMs = Math.max(0, fromMs);
  if (!(toMs > fromMs)) return;
  const { client, tableName, windowSeconds } = target;
  const consistent = options.consistentRead ?? false;
  const firstS = windowStartMs(fromMs, windowSeconds) / 1000;
  const lastS = windowStartMs(Math.ceil(toMs) - 1, windowSeconds) / 1000;
  const ask = (startKey: Record<string, AttributeValue> | undefined): PageRequest => {
    const controller = new AbortController();
    const response = client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#d = :d AND #s BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#d': D, '#s': S },
        ExpressionAttributeValues: {
          ':d': { S: deviceId },
          ':from': { N: String(firstS) },
          ':to': { N: String(lastS) },
        },
        ConsistentRead: consistent,
        ReturnConsumedCapacity: 'TOTAL',
        ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
      { abortSignal: controller.signal },
    );
    // A request asked ahead may be abandoned with the read; its failure is seen when it is awaited, if ever.
    response.catch(() => undefined);
    return { response, controller };
  };
  let next: PageRequest | undefined = ask(undefined);
  try {
    while (next !== undefined) {
      let page: QueryCommandOutput;
      try {
        page = await next.response;
      } catch (error) {
        throw storeErrorFromSdk(error, `Query of ${deviceId} failed`);
      }
      const startKey = page.LastEvaluatedKey;
      const ahead = startKey !== undefined && options.prefetch === true;
      next = ahead ? ask(startKey) : undefined;
      // The SDK needs a turn of the event loop to put the request on the wire; give it one before the
      // caller decodes this page, or the request ahead leaves only after the decoding and overlaps nothing.
      if (ahead) await new Promise((resolve) => setImmediate(resolve));
      const items = page.Items ?? [];
      let itemBytes = 0;
      for (const item of items) itemBytes += itemSize(item as SizedItem);
      const reported = page.ConsumedCapacity?.CapacityUnits;
      yield {
        items,
        itemBytes,
        readUnits: reported ?? readUnits(itemBytes, consistent),
        readUnitsEstimated: reported === undefined,
      };
      if (startKey !== undefined && !ahead) next = ask(startKey);
    }
  } finally {
    // The caller stopped early (or a page failed): drop the request asked ahead.
    next?.controller.abort();
  }
}

/** A `Query` request in flight, and how to abandon it. */
interface PageRequest {
  response: Promise<QueryCommandOutput>;
  controller: AbortController;
}

/**
 * Decodes one item with `decode`, turning any failure into a `StoreError` `INCOMPATIBLE_ITEM` naming the
 * device and window: thrown, or under `onBadItem: 'skip'` passed to `onSkip` (then undefined is returned).
 *
 * @throws {StoreError} `INCOMPATIBLE_ITEM` unless `onBadItem: 'skip'`.
 */
export function decodeItem<T>(
  deviceId: string,
  item: Record<string, AttributeValue>,
  options: ReadOptions,
  decode: (item: Record<string, AttributeValue>) => T,
): T | undefined {
  try {
    return decode(item);
  } catch (error) {
    const window =
      item[S]?.N === undefined ? 'unknown window' : `window starting ${Number(item[S].N) * 1000}`;
    const bad = new StoreError(
      'INCOMPATIBLE_ITEM',
      `Stored item of ${deviceId}, ${window}, is not a valid row: ${describeError(error)}`,
      { cause: error },
    );
    if (options.onBadItem !== 'skip') throw bad;
    options.onSkip?.(bad);
    return undefined;
  }
}

/**
 * The decoded rows of {@link queryPages}, one at a time.
 *
 * @throws {StoreError} as {@link queryPages}; `INCOMPATIBLE_ITEM` when a stored item is not a valid row
 *   (unless `onBadItem: 'skip'`).
 */
export async function* queryRows(
  target: QueryTarget,
  deviceId: string,
  fromMs: number,
  toMs: number,
  options: ReadOptions = {},
): AsyncGenerator<QueriedRow> {
  for await (const page of queryPages(target, deviceId, fromMs, toMs, options)) {
    for (const item of page.items) {
      const decoded = decodeItem(deviceId, item, options, fromItem);
      if (decoded === undefined) continue;
      yield {
        ...decoded,
        itemBytes: itemSize(item as SizedItem),
        metadata: readMetadata(item, decoded.row.startMs),
      };
    }
  }
}
