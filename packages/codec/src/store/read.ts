import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { fromItem, ITEM_ATTRIBUTES, itemSize, windowStartMs } from '../index.js';
import type { Row, WindowSeconds } from '../types.js';
import { isThrottlingError } from './backoff.js';
import { StoreError } from './store-errors.js';

/** Options of {@link SampleStore.read} and {@link SampleStore.readRows}. */
export interface ReadOptions {
  /** Strongly consistent reads (default true): see every write acknowledged before the read started. */
  consistentRead?: boolean;
  /** Rows per `Query` page (DynamoDB `Limit`); default: as many as fit in DynamoDB's 1 MB page. */
  pageSize?: number;
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
 * @throws {StoreError} `THROTTLED` or `DYNAMODB_ERROR` when a `Query` fails after the SDK's own retries.
 * @throws {DecodeError | ItemError} when a stored item is not a valid row.
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
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new StoreError(
        isThrottlingError(error) ? 'THROTTLED' : 'DYNAMODB_ERROR',
        `Query failed: ${text}`,
        {
          cause: error,
        },
      );
    }
    for (const item of page.Items ?? []) {
      const decoded = fromItem(item);
      yield { ...decoded, itemBytes: itemSize(item as Parameters<typeof itemSize>[0]) };
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}
