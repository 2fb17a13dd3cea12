import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '@secondrow/codec/dynamodb';
import dynalite from 'dynalite';

/** A dynalite server on a free loopback port, in memory. */
export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Creates a fresh table with the row key schema and returns its name. */
  table(prefix?: string): Promise<string>;
  close(): Promise<void>;
}

let tables = 0;

/** Starts dynalite in-process (port 0) with a client pointed at it. */
export async function startDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = localClient(endpoint);
  return {
    endpoint,
    client,
    async table(prefix = 'samples') {
      const name = `${prefix}-${++tables}`;
      await createTable(client, name);
      return name;
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A DynamoDB client for a local endpoint with fake credentials. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
