import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer } from 'node:net';
import {
  DynamoDBClient,
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SampleStore, type SampleStoreOptions } from '../../src/dynamodb.js';
import { classifySdkError, storeErrorFromSdk } from '../../src/store/classify-error.js';
import type { Sample } from '../../src/types.js';

// Failure classification against what the SDK really produces: its own exception classes, responses in
// DynamoDB's JSON error shape from a local HTTP server, and connection resets from a TCP server that
// destroys every socket. Each fault server counts the requests that reached it.

const T0 = 1_700_000_000_000;
const samples: Sample[] = Array.from({ length: 50 }, (_, i) => ({ t: T0 + i * 20, x: 0, y: 0, z: 1 }));

const clients: DynamoDBClient[] = [];
const servers: (HttpServer | NetServer)[] = [];

function clientFor(server: HttpServer | NetServer): DynamoDBClient {
  const { port } = server.address() as AddressInfo;
  // The client keeps the DynamoDB default maxAttempts (4): the store must turn those retries off.
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  clients.push(client);
  return client;
}

async function listen<S extends HttpServer | NetServer>(server: S): Promise<S> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** An HTTP server answering every request with DynamoDB's JSON error shape; `requests()` counts them. */
async function errorServer(status: number, type: string) {
  let requests = 0;
  const server = await listen(
    createHttpServer((req, res) => {
      requests += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: `com.amazonaws.dynamodb.v20120810#${type}`,
            message: `${type} from test`,
          }),
        );
      });
    }),
  );
  return { server, requests: () => requests };
}

/** A TCP server that destroys every connection as soon as a request starts: the client sees ECONNRESET. */
async function resetServer() {
  let requests = 0;
  const server = await listen(
    createNetServer((socket) => {
      socket.once('data', () => {
        requests += 1;
        socket.resetAndDestroy();
      });
    }),
  );
  return { server, requests: () => requests };
}

function storeOn(client: DynamoDBClient, options: Partial<SampleStoreOptions> = {}): SampleStore {
  // Real sockets, so the real clock; backoff kept to a few ms.
  return new SampleStore({
    client,
    tableName: 'rows',
    baseDelayMs: 1,
    maxDelayMs: 2,
    maxTransientRetries: 2,
    ...options,
  });
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

afterAll(() => undefined);

describe('SampleStore.write() against real faults', () => {
  it('retries a connection reset (a smithy TimeoutError) without a deadline, then UNAVAILABLE, never DEADLINE_EXCEEDED', async () => {
    const { server, requests } = await resetServer();

    const report = await storeOn(clientFor(server)).write('watch-1', samples);

    const error = report.failed[0]?.error;
    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(error?.cause).toMatchObject({ name: 'TimeoutError', code: 'ECONNRESET' });
    // One retry layer: 1 + maxTransientRetries requests, not 4 SDK attempts each.
    expect(report.requests).toBe(3);
    expect(requests()).toBe(3);
  });

  it.each([
    [400, 'ProvisionedThroughputExceededException', 'THROTTLED'],
    [400, 'ThrottlingException', 'THROTTLED'],
    [400, 'RequestLimitExceeded', 'THROTTLED'],
    [500, 'InternalServerError', 'UNAVAILABLE'],
    [503, 'ServiceUnavailable', 'UNAVAILABLE'],
  ])('retries HTTP %i %s in its own loop only, then %s (retryable)', async (status, type, code) => {
    const { server, requests } = await errorServer(status, type);

    const report = await storeOn(clientFor(server)).write('watch-1', samples);

    expect(report.failed[0]?.error).toMatchObject({ code, retryable: true });
    expect(report.failed[0]?.error.cause).toMatchObject({ name: type });
    expect(report).toMatchObject({ requests: 3, retries: 2 });
    expect(requests()).toBe(3);
  });

  it.each([
    ['ResourceNotFoundException', true],
    ['AccessDeniedException', true],
    ['ValidationException', false],
  ])('does not retry %s; retryable %s', async (type, retryable) => {
    const { server, requests } = await errorServer(400, type);

    const report = await storeOn(clientFor(server)).write('watch-1', samples);

    expect(report.failed[0]?.error).toMatchObject({ code: 'DYNAMODB_ERROR', retryable });
    expect(requests()).toBe(1);
  });

  it('classifies read failures the same way', async () => {
    const { server } = await errorServer(400, 'ValidationException');
    const store = storeOn(clientFor(server));
    const read = async () => {
      for await (const _ of store.read('watch-1', T0, T0 + 1000)) {
        // nothing is stored
      }
    };
    await expect(read()).rejects.toMatchObject({
      name: 'StoreError',
      code: 'DYNAMODB_ERROR',
      retryable: false,
    });
  });
});

describe('classifySdkError() on the SDK classes', () => {
  const $metadata = {};
  it.each([
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ message: 'x', $metadata }),
      'throttled',
    ],
    ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'x', $metadata }), 'throttled'],
    [
      'ThrottlingException',
      new DynamoDBServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata,
        message: 'x',
      }),
      'throttled',
    ],
    ['InternalServerError', new InternalServerError({ message: 'x', $metadata }), 'unavailable'],
    [
      'a 503',
      new DynamoDBServiceException({
        name: 'ServiceUnavailable',
        $fault: 'server',
        $metadata: { httpStatusCode: 503 },
        message: 'x',
      }),
      'unavailable',
    ],
    [
      'ResourceNotFoundException',
      new ResourceNotFoundException({ message: 'x', $metadata }),
      'misconfigured',
    ],
    ['a plain AbortError', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), 'other'],
    ['a non-error', 'boom', 'other'],
  ])('%s is %s', (_, error, kind) => {
    expect(classifySdkError(error)).toBe(kind);
  });

  it('keeps the SDK error in cause and marks only invalid requests permanent', () => {
    const validation = new DynamoDBServiceException({
      name: 'ValidationException',
      $fault: 'client',
      $metadata,
      message: 'bad',
    });
    expect(storeErrorFromSdk(validation, 'w')).toMatchObject({
      code: 'DYNAMODB_ERROR',
      retryable: false,
      cause: validation,
    });
    const throttled = new ProvisionedThroughputExceededException({ message: 'x', $metadata });
    expect(storeErrorFromSdk(throttled, 'w')).toMatchObject({ code: 'THROTTLED', retryable: true });
  });
});
