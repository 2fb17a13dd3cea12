import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { sleep } from '@secondrow/devkit';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LocalOptionError, StreamNotActiveError } from './errors.js';
import {
  type RunningServers,
  type ServerOptions,
  startServersInline,
  startServersOnWorker,
} from './local-servers.js';

/** Region every local client uses; dynalite and kinesalite accept any region. */
export const LOCAL_REGION = 'us-east-1';

/** Fake credentials for the local servers, which check only that some are present. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Options of {@link startLocalAws}. */
export interface LocalAwsOptions {
  /** Start dynalite (local DynamoDB). Default true. */
  dynamodb?: boolean;
  /** Start kinesalite (local Kinesis Data Streams). Default true. */
  kinesis?: boolean;
  /** Maximum shards kinesalite allows over all streams, a positive integer. Default 100. */
  shardLimit?: number;
  /** Loopback port of dynalite, 0..65535; 0 picks a free one. Default 0. */
  dynamodbPort?: number;
  /** Loopback port of kinesalite, 0..65535; 0 picks a free one. Default 0. */
  kinesisPort?: number;
  /**
   * Run the servers on a worker thread of this process instead of the caller's event loop, so a 2-core
   * machine serves requests on one core while the caller runs on the other. When no worker can start
   * (e.g. under a test runner that transforms sources itself) they start inline. Default false.
   */
  thread?: boolean;
  /** Settings for the ready clients, e.g. `{ maxAttempts: 3 }`; endpoint and credentials stay local. */
  dynamodbClient?: DynamoDBClientConfig;
}

/** Where the local servers run: on their own thread of this process, or on the caller's event loop. */
export type LocalServersMode = 'thread' | 'inline';

/** Running local servers and clients ready to talk to them. Call {@link LocalAws.close} when done. */
export interface LocalAws {
  /** Where the servers actually run (`thread` falls back to `inline` when a worker cannot start). */
  mode: LocalServersMode;
  /** `http://127.0.0.1:<port>` of dynalite, or `undefined` when it was not started. */
  dynamodbEndpoint: string | undefined;
  /** `http://127.0.0.1:<port>` of kinesalite, or `undefined` when it was not started. */
  kinesisEndpoint: string | undefined;
  /** Client bound to dynalite. Throws on use when dynalite was not started (its endpoint is unroutable). */
  dynamodb: DynamoDBClient;
  /** Client bound to kinesalite, over HTTP/1.1. Throws on use when kinesalite was not started. */
  kinesis: KinesisClient;
  /**
   * Another DynamoDB client for the same dynalite (e.g. one per simulated writer, or one with a fault
   * injected), destroyed by {@link LocalAws.close}.
   */
  newDynamoDbClient(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Destroys every client made here and stops the servers; their in-memory data is gone. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Creates a Kinesis client for `endpoint`, or for the default AWS endpoint when it is omitted.
 *
 * A plain `http://` endpoint (kinesalite, LocalStack) gets the HTTP/1.1 `NodeHttpHandler`, because the
 * SDK's default for Kinesis may negotiate HTTP/2, which kinesalite rejects; such endpoints also get fake
 * credentials and the local region unless `region` is given.
 *
 * @param endpoint - Service URL such as `http://127.0.0.1:4567`; omit for real AWS.
 * @param region - AWS region. Default: the SDK's own resolution (env, profile) for AWS, `us-east-1` locally.
 * @returns A new client; destroy it when done.
 * @example
 * const kinesis = kinesisClientFor(process.env.KINESIS_ENDPOINT);
 */
export function kinesisClientFor(endpoint?: string, region?: string): KinesisClient {
  if (endpoint === undefined) {
    return new KinesisClient(region === undefined ? {} : { region });
  }
  const local = endpoint.startsWith('http://');
  return new KinesisClient({
    endpoint,
    region: region ?? LOCAL_REGION,
    ...(local ? { credentials: LOCAL_CREDENTIALS, requestHandler: new NodeHttpHandler() } : {}),
  });
}

/**
 * Creates a DynamoDB client for `endpoint`, or for the default AWS endpoint when it is omitted.
 * A plain `http://` endpoint (dynalite, DynamoDB Local) gets fake credentials and the local region.
 *
 * @param endpoint - Service URL such as `http://127.0.0.1:8000`; omit for real AWS.
 * @param region - AWS region. Default: the SDK's own resolution for AWS, `us-east-1` locally.
 * @returns A new client; destroy it when done.
 */
export function dynamoDbClientFor(endpoint?: string, region?: string): DynamoDBClient {
  if (endpoint === undefined) {
    return new DynamoDBClient(region === undefined ? {} : { region });
  }
  const local = endpoint.startsWith('http://');
  return new DynamoDBClient({
    endpoint,
    region: region ?? LOCAL_REGION,
    ...(local ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/**
 * Starts dynalite and kinesalite in memory on free loopback ports, with no artificial CREATING/DELETING
 * delays, and returns clients bound to them. The one way tests, benchmarks and the demo start local AWS.
 *
 * @param options - Which servers to start (both by default), where, and client settings.
 * @returns The endpoints, ready clients and `close()`.
 * @throws {LocalOptionError} when `shardLimit` is not a positive integer or a port is out of range.
 * @throws {ServerStartError} when a server cannot listen on 127.0.0.1 (already started servers are stopped first).
 * @example
 * const aws = await startLocalAws();
 * try {
 *   await createStream(aws.kinesis, 'samples', 2);
 * } finally {
 *   await aws.close();
 * }
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const serverOptions: ServerOptions = {
    dynamodb: options.dynamodb ?? true,
    kinesis: options.kinesis ?? true,
    shardLimit: options.shardLimit ?? 100,
    dynamodbPort: options.dynamodbPort ?? 0,
    kinesisPort: options.kinesisPort ?? 0,
  };
  if (!Number.isInteger(serverOptions.shardLimit) || serverOptions.shardLimit < 1) {
    throw new LocalOptionError(`shardLimit must be a positive integer, got ${serverOptions.shardLimit}`);
  }
  for (const key of ['dynamodbPort', 'kinesisPort'] as const) {
    const port = serverOptions[key];
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new LocalOptionError(`${key} must be an integer in [0, 65535], got ${port}`);
    }
  }
  let mode: LocalServersMode = 'inline';
  let servers: RunningServers | undefined;
  if (options.thread === true) {
    servers = await startServersOnWorker(serverOptions).catch(() => undefined);
    if (servers !== undefined) mode = 'thread';
  }
  servers ??= await startServersInline(serverOptions);
  const { dynamodbEndpoint, kinesisEndpoint } = servers;
  // A server that was not started gets a client on a port nothing listens on, so a mistaken use
  // fails with a connection error instead of reaching real AWS.
  const dynamoUrl = dynamodbEndpoint ?? UNROUTABLE_ENDPOINT;
  const dynamoClients: DynamoDBClient[] = [];
  const newDynamoDbClient = (config: DynamoDBClientConfig = {}): DynamoDBClient => {
    const client = new DynamoDBClient({
      ...options.dynamodbClient,
      ...config,
      endpoint: dynamoUrl,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    dynamoClients.push(client);
    return client;
  };
  const dynamodb = newDynamoDbClient();
  const kinesis = kinesisClientFor(kinesisEndpoint ?? UNROUTABLE_ENDPOINT);
  const running = servers;
  let closed = false;
  return {
    mode,
    dynamodbEndpoint,
    kinesisEndpoint,
    dynamodb,
    kinesis,
    newDynamoDbClient,
    async close() {
      if (closed) return;
      closed = true;
      for (const client of dynamoClients.splice(0)) client.destroy();
      kinesis.destroy();
      await running.close();
    },
  };
}

/** Port 9 (discard) on loopback: nothing listens there, so requests fail fast. */
const UNROUTABLE_ENDPOINT = 'http://127.0.0.1:9';

/** Options of {@link createStream}. */
export interface CreateStreamOptions {
  /** How long to wait for ACTIVE, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Pause between status checks, in milliseconds. Default 50. */
  pollMs?: number;
}

/**
 * Creates a provisioned Kinesis stream and waits until it is ACTIVE. An existing stream with that name is
 * accepted as it is (its shard count is not changed).
 *
 * @param kinesis - Client of kinesalite or real Kinesis.
 * @param name - Stream name.
 * @param shardCount - Number of shards, at least 1.
 * @param options - Wait limits.
 * @returns The stream ARN.
 * @throws LocalOptionError when `shardCount` is not a positive integer.
 * @throws StreamNotActiveError when the stream is not ACTIVE in time; the service's own error when it rejects the request.
 * @example
 * const arn = await createStream(aws.kinesis, 'samples', 4);
 */
export async function createStream(
  kinesis: KinesisClient,
  name: string,
  shardCount: number,
  options: CreateStreamOptions = {},
): Promise<string> {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new LocalOptionError(`shardCount must be a positive integer, got ${shardCount}`);
  }
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { StreamDescriptionSummary: summary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (summary?.StreamStatus === 'ACTIVE') return summary.StreamARN ?? '';
    if (Date.now() >= deadline) {
      throw new StreamNotActiveError(
        `stream ${name} is ${summary?.StreamStatus ?? 'unknown'} after ${timeoutMs} ms, not ACTIVE`,
      );
    }
    await sleep(pollMs);
  }
}
