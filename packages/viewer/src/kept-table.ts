import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type LocalAws, startLocalAws } from '@secondrow/local';
import { ViewerError } from './errors.js';

/** The table `pnpm demo --keep` writes (the demo's default `tableName`). */
export const DEMO_TABLE = 'secondrow-demo';

/**
 * Whether `dir` holds tables a `startLocalAws({ dataDir })` run left: dynalite's LevelDB (`dynamodb/CURRENT`)
 * is there. Reads the file system only.
 */
export function hasKeptData(dir: string): boolean {
  return existsSync(join(dir, 'dynamodb', 'CURRENT'));
}

/** A kept table opened on local servers. */
export interface KeptTableServer {
  aws: LocalAws;
  tableName: string;
  /** Stops the servers; the table stays on disk. */
  close(): Promise<void>;
}

/**
 * Starts a local DynamoDB (no Kinesis) on the data directory `pnpm demo --keep` left and checks that the
 * table is there. The directory is read as is, never cleared.
 *
 * @throws {ViewerError} `KEPT_TABLE` when the directory holds no kept data, cannot be opened (e.g. a running
 *   `pnpm demo --keep` holds it) or has no such table (the message lists the tables it has); `cause` kept.
 */
export async function openKeptTable(dir: string, tableName: string = DEMO_TABLE): Promise<KeptTableServer> {
  if (!hasKeptData(dir)) {
    throw new ViewerError('KEPT_TABLE', `no kept data in ${dir}: run pnpm demo --keep first`);
  }
  let aws: LocalAws;
  try {
    // dynalite on its own thread: with the query reading a page ahead, a day's read then uses both cores.
    aws = await startLocalAws({ dataDir: dir, kinesis: false, thread: true });
  } catch (cause) {
    throw new ViewerError(
      'KEPT_TABLE',
      `cannot open the kept data in ${dir} (is a pnpm demo --keep still running?): ${(cause as Error).message}`,
      { cause },
    );
  }
  try {
    await aws.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (cause) {
    const tables = await aws.dynamodb.send(new ListTablesCommand({})).then(
      (list) => list.TableNames ?? [],
      () => [],
    );
    await aws.close();
    throw new ViewerError(
      'KEPT_TABLE',
      `no readable table ${tableName} in ${dir} (tables: ${tables.join(', ') || 'none'}); pick one with --table`,
      { cause },
    );
  }
  return { aws, tableName, close: () => aws.close() };
}
