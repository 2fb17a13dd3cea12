import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { sleep } from '@secondrow/devkit';
import { BenchError } from './errors.js';
import type { Item, KeySchema } from './layouts/layout.js';

let tableCounter = 0;

/**
 * Creates an on-demand table with the layout's key, waits until it is ACTIVE and returns its (unique) name.
 * dynalite turns a table ACTIVE on a timer even with `createTableMs: 0`; a loaded machine can run the first
 * write before that timer, which then fails with ResourceNotFoundException.
 * @throws {BenchError} `DYNAMODB_ERROR` when the table is not ACTIVE within 10 s.
 */
export async function createLayoutTable(
  client: DynamoDBClient,
  prefix: string,
  key: KeySchema,
): Promise<string> {
  tableCounter += 1;
  const tableName = `${prefix}-${tableCounter}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: key.partitionKey, AttributeType: 'S' },
        { AttributeName: key.sortKey, AttributeType: key.sortKeyType },
      ],
      KeySchema: [
        { AttributeName: key.partitionKey, KeyType: 'HASH' },
        { AttributeName: key.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  await waitForActive(client, tableName);
  return tableName;
}

/**
 * Polls DescribeTable until the table is ACTIVE.
 * @throws {BenchError} `DYNAMODB_ERROR` after `timeoutMs`.
 */
export async function waitForActive(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline)
      throw new BenchError('DYNAMODB_ERROR', `table ${tableName} not ACTIVE after ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Items per BatchWriteItem call: DynamoDB's maximum. */
export const BATCH_WRITE_MAX_ITEMS = 25;

/**
 * Writes one item with PutItem and returns the write units DynamoDB reports (ReturnConsumedCapacity TOTAL).
 */
export async function putItem(client: DynamoDBClient, tableName: string, item: Item): Promise<number> {
  const out = await client.send(
    new PutItemCommand({ TableName: tableName, Item: item, ReturnConsumedCapacity: 'TOTAL' }),
  );
  return out.ConsumedCapacity?.CapacityUnits ?? 0;
}

/**
 * Writes up to 25 items with BatchWriteItem, retrying `UnprocessedItems` with exponential backoff
 * (10 ms doubling, at most 8 attempts), and returns the write units DynamoDB reports over all calls.
 * @throws {BenchError} `DYNAMODB_ERROR` when items are still unprocessed after the last attempt.
 */
export async function batchWrite(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Item[],
): Promise<number> {
  let pending: WriteRequest[] = items.map((item) => ({ PutRequest: { Item: item } }));
  let units = 0;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 8)
      throw new BenchError('DYNAMODB_ERROR', `${pending.length} items unprocessed after 8 attempts`);
    if (attempt > 0) await sleep(10 * 2 ** (attempt - 1));
    const out = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [tableName]: pending }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    units += (out.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    pending = out.UnprocessedItems?.[tableName] ?? [];
  }
  return units;
}

/** Result of reading one partition range with Query. */
export interface QueryResult {
  items: Item[];
  /** Read units DynamoDB reported over all pages. */
  readUnits: number;
  /** Query calls made (pages of at most 1 MB). */
  pages: number;
}

/**
 * Reads every item of one device's partition with Query, eventually consistent, following
 * `LastEvaluatedKey`, and sums the reported read units.
 */
export async function queryDevice(
  client: DynamoDBClient,
  tableName: string,
  key: KeySchema,
  deviceId: string,
): Promise<QueryResult> {
  const items: Item[] = [];
  let readUnits = 0;
  let pages = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': key.partitionKey },
        ExpressionAttributeValues: { ':p': { S: deviceId } },
        ConsistentRead: false,
        ReturnConsumedCapacity: 'TOTAL',
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    pages += 1;
    readUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { items, readUnits, pages };
}
