import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { ITEM_ATTRIBUTES, tableDefinition } from '../item.js';
import { StoreError } from './store-errors.js';

/** Options of {@link createTable}. */
export interface CreateTableOptions {
  /**
   * Enable DynamoDB TTL on attribute `x` (see `ttlSeconds` of `SampleStore`). Default false. dynalite does
   * not implement `UpdateTimeToLive`, so leave it off against a local dynalite.
   */
  ttl?: boolean;
  /** Longest wait for the table to become ACTIVE, in seconds. Default 300. */
  maxWaitSeconds?: number;
}

/**
 * Creates the row table from the codec's `tableDefinition` (on-demand, keys `d`/`s`), waits until it is
 * ACTIVE and, if asked, enables TTL on `x`. Meant for tests, demos and bootstrap scripts; production tables
 * belong in infrastructure code.
 *
 * @example
 * ```ts
 * await createTable(new DynamoDBClient({}), 'samples', { ttl: true }); // on AWS
 * const local = new DynamoDBClient({
 *   endpoint: 'http://127.0.0.1:4567',
 *   region: 'us-east-1',
 *   credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
 * });
 * await createTable(local, 'samples'); // dynalite: no TTL
 * ```
 * @throws {StoreError} `DYNAMODB_ERROR` when the table exists already, cannot be created, does not become
 *   ACTIVE in time, or TTL cannot be enabled (dynalite does not implement `UpdateTimeToLive`).
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  options: CreateTableOptions = {},
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName) as CreateTableCommandInput));
    await waitUntilTableExists(
      { client, minDelay: 1, maxWaitTime: options.maxWaitSeconds ?? 300 },
      { TableName: tableName },
    );
    if (options.ttl) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: ITEM_ATTRIBUTES.expiresAt, Enabled: true },
        }),
      );
    }
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new StoreError('DYNAMODB_ERROR', `Could not create table ${tableName}: ${text}`, { cause: error });
  }
}
