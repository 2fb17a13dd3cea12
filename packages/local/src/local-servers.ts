/// <reference path="./local-servers.d.ts" />
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';
import { ServerStartError } from './errors.js';

/** Which servers to start, and their limits. */
export interface ServerOptions {
  /** Start dynalite (local DynamoDB). */
  dynamodb: boolean;
  /** Start kinesalite (local Kinesis Data Streams). */
  kinesis: boolean;
  /** Maximum shards kinesalite allows over all streams. */
  shardLimit: number;
  /** Loopback port of dynalite; 0 picks a free one. */
  dynamodbPort: number;
  /** Loopback port of kinesalite; 0 picks a free one. */
  kinesisPort: number;
  /** Directory of dynalite's LevelDB data (created if absent); `undefined` keeps it in memory. */
  dynamodbPath?: string | undefined;
}

/** Endpoints of running servers, and how to stop them. */
export interface RunningServers {
  /** `http://127.0.0.1:<port>` of dynalite, or `undefined` when it was not started. */
  dynamodbEndpoint: string | undefined;
  /** `http://127.0.0.1:<port>` of kinesalite, or `undefined` when it was not started. */
  kinesisEndpoint: string | undefined;
  /** Stops the servers; their in-memory data is gone (data on disk, with `dynamodbPath`, stays). */
  close(): Promise<void>;
}

/**
 * Starts dynalite and/or kinesalite on this thread, in memory (dynalite on disk with `dynamodbPath`), on
 * free loopback ports, with no artificial CREATING/DELETING delays.
 *
 * @throws {ServerStartError} when a server cannot listen (servers already started are stopped first).
 */
export async function startServersInline(options: ServerOptions): Promise<RunningServers> {
  const servers: Server[] = [];
  const stopServers = async (): Promise<void> => {
    await Promise.all(servers.splice(0).map(stopServer));
  };
  try {
    let dynamodbEndpoint: string | undefined;
    let kinesisEndpoint: string | undefined;
    if (options.dynamodb) {
      const server = dynalite({
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(options.dynamodbPath === undefined ? {} : { path: options.dynamodbPath }),
      });
      servers.push(server);
      dynamodbEndpoint = await listenOnLoopback(server, 'dynalite', options.dynamodbPort);
    }
    if (options.kinesis) {
      const server = kinesalite({
        createStreamMs: 0,
        deleteStreamMs: 0,
        updateStreamMs: 0,
        shardLimit: options.shardLimit,
      });
      servers.push(server);
      kinesisEndpoint = await listenOnLoopback(server, 'kinesalite', options.kinesisPort);
    }
    return { dynamodbEndpoint, kinesisEndpoint, close: stopServers };
  } catch (error) {
    await stopServers();
    throw error;
  }
}

/**
 * Starts the servers on a worker thread of this process, so a 2-core machine serves requests on one core
 * while the caller runs on the other.
 *
 * @throws {ServerStartError} when the worker cannot start or its servers cannot listen within 15 s.
 */
export async function startServersOnWorker(options: ServerOptions): Promise<RunningServers> {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./local-servers-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);
  // Run from source (tsx), a worker does not inherit the TypeScript loader: register it first.
  const worker = fromSource
    ? new Worker(
        `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`,
        { eval: true, workerData: options },
      )
    : new Worker(entry, { workerData: options });
  const endpoints = await new Promise<WorkerReady>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ServerStartError('local servers worker did not start within 15 s')),
      15_000,
    );
    worker.once('message', (message: WorkerReady) => {
      clearTimeout(timer);
      resolve(message);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(new ServerStartError(`local servers worker failed: ${error.message}`, { cause: error }));
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    dynamodbEndpoint: endpoints.dynamodbEndpoint,
    kinesisEndpoint: endpoints.kinesisEndpoint,
    async close() {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      // The worker ends once its servers are closed; do not wait forever for it.
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
      await worker.terminate();
    },
  };
}

/** The first message of the worker: where its servers listen. */
export interface WorkerReady {
  dynamodbEndpoint: string | undefined;
  kinesisEndpoint: string | undefined;
}

async function listenOnLoopback(server: Server, name: string, port: number): Promise<string> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new ServerStartError(`${name} cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stopServer(server: Server): Promise<void> {
  if (!server.listening) return;
  // Keep-alive sockets of other clients would hold close() open until they time out.
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => {
    server.close((error?: Error) => (error ? reject(error) : resolve()));
  });
}
