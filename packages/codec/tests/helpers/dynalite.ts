import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { createTable } from '../../src/store/create-table.js';

interface DynaliteServer {
  listen(port: number, host: string, callback: () => void): void;
  address(): AddressInfo | string | null;
  close(callback?: (error?: Error) => void): void;
}

type Dynalite = (options: {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}) => DynaliteServer;

// dynalite ships no type declarations; load it through require with the small surface we use.
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

/** An in-process dynalite server and a client pointed at it. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** A client for the server (fake credentials, region us-east-1). */
  client: DynamoDBClient;
  /** Another client for the same server, e.g. one per simulated writer. */
  newClient(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Destroys the clients made here and closes the server. */
  stop(): Promise<void>;
}

/** Starts dynalite in-process on 127.0.0.1, on a free port. Call `stop()` in `afterAll`. */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('dynalite did not listen on a TCP port');
  const endpoint = `http://127.0.0.1:${address.port}`;
  const clients: DynamoDBClient[] = [];
  const newClient = (config: DynamoDBClientConfig = {}): DynamoDBClient => {
    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      ...config,
    });
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    endpoint,
    client,
    newClient,
    stop: async () => {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** A table name no other test uses. */
export function uniqueTableName(prefix = 'rows'): string {
  return `${prefix}-${randomUUID()}`;
}

/** Creates a row table (from the codec's `tableDefinition`) with a fresh name and returns the name. */
export async function createRowTable(client: DynamoDBClient, tableName = uniqueTableName()): Promise<string> {
  await createTable(client, tableName);
  return tableName;
}
