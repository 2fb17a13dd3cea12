import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '@secondrow/codec/dynamodb';

/**
 * A table name no other caller uses: `prefix` and a random UUID.
 *
 * @param prefix - Start of the name, e.g. the test's subject. Default `rows`.
 */
export function uniqueTableName(prefix = 'rows'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Creates a table of secondrow rows (the codec's `tableDefinition`) and waits until it is ACTIVE.
 *
 * @param client - Client of dynalite or real DynamoDB.
 * @param tableName - Name of the new table. Default: a fresh {@link uniqueTableName}.
 * @returns The table's name.
 * @throws The codec's `createTable` errors (e.g. the service rejects the request).
 */
export async function createRowTable(client: DynamoDBClient, tableName = uniqueTableName()): Promise<string> {
  await createTable(client, tableName);
  return tableName;
}
