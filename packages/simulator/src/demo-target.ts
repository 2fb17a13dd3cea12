import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createTable } from '@secondrow/codec/dynamodb';
import {
  createStream,
  dynamoDbClientFor,
  kinesisClientFor,
  type LocalFaultOptions,
  type LocalFaultProxies,
  type LocalServersMode,
  startLocalAws,
} from '@secondrow/local';
import { SimulatorError } from './errors.js';

/** Where a demo runs: local servers it started, or an existing endpoint / AWS account. */
export interface Target {
  kind: 'local' | 'remote';
  servers?: LocalServersMode;
  /** Clients the pipeline uses: through the fault proxies when there are any. */
  kinesis: KinesisClient;
  dynamodb: DynamoDBClient;
  /** Clients that bypass the fault proxies (the same as above without them), for raw measurements. */
  direct: { kinesis: KinesisClient; dynamodb: DynamoDBClient };
  /** The local fault proxies, when started. */
  proxies: LocalFaultProxies;
  close(): Promise<void>;
}

/** Starts local servers (keeping DynamoDB's tables in `dataDir` when given), or makes clients for the remote endpoints. */
export async function openTarget(
  remote: boolean,
  kinesisEndpoint: string | undefined,
  dynamodbEndpoint: string | undefined,
  region: string | undefined,
  servers: LocalServersMode | undefined,
  faults?: LocalFaultOptions,
  dataDir?: string,
): Promise<Target> {
  if (!remote) {
    const local = await startLocalAws({
      thread: (servers ?? 'thread') === 'thread',
      ...(dataDir === undefined ? {} : { dataDir, clearDataDir: true }),
      ...(faults === undefined ? {} : { faults }),
    });
    const proxied = local.proxies.dynamodb !== undefined || local.proxies.kinesis !== undefined;
    const direct = proxied
      ? {
          kinesis: kinesisClientFor(local.servers.kinesisEndpoint),
          dynamodb: dynamoDbClientFor(local.servers.dynamodbEndpoint),
        }
      : { kinesis: local.kinesis, dynamodb: local.dynamodb };
    return {
      kind: 'local',
      servers: local.mode,
      kinesis: local.kinesis,
      dynamodb: local.dynamodb,
      direct,
      proxies: local.proxies,
      close: async () => {
        if (proxied) {
          direct.kinesis.destroy();
          direct.dynamodb.destroy();
        }
        await local.close();
      },
    };
  }
  const kinesis = kinesisClientFor(kinesisEndpoint, region);
  const dynamodb = dynamoDbClientFor(dynamodbEndpoint, region);
  return {
    kind: 'remote',
    kinesis,
    dynamodb,
    direct: { kinesis, dynamodb },
    proxies: { dynamodb: undefined, kinesis: undefined },
    close: async () => {
      kinesis.destroy();
      dynamodb.destroy();
    },
  };
}

/**
 * Creates the stream and the table and waits until both are active.
 *
 * @throws {SimulatorError} `SETUP_FAILED` when either cannot be created.
 */
export async function prepare(
  target: Target,
  streamName: string,
  tableName: string,
  shards: number,
): Promise<void> {
  try {
    await createStream(target.kinesis, streamName, shards);
    await createTable(target.dynamodb, tableName);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new SimulatorError(
      'SETUP_FAILED',
      `could not create stream ${streamName} / table ${tableName}: ${text}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Checks that an existing stream and table can be described.
 *
 * @throws {SimulatorError} `SETUP_FAILED` naming the stream or table that cannot be described.
 */
export async function checkExists(target: Target, streamName: string, tableName: string): Promise<void> {
  const check = async (what: string, call: () => Promise<unknown>): Promise<void> => {
    try {
      await call();
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new SimulatorError(
        'SETUP_FAILED',
        `${what} is not usable (${text}); create it or pass --create`,
        {
          cause: error,
        },
      );
    }
  };
  await check(`stream ${streamName}`, () =>
    target.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName })),
  );
  await check(`table ${tableName}`, () =>
    target.dynamodb.send(new DescribeTableCommand({ TableName: tableName })),
  );
}
