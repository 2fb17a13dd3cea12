import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '@secondrow/codec/dynamodb';
import dynalite from 'dynalite';

/** An in-process dynalite server on loopback, a client for it and a fresh row table. */
export interface LocalTable {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  /** Destroys the client and closes the server. */
  stop(): Promise<void>;
}

/** Fake credentials and region for the local server, as environment variables of a child process. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

/** Starts dynalite on 127.0.0.1 (a free port) and creates a row table with the published `createTable`. */
export async function startLocalTable(): Promise<LocalTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tableName = `rows-${randomUUID()}`;
  await createTable(client, tableName);
  return {
    endpoint,
    client,
    tableName,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
