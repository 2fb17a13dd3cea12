/// <reference path="./local-servers.d.ts" />
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';

// Test start-up of the upstreams; the package's shared start-up helper can replace it.

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A running local server. */
export interface Upstream {
  endpoint: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<Upstream> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function startDynalite(): Promise<Upstream> {
  return listen(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
}

export function startKinesalite(): Promise<Upstream> {
  return listen(kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 }));
}

/** A DynamoDB client that makes one attempt, so every injected fault reaches the test. */
export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** A Kinesis client over HTTP/1.1 (kinesalite rejects HTTP/2) that makes one attempt. */
export function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
}

/** Creates an on-demand table with a string partition key `pk` and, when asked, a number sort key `sk`. */
export async function createTable(client: DynamoDBClient, name: string, withSortKey = false): Promise<void> {
  const KeySchema: KeySchemaElement[] = [{ AttributeName: 'pk', KeyType: 'HASH' }];
  const AttributeDefinitions: AttributeDefinition[] = [{ AttributeName: 'pk', AttributeType: 'S' }];
  if (withSortKey) {
    KeySchema.push({ AttributeName: 'sk', KeyType: 'RANGE' });
    AttributeDefinitions.push({ AttributeName: 'sk', AttributeType: 'N' });
  }
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema,
      AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

/** Creates a stream and waits until it is ACTIVE (kinesalite is told to take no time). */
export async function createStream(client: KinesisClient, name: string, shardCount: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  for (;;) {
    const { StreamDescriptionSummary } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
