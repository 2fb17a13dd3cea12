import { Worker } from 'node:worker_threads';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { dynamoDbClientFor, kinesisClientFor, startLocalAws } from '@secondrow/consumer/local';

/** Where the local servers run: on their own thread of this process, or on the caller's event loop. */
export type LocalServersMode = 'thread' | 'inline';

/** Running local kinesalite and dynalite with clients bound to them. */
export interface LocalServers {
  /** Where the servers actually run (`thread` falls back to `inline` when a worker cannot start). */
  mode: LocalServersMode;
  kinesis: KinesisClient;
  dynamodb: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Starts kinesalite and dynalite in this process with `startLocalAws`. In `thread` mode they run on
 * a worker thread, so a 2-core machine serves requests on one core while the simulator and the
 * consumer run on the other; when no worker can be started (e.g. under a test runner that
 * transforms sources itself) they start inline instead.
 *
 * @throws Error when the servers cannot listen on 127.0.0.1.
 */
export async function startLocalServers(mode: LocalServersMode = 'thread'): Promise<LocalServers> {
  if (mode === 'thread') {
    const threaded = await startOnWorker().catch(() => undefined);
    if (threaded !== undefined) return threaded;
  }
  const aws = await startLocalAws();
  return { mode: 'inline', kinesis: aws.kinesis, dynamodb: aws.dynamodb, close: () => aws.close() };
}

async function startOnWorker(): Promise<LocalServers> {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./local-servers-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);
  // Run from source (tsx), a worker does not inherit the TypeScript loader: register it first.
  const worker = fromSource
    ? new Worker(
        `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`,
        { eval: true },
      )
    : new Worker(entry);
  const endpoints = await new Promise<{ kinesisEndpoint: string; dynamodbEndpoint: string }>(
    (resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('local servers worker did not start')), 15_000);
      worker.once('message', (message: { kinesisEndpoint: string; dynamodbEndpoint: string }) => {
        clearTimeout(timer);
        resolve(message);
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    },
  ).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  const kinesis = kinesisClientFor(endpoints.kinesisEndpoint);
  const dynamodb = dynamoDbClientFor(endpoints.dynamodbEndpoint);
  return {
    mode: 'thread',
    kinesis,
    dynamodb,
    async close() {
      kinesis.destroy();
      dynamodb.destroy();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      // The worker ends once its servers are closed; do not wait forever for it.
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
      await worker.terminate();
    },
  };
}
