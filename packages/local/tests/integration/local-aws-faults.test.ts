import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ITEM_ATTRIBUTES } from '@secondrow/codec';
import { describe, expect, it } from 'vitest';
import {
  createRowTable,
  createStream,
  dynamoDbClientFor,
  InvalidProxyOptionError,
  startLocalAws,
} from '../../src/index.js';

describe('startLocalAws({ faults })', () => {
  for (const thread of [false, true]) {
    it(`puts the proxies in front of the servers (thread ${thread}) and closes them`, async () => {
      // Prepare
      const aws = await startLocalAws({
        thread,
        dynamodbClient: { maxAttempts: 1 },
        // The Kinesis proxy's clock stands still, so its per-second limits cannot refill between the
        // requests however slowly a loaded machine sends them.
        faults: { dynamodb: { faults: { throttle: 1, operations: ['PutItem'] } }, kinesis: { now: () => 0 } },
      });
      let proxyEndpoint = '';
      try {
        const table = await createRowTable(aws.dynamodb);
        await createStream(aws.kinesis, 's', 1);
        const item = { [ITEM_ATTRIBUTES.deviceId]: { S: 'd' }, [ITEM_ATTRIBUTES.windowStart]: { N: '1' } };

        // Act
        const throttled = await aws.dynamodb.send(new PutItemCommand({ TableName: table, Item: item })).then(
          () => undefined,
          (error: unknown) => (error as Error).name,
        );
        aws.proxies.dynamodb?.setFaults({});
        await aws.dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));
        const direct = dynamoDbClientFor(aws.servers.dynamodbEndpoint);
        const stored = await direct.send(new GetItemCommand({ TableName: table, Key: item }));
        direct.destroy();
        // 1,500 records in three requests on one shard within one (frozen) second: the 1,000 records/s limit throttles some.
        const put = async (n: number) =>
          aws.kinesis.send(
            new PutRecordsCommand({
              StreamName: 's',
              Records: Array.from({ length: n }, () => ({ PartitionKey: 'p', Data: new Uint8Array([1]) })),
            }),
          );
        const first = await put(500);
        const second = await put(500);
        const third = await put(500);
        proxyEndpoint = aws.dynamodbEndpoint ?? '';

        // Assess
        expect(throttled).toBe('ProvisionedThroughputExceededException');
        expect(stored.Item).toEqual(item);
        expect(aws.dynamodbEndpoint).not.toBe(aws.servers.dynamodbEndpoint);
        expect(aws.kinesisEndpoint).not.toBe(aws.servers.kinesisEndpoint);
        expect(aws.proxies.dynamodb?.counts().byKind).toEqual({ throttle: 1 });
        expect(first.FailedRecordCount ?? 0).toBe(0);
        expect((second.FailedRecordCount ?? 0) + (third.FailedRecordCount ?? 0)).toBeGreaterThan(0);
        expect(aws.proxies.kinesis?.counts().byKind.recordThrottled).toBeGreaterThan(0);
      } finally {
        await aws.close();
      }
      await expect(fetch(proxyEndpoint)).rejects.toThrow();
    });
  }

  it('has no proxies without faults', async () => {
    const aws = await startLocalAws({ kinesis: false });
    try {
      expect(aws.proxies).toEqual({ dynamodb: undefined, kinesis: undefined });
      expect(aws.dynamodbEndpoint).toBe(aws.servers.dynamodbEndpoint);
    } finally {
      await aws.close();
    }
  });

  it('rejects invalid fault options before starting anything', async () => {
    await expect(startLocalAws({ faults: { dynamodb: { faults: { throttle: 2 } } } })).rejects.toThrow(
      InvalidProxyOptionError,
    );
  });
});
