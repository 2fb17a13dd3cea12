import { crc32 } from 'node:zlib';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ThrottlingException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoFaultProxy,
  InvalidProxyOptionError,
  type LocalAws,
  LocalError,
  startLocalAws,
} from '../../src/index.js';
import { createTable, dynamoClient } from './one-attempt-clients.js';

let aws: LocalAws;
let upstream: string;
let direct: DynamoDBClient;
const open: { proxy: DynamoFaultProxy; client: DynamoDBClient }[] = [];
let tableCount = 0;

beforeAll(async () => {
  aws = await startLocalAws({ kinesis: false });
  upstream = aws.dynamodbEndpoint ?? '';
  direct = dynamoClient(upstream);
});

afterEach(async () => {
  for (const { proxy, client } of open.splice(0)) {
    client.destroy();
    await proxy.close();
  }
});

afterAll(async () => {
  direct.destroy();
  await aws.close();
});

async function proxied(options: Omit<ConstructorParameters<typeof DynamoFaultProxy>[0], 'upstream'> = {}) {
  const proxy = new DynamoFaultProxy({ upstream, sleep: async () => {}, ...options });
  const client = dynamoClient(await proxy.start());
  open.push({ proxy, client });
  return { proxy, client };
}

async function freshTable(withSortKey = false): Promise<string> {
  const name = `faults-${++tableCount}`;
  await createTable(direct, name, withSortKey);
  return name;
}

const put = (TableName: string, pk: string, v: number) =>
  new PutItemCommand({ TableName, Item: { pk: { S: pk }, v: { N: String(v) } } });

async function stored(TableName: string, pk: string) {
  const { Item } = await direct.send(
    new GetItemCommand({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return Item;
}

describe('DynamoFaultProxy', () => {
  it('forwards requests untouched when no fault is configured', async () => {
    const table = await freshTable();
    const { client, proxy } = await proxied();
    await client.send(put(table, 'a', 1));
    expect(await stored(table, 'a')).toEqual({ pk: { S: 'a' }, v: { N: '1' } });
    expect(proxy.counts()).toEqual({ byKind: {}, byOperation: {} });
  });

  it('throttles data-plane calls with ProvisionedThroughputExceededException and control-plane calls with ThrottlingException', async () => {
    const table = await freshTable();
    const { client, proxy } = await proxied({ faults: { throttle: 1 } });
    const putError = await client.send(put(table, 'a', 1)).catch((error: unknown) => error);
    expect(putError).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(putError).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect((putError as ProvisionedThroughputExceededException).$metadata.requestId).toMatch(/.+/);
    const describeError = await client
      .send(new DescribeTableCommand({ TableName: table }))
      .catch((error: unknown) => error);
    expect(describeError).toBeInstanceOf(ThrottlingException);
    expect(await stored(table, 'a')).toBeUndefined();
    expect(proxy.counts()).toEqual({
      byKind: { throttle: 2 },
      byOperation: { PutItem: { throttle: 1 }, DescribeTable: { throttle: 1 } },
    });
  });

  it('answers server errors as InternalServerError (500) and ServiceUnavailable (503), both server faults', async () => {
    const table = await freshTable();
    const { client, proxy } = await proxied({ faults: { serverError: 1 }, seed: 3 });
    const errors: unknown[] = [];
    for (let i = 0; i < 20; i++)
      errors.push(await client.send(put(table, 'a', i)).catch((error: unknown) => error));
    const internal = errors.filter((error) => error instanceof InternalServerError);
    const unavailable = errors.filter(
      (error) => error instanceof DynamoDBServiceException && error.name === 'ServiceUnavailable',
    );
    expect(internal.length).toBeGreaterThan(0);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(internal.length + unavailable.length).toBe(20);
    expect(internal[0]).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect(unavailable[0]).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 503 } });
    expect(await stored(table, 'a')).toBeUndefined();
    expect(proxy.counts().byKind).toEqual({ serverError: 20 });
  });

  it('resets the connection before the upstream sees the request: nothing is written', async () => {
    const table = await freshTable();
    const { client, proxy } = await proxied({ faults: { resetBeforeUpstream: 1 } });
    await expect(client.send(put(table, 'a', 1))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(await stored(table, 'a')).toBeUndefined();
    expect(proxy.counts().byKind).toEqual({ resetBeforeUpstream: 1 });
  });

  it('resets the connection after the upstream applied the write: the client fails, the item is there', async () => {
    const table = await freshTable();
    const { client, proxy } = await proxied({ faults: { resetAfterUpstream: 1 } });
    await expect(client.send(put(table, 'a', 1))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(await stored(table, 'a')).toEqual({ pk: { S: 'a' }, v: { N: '1' } });
    expect(proxy.counts().byKind).toEqual({ resetAfterUpstream: 1 });
  });

  it('delays matching operations by the fixed latency plus jitter through the injected sleep', async () => {
    const table = await freshTable();
    const slept: number[] = [];
    const { client, proxy } = await proxied({
      faults: { latencyMs: 40, latencyJitterMs: 10, operations: ['PutItem'] },
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await client.send(put(table, 'a', 1));
    await client.send(put(table, 'b', 1));
    await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }));
    expect(slept).toHaveLength(2);
    for (const ms of slept) {
      expect(ms).toBeGreaterThanOrEqual(40);
      expect(ms).toBeLessThan(50);
    }
    expect(proxy.counts().byOperation).toEqual({ PutItem: { latency: 2 } });
  });

  it('applies faults only to the listed operations', async () => {
    const table = await freshTable();
    const { client } = await proxied({ faults: { throttle: 1, operations: ['UpdateItem'] } });
    await client.send(put(table, 'a', 1));
    await expect(
      client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: 'a' } },
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeValues: { ':v': { N: '2' } },
        }),
      ),
    ).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(await stored(table, 'a')).toEqual({ pk: { S: 'a' }, v: { N: '1' } });
  });

  it('throttles everything while asked to, then recovers when the rates are changed at run time', async () => {
    const table = await freshTable();
    const { client, proxy } = await proxied({ faults: { throttle: 1 } });
    for (let i = 0; i < 3; i++) {
      await expect(client.send(put(table, 'a', i))).rejects.toBeInstanceOf(
        ProvisionedThroughputExceededException,
      );
    }
    proxy.setFaults({});
    await client.send(put(table, 'a', 9));
    expect(await stored(table, 'a')).toEqual({ pk: { S: 'a' }, v: { N: '9' } });
    expect(proxy.counts().byKind).toEqual({ throttle: 3 });
    expect(() => proxy.setFaults({ throttle: 2 })).toThrow(InvalidProxyOptionError);
  });

  describe('ReturnValuesOnConditionCheckFailure ALL_OLD', () => {
    it('returns the stored item on a failed conditional PutItem, UpdateItem and DeleteItem', async () => {
      const table = await freshTable();
      const { client, proxy } = await proxied();
      const item = {
        pk: { S: 'a' },
        v: { N: '5' },
        tags: { SS: ['x', 'y'] },
        blob: { B: new Uint8Array([1, 2, 3]) },
      };
      await client.send(new PutItemCommand({ TableName: table, Item: item }));
      const condition = { ConditionExpression: 'v < :v', ExpressionAttributeValues: { ':v': { N: '3' } } };
      const attempts = [
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: 'a' }, v: { N: '3' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ...condition,
        }),
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: 'a' } },
          UpdateExpression: 'SET w = :v',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ...condition,
        }),
        new DeleteItemCommand({
          TableName: table,
          Key: { pk: { S: 'a' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ...condition,
        }),
      ];
      for (const attempt of attempts) {
        // biome-ignore lint/suspicious/noExplicitAny: the three commands share no narrower send overload
        const error = await client.send(attempt as any).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConditionalCheckFailedException);
        expect((error as ConditionalCheckFailedException).Item).toEqual(item);
      }
      expect(proxy.counts().byKind).toEqual({ oldItemReturned: 3 });
    });

    it('uses both parts of a composite key', async () => {
      const table = await freshTable(true);
      const { client } = await proxied();
      await direct.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { N: '1' } } }),
      );
      await direct.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { N: '2' }, v: { N: '2' } } }),
      );
      const error = await client
        .send(
          new PutItemCommand({
            TableName: table,
            Item: { pk: { S: 'a' }, sk: { N: '2' }, v: { N: '0' } },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )
        .catch((e: unknown) => e);
      expect((error as ConditionalCheckFailedException).Item).toEqual({
        pk: { S: 'a' },
        sk: { N: '2' },
        v: { N: '2' },
      });
    });

    it('leaves the item out when the request did not ask for it', async () => {
      const table = await freshTable();
      const { client, proxy } = await proxied();
      await client.send(put(table, 'a', 5));
      const error = await client
        .send(
          new PutItemCommand({
            ...put(table, 'a', 1).input,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConditionalCheckFailedException);
      expect((error as ConditionalCheckFailedException).Item).toBeUndefined();
      expect(proxy.counts().byKind).toEqual({});
    });
  });

  it('sends x-amz-crc32 matching the body of injected errors and of rewritten errors', async () => {
    const table = await freshTable();
    const { proxy } = await proxied({ faults: { throttle: 1, operations: ['GetItem'] } });
    await direct.send(put(table, 'a', 5));
    const call = (target: string, payload: unknown) =>
      fetch(proxy.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${target}`,
          'x-amz-date': '20260101T000000Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: JSON.stringify(payload),
      });
    const throttled = await call('GetItem', { TableName: table, Key: { pk: { S: 'a' } } });
    const rewritten = await call('PutItem', {
      TableName: table,
      Item: { pk: { S: 'a' }, v: { N: '1' } },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    for (const response of [throttled, rewritten]) {
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amz-crc32')).toBe(String(crc32(body)));
      expect(response.headers.get('x-amzn-requestid')).toMatch(/.+/);
    }
  });

  it('makes the same decisions for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const table = await freshTable();
      const { client, proxy } = await proxied({
        seed,
        faults: { throttle: 0.2, serverError: 0.2, resetBeforeUpstream: 0.1, resetAfterUpstream: 0.1 },
      });
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        seen.push(
          await client.send(put(table, `k${i}`, i)).then(
            () => 'ok',
            (error: { name?: string; code?: string }) => error.code ?? error.name ?? 'error',
          ),
        );
      }
      return { seen, counts: proxy.counts() };
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(new Set(first.seen).size).toBeGreaterThan(2);
    expect(await outcomes(43)).not.toEqual(first);
  });

  it("makes every injected fault one the SDK's standard retry strategy retries", async () => {
    const table = await freshTable();
    for (const kind of ['throttle', 'serverError', 'resetBeforeUpstream', 'resetAfterUpstream'] as const) {
      const proxy = new DynamoFaultProxy({ upstream, faults: { [kind]: 1 } });
      const client = new DynamoDBClient({
        endpoint: await proxy.start(),
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 2,
      });
      open.push({ proxy, client });
      await expect(client.send(put(table, 'a', 1))).rejects.toBeDefined();
      expect(proxy.counts().byKind, kind).toEqual({ [kind]: 2 });
    }
  });

  it('rejects invalid options when constructed, with a typed error naming the option', () => {
    const make = (options: object) => () =>
      new DynamoFaultProxy({ upstream: 'http://127.0.0.1:1', ...options });
    const cases: [object, string][] = [
      [{ faults: { throttle: -0.1 } }, 'faults.throttle'],
      [{ faults: { serverError: Number.NaN } }, 'faults.serverError'],
      [{ faults: { resetAfterUpstream: 1.5 } }, 'faults.resetAfterUpstream'],
      [{ faults: { throttle: 0.6, serverError: 0.6 } }, 'faults'],
      [{ faults: { latencyMs: -1 } }, 'faults.latencyMs'],
      [{ faults: { latencyJitterMs: Number.POSITIVE_INFINITY } }, 'faults.latencyJitterMs'],
      [{ faults: { operations: [''] } }, 'faults.operations'],
      [{ upstream: 'https://example.com' }, 'upstream'],
      [{ seed: 1, random: Math.random }, 'seed'],
      [{ seed: 1.5 }, 'seed'],
      [{ port: 70000 }, 'port'],
    ];
    for (const [options, option] of cases) {
      let caught: unknown;
      try {
        make(options)();
      } catch (error) {
        caught = error;
      }
      expect(caught, option).toBeInstanceOf(InvalidProxyOptionError);
      expect(caught).toBeInstanceOf(LocalError);
      expect(caught).toMatchObject({ code: 'INVALID_OPTION', option });
    }
  });

  it('says it is not listening before start()', () => {
    const proxy = new DynamoFaultProxy({ upstream: 'http://127.0.0.1:1' });
    expect(() => proxy.endpoint).toThrow(expect.objectContaining({ code: 'PROXY_NOT_LISTENING' }));
  });
});
