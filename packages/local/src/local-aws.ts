import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { sleep } from '@secondrow/devkit';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ClassicLevel } from 'classic-level';
import { LocalOptionError, ServerStartError, StreamNotActiveError } from './errors.js';
import { DynamoFaultProxy, type DynamoFaultProxyOptions } from './fault-injection/dynamo-fault-proxy.js';
import {
  KinesisLimitsProxy,
  type KinesisLimitsProxyOptions,
} from './fault-injection/kinesis-limits-proxy.js';
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

/**
 * The data directory `pnpm demo --keep` and the `secondrow` command use by default: `.secondrow/local` at
 * the repository root (ignored by git). Found from this module's own place in the tree (`src/` or `dist/`),
 * so it does not depend on the working directory.
 *
 * @returns An absolute path.
 */
export function defaultDataDir(): string {
  return fileURLToPath(new URL('../../../.secondrow/local', import.meta.url));
}

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
  /**
   * Directory where dynalite keeps its tables (LevelDB, in `<dataDir>/dynamodb`, created if absent), so a
   * table outlives the process and the next `startLocalAws({ dataDir })` finds it. One process at a time
   * may hold a directory. Kinesis streams stay in memory. Default: everything in memory.
   */
  dataDir?: string;
  /** With `dataDir`: delete the tables kept there before starting, so the run begins empty. Default false. */
  clearDataDir?: boolean;
  /** Settings for the ready clients, e.g. `{ maxAttempts: 3 }`; endpoint and credentials stay local. */
  dynamodbClient?: DynamoDBClientConfig;
  /**
   * Put fault-injecting endpoints in front of the servers: a {@link DynamoFaultProxy} in front of dynalite and
   * a {@link KinesisLimitsProxy} (AWS's shard and size limits) in front of kinesalite. The proxies run on the
   * caller's thread, also when the servers run on a worker. The endpoints, the ready clients and
   * `newDynamoDbClient` then go through the proxies; {@link LocalAws.servers} keeps the servers' own
   * endpoints. Default: no proxies.
   */
  faults?: LocalFaultOptions;
}

/**
 * Settings of the proxies {@link startLocalAws} puts in front of the servers (`upstream` and `port` are its
 * own). An empty object starts both proxies: DynamoDB without faults, Kinesis with AWS's limits.
 */
export interface LocalFaultOptions {
  /** Options of the DynamoDB proxy (fault rates, latency, seed...); `false` for no DynamoDB proxy. Default `{}`. */
  dynamodb?: Omit<DynamoFaultProxyOptions, 'upstream' | 'port'> | false;
  /** Options of the Kinesis proxy (limits, fault rates...); `false` for no Kinesis proxy. Default `{}`. */
  kinesis?: Omit<KinesisLimitsProxyOptions, 'upstream' | 'port'> | false;
}

/** The proxies of a {@link LocalAws} started with `faults`, for `setFaults` and `counts()` at run time. */
export interface LocalFaultProxies {
  /** In front of dynalite, or `undefined` when not started. */
  dynamodb: DynamoFaultProxy | undefined;
  /** In front of kinesalite, or `undefined` when not started. */
  kinesis: KinesisLimitsProxy | undefined;
}

/** Where the local servers run: on their own thread of this process, or on the caller's event loop. */
export type LocalServersMode = 'thread' | 'inline';

/** Running local servers and clients ready to talk to them. Call {@link LocalAws.close} when done. */
export interface LocalAws {
  /** Where the servers actually run (`thread` falls back to `inline` when a worker cannot start). */
  mode: LocalServersMode;
  /**
   * `http://127.0.0.1:<port>` clients should use for DynamoDB: the fault proxy's with `faults`, else dynalite's;
   * `undefined` when dynalite was not started.
   */
  dynamodbEndpoint: string | undefined;
  /** Likewise for Kinesis: the limits proxy's with `faults`, else kinesalite's. */
  kinesisEndpoint: string | undefined;
  /** The servers' own endpoints, behind any proxy (e.g. to set up or check data without faults). */
  servers: { dynamodbEndpoint: string | undefined; kinesisEndpoint: string | undefined };
  /** The proxies started with `faults` (both `undefined` without). Closed by {@link LocalAws.close}. */
  proxies: LocalFaultProxies;
  /** Client bound to dynalite. Throws on use when dynalite was not started (its endpoint is unroutable). */
  dynamodb: DynamoDBClient;
  /** Client bound to kinesalite, over HTTP/1.1. Throws on use when kinesalite was not started. */
  kinesis: KinesisClient;
  /**
   * Another DynamoDB client for the same dynalite (e.g. one per simulated writer, or one with a fault
   * injected), destroyed by {@link LocalAws.close}.
   */
  newDynamoDbClient(config?: DynamoDBClientConfig): DynamoDBClient;
  /**
   * Destroys every client made here and stops the servers; their in-memory data is gone (tables under
   * `dataDir` stay on disk). Safe to call twice.
   */
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
 * Starts dynalite and kinesalite in memory (dynalite on disk with `dataDir`) on free loopback ports, with no artificial CREATING/DELETING
 * delays, and returns clients bound to them. The one way tests, benchmarks and the demo start local AWS.
 *
 * @param options - Which servers to start (both by default), where, and client settings.
 * @returns The endpoints, ready clients and `close()`.
 * @throws {LocalOptionError} when `shardLimit` is not a positive integer, a port is out of range or `dataDir`
 *   is empty.
 * @throws {InvalidProxyOptionError} when a `faults` option is invalid (checked before anything starts).
 * @throws {ServerStartError} when a server cannot listen on 127.0.0.1 (already started servers are stopped first),
 *   or `dataDir` is held by another process.
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
  if (options.dataDir !== undefined) {
    if (typeof options.dataDir !== 'string' || options.dataDir.trim() === '') {
      throw new LocalOptionError(`dataDir must be a non-empty path, got ${JSON.stringify(options.dataDir)}`);
    }
    serverOptions.dynamodbPath = resolve(options.dataDir, 'dynamodb');
    // Before clearing: never delete the tables of a directory another process is using.
    await checkDataDirFree(serverOptions.dynamodbPath);
    if (options.clearDataDir === true) rmSync(serverOptions.dynamodbPath, { recursive: true, force: true });
    mkdirSync(serverOptions.dynamodbPath, { recursive: true });
  }
  if (!Number.isInteger(serverOptions.shardLimit) || serverOptions.shardLimit < 1) {
    throw new LocalOptionError(`shardLimit must be a positive integer, got ${serverOptions.shardLimit}`);
  }
  for (const key of ['dynamodbPort', 'kinesisPort'] as const) {
    const port = serverOptions[key];
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new LocalOptionError(`${key} must be an integer in [0, 65535], got ${port}`);
    }
  }
  const faults = options.faults;
  const dynamoProxyOptions =
    faults !== undefined && faults.dynamodb !== false && serverOptions.dynamodb
      ? (faults.dynamodb ?? {})
      : undefined;
  const kinesisProxyOptions =
    faults !== undefined && faults.kinesis !== false && serverOptions.kinesis
      ? (faults.kinesis ?? {})
      : undefined;
  // With a proxy the requested port is the proxy's: that is the endpoint clients use.
  const proxyPorts = { dynamodb: serverOptions.dynamodbPort, kinesis: serverOptions.kinesisPort };
  if (dynamoProxyOptions !== undefined) serverOptions.dynamodbPort = 0;
  if (kinesisProxyOptions !== undefined) serverOptions.kinesisPort = 0;
  // Build the proxies first (their constructors validate), so bad options start nothing.
  const placeholder = UNROUTABLE_ENDPOINT;
  if (dynamoProxyOptions !== undefined) {
    new DynamoFaultProxy({ ...dynamoProxyOptions, upstream: placeholder, port: proxyPorts.dynamodb });
  }
  if (kinesisProxyOptions !== undefined) {
    new KinesisLimitsProxy({ ...kinesisProxyOptions, upstream: placeholder, port: proxyPorts.kinesis });
  }
  let mode: LocalServersMode = 'inline';
  let servers: RunningServers | undefined;
  if (options.thread === true) {
    servers = await startServersOnWorker(serverOptions).catch(() => undefined);
    if (servers !== undefined) mode = 'thread';
  }
  servers ??= await startServersInline(serverOptions);
  const proxies: LocalFaultProxies = { dynamodb: undefined, kinesis: undefined };
  const closeProxies = async (): Promise<void> => {
    await Promise.all([proxies.dynamodb?.close(), proxies.kinesis?.close()]);
  };
  let dynamodbEndpoint = servers.dynamodbEndpoint;
  let kinesisEndpoint = servers.kinesisEndpoint;
  try {
    if (dynamoProxyOptions !== undefined && dynamodbEndpoint !== undefined) {
      proxies.dynamodb = new DynamoFaultProxy({
        ...dynamoProxyOptions,
        upstream: dynamodbEndpoint,
        port: proxyPorts.dynamodb,
      });
      dynamodbEndpoint = await proxies.dynamodb.start();
    }
    if (kinesisProxyOptions !== undefined && kinesisEndpoint !== undefined) {
      proxies.kinesis = new KinesisLimitsProxy({
        ...kinesisProxyOptions,
        upstream: kinesisEndpoint,
        port: proxyPorts.kinesis,
      });
      kinesisEndpoint = await proxies.kinesis.start();
    }
  } catch (error) {
    await closeProxies();
    await servers.close();
    throw new ServerStartError(`a fault proxy cannot listen: ${(error as Error).message}`, { cause: error });
  }
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
    servers: { dynamodbEndpoint: running.dynamodbEndpoint, kinesisEndpoint: running.kinesisEndpoint },
    proxies,
    dynamodb,
    kinesis,
    newDynamoDbClient,
    async close() {
      if (closed) return;
      closed = true;
      for (const client of dynamoClients.splice(0)) client.destroy();
      kinesis.destroy();
      await closeProxies();
      await running.close();
    },
  };
}

/**
 * Opens and closes the LevelDB at `path` once, so a directory another process holds (its LOCK) is reported
 * here, clearly, instead of by dynalite throwing "Database is closed" from a callback on the first request.
 *
 * @throws {ServerStartError} naming the directory when it is in use or not a LevelDB.
 */
async function checkDataDirFree(path: string): Promise<void> {
  const db = new ClassicLevel(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: Error }).cause ?? (error as Error);
    throw new ServerStartError(
      `the data directory ${path} cannot be opened (another process using it?): ${cause.message}`,
      { cause: error },
    );
  } finally {
    await db.close();
  }
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
