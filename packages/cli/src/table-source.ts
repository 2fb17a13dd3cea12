import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbClientFor, startLocalAws } from '@secondrow/local';
import type { Source } from './args.js';
import { NoLocalDataError, ReadFailedError } from './errors.js';

/** A DynamoDB table ready to read, and how to let it go. */
export interface OpenTable {
  client: DynamoDBClient;
  tableName: string;
  /** Where it is, for messages: `local <dir>` or `aws <region or endpoint>`. */
  where: string;
  /** Destroys the client and stops local servers. */
  close(): Promise<void>;
}

/**
 * Opens the table a command reads: starts dynalite in this process on the data directory kept by
 * `pnpm demo --keep`, or makes a client for AWS.
 *
 * @throws {NoLocalDataError} when the local directory holds no kept data or not the table.
 * @throws {ReadFailedError} when the local servers cannot start (the directory in use by a running demo) or
 *   the table cannot be described (missing on AWS, no credentials...); `cause` keeps the original error.
 */
export async function openTable(source: Source): Promise<OpenTable> {
  if (source.kind === 'local') {
    if (!existsSync(join(source.dir, 'dynamodb', 'CURRENT'))) {
      throw new NoLocalDataError(
        source.dir,
        `no local data in ${source.dir}: run pnpm demo --keep first (or give --local DIR, or --table for AWS)`,
      );
    }
    // Inline, not on a worker: the export asks for one page at a time, so a worker would not overlap
    // anything and would cost a second V8 heap (about 40 MB of peak RSS, measured by bench/export-bench.ts).
    const aws = await startLocalAws({ dataDir: source.dir, kinesis: false }).catch((error: unknown) => {
      // e.g. a running `pnpm demo --keep` holds the directory.
      throw new ReadFailedError(
        `cannot start the local servers on ${source.dir}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    });
    const opened: OpenTable = {
      client: aws.dynamodb,
      tableName: source.table,
      where: `local ${source.dir}`,
      close: () => aws.close(),
    };
    try {
      await describe(opened);
    } catch (error) {
      const tables = await aws.dynamodb.send(new ListTablesCommand({})).then(
        (list) => list.TableNames ?? [],
        () => undefined,
      );
      await aws.close();
      if (tables !== undefined && !tables.includes(source.table)) {
        throw new NoLocalDataError(
          source.dir,
          `no table ${source.table} in ${source.dir} (tables: ${tables.join(', ') || 'none'}): run pnpm demo --keep first or pick one with --table`,
          { cause: error },
        );
      }
      throw error;
    }
    return opened;
  }
  const client = dynamoDbClientFor(source.endpoint, source.region);
  const opened: OpenTable = {
    client,
    tableName: source.table,
    where: `aws ${source.endpoint ?? source.region ?? '(default region)'}`,
    close: async () => client.destroy(),
  };
  try {
    await describe(opened);
  } catch (error) {
    client.destroy();
    throw error;
  }
  return opened;
}

async function describe(table: OpenTable): Promise<void> {
  try {
    await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ReadFailedError(`table ${table.tableName} (${table.where}) cannot be read: ${text}`, {
      cause: error,
    });
  }
}
