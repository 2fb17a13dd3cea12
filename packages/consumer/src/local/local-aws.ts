/// <reference path="./local-servers.d.ts" />
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';

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
  /** Maximum shards kinesalite allows over all streams. Default 100. */
  shardLimit?: number;
}

/** Running local servers and clients ready to talk to them. Call {@link LocalAws.close} when done. */
export interface LocalAws {
  /** `http://127.0.0.1:<port>` of dynalite, or `undefined` when it was not started. */
  dynamodbEndpoint: string | undefined;
  /** `http://127.0.0.1:<port>` of kinesalite, or `undefined` when it was not started. */
  kinesisEndpoint: string | undefined;
  /** Client bound to dynalite. Throws on use when dynalite was not started (its endpoint is unroutable). */
  dynamodb: DynamoDBClient;
  /** Client bound to kinesalite, over HTTP/1.1. Throws on use when kinesalite was not started. */
  kinesis: KinesisClient;
  /** Destroys both clients and stops the servers; their in-memory data is gone. Safe to call twice. */
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
 * Starts dynalite and kinesalite in this process, in memory, on free loopback ports, with no artificial
 * CREATING/DELETING delays, and returns clients bound to them.
 *
 * @param options - Which servers to start; both by default.
 * @returns The endpoints, ready clients and `close()`.
 * @throws Error when a server cannot listen on 127.0.0.1 (already started servers are stopped first).
 * @example
 * const aws = await startLocalAws();
 * try {
 *   await createStream(aws.kinesis, 'samples', 2);
 * } finally {
 *   await aws.close();
 * }
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const servers: Server[] = [];
  const stopServers = async (): Promise<void> => {
    await Promise.all(servers.splice(0).map(stopServer));
  };
  try {
    let dynamodbEndpoint: string | undefined;
    let kinesisEndpoint: string | undefined;
    if (options.dynamodb ?? true) {
      const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      servers.push(server);
      dynamodbEndpoint = await listenOnLoopback(server);
    }
    if (options.kinesis ?? true) {
      const server = kinesalite({
        createStreamMs: 0,
        deleteStreamMs: 0,
        updateStreamMs: 0,
        shardLimit: options.shardLimit ?? 100,
      });
      servers.push(server);
      kinesisEndpoint = await listenOnLoopback(server);
    }
    // A server that was not started gets a client on a port nothing listens on, so a mistaken use
    // fails with a connection error instead of reaching real AWS.
    const dynamodb = dynamoDbClientFor(dynamodbEndpoint ?? UNROUTABLE_ENDPOINT);
    const kinesis = kinesisClientFor(kinesisEndpoint ?? UNROUTABLE_ENDPOINT);
    let closed = false;
    return {
      dynamodbEndpoint,
      kinesisEndpoint,
      dynamodb,
      kinesis,
      async close() {
        if (closed) return;
        closed = true;
        dynamodb.destroy();
        kinesis.destroy();
        await stopServers();
      },
    };
  } catch (error) {
    await stopServers();
    throw error;
  }
}

/** Port 9 (discard) on loopback: nothing listens there, so requests fail fast. */
const UNROUTABLE_ENDPOINT = 'http://127.0.0.1:9';

async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

async function stopServer(server: Server): Promise<void> {
  if (!server.listening) return;
  // Keep-alive sockets of other clients would hold close() open until they time out.
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => {
    server.close((error?: Error) => (error ? reject(error) : resolve()));
  });
}

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
 * @throws RangeError when `shardCount` is not a positive integer.
 * @throws Error when the stream is not ACTIVE within `timeoutMs`, or the service rejects the request.
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
    throw new RangeError(`shardCount must be a positive integer, got ${shardCount}`);
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
      throw new Error(
        `stream ${name} is ${summary?.StreamStatus ?? 'unknown'} after ${timeoutMs} ms, not ACTIVE`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
