import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { InvalidOptionError } from '../errors.js';
import { fromItem, ITEM_ATTRIBUTES, itemSize, windowStartMs } from '../index.js';
import type { Row, WindowSeconds } from '../types.js';
import { describeError, storeErrorFromSdk } from './classify-error.js';
import { StoreError } from './store-errors.js';

/** Options of {@link SampleStore.read} and {@link SampleStore.readRows}. */
export interface ReadOptions {
  /** Strongly consistent reads (default true): see every write acknowledged before the read started. */
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
}

/**
 * Checks read options when a read is started.
 *
 * @throws {InvalidOptionError} naming the option.
 */
export function checkReadOptions(options: ReadOptions): void {
  const { pageSize, onBadItem, consistentRead, onSkip } = options;
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
}

const { deviceId: D, windowStart: S } = ITEM_ATTRIBUTES;

/**
 * Pages through the rows of `deviceId` whose windows overlap `[fromMs, toMs)`, ascending by window start,
 * with `Query` on the partition key and `s BETWEEN` the first and last window start (epoch seconds).
 * Rows stored with a longer window than `windowSeconds` that start before `fromMs`'s window are not found.
 *
 * Reads keep the client's own retries (the SDK's `maxAttempts`): a read has no deadline or report, and
 * that is its only retry layer.
 *
 * @throws {StoreError} `THROTTLED`, `UNAVAILABLE` or `DYNAMODB_ERROR` when a `Query` fails after the SDK's
 *   retries; `INCOMPATIBLE_ITEM` when a stored item is not a valid row (unless `onBadItem: 'skip'`).
 */
export async function* queryRows(
  client: DynamoDBClient,
  tableName: string,
  windowSeconds: WindowSeconds,
  deviceId: string,
  fromMs: number,
  toMs: number,
  options: ReadOptions = {},
): AsyncGenerator<QueriedRow> {
  if (!(toMs > fromMs)) return;
  const firstS = windowStartMs(fromMs, windowSeconds) / 1000;
  const lastS = windowStartMs(Math.ceil(toMs) - 1, windowSeconds) / 1000;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    let page: QueryCommandOutput;
    try {
      page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#d = :d AND #s BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#d': D, '#s': S },
          ExpressionAttributeValues: {
            ':d': { S: deviceId },
            ':from': { N: String(firstS) },
            ':to': { N: String(lastS) },
          },
          ConsistentRead: options.consistentRead ?? true,
          ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
    } catch (error) {
      throw storeErrorFromSdk(error, `Query of ${deviceId} failed`);
    }
    for (const item of page.Items ?? []) {
      let decoded: ReturnType<typeof fromItem>;
      try {
        decoded = fromItem(item);
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
        continue;
      }
      yield { ...decoded, itemBytes: itemSize(item as Parameters<typeof itemSize>[0]) };
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}
