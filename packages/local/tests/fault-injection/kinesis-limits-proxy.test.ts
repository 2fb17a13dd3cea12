import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  InvalidArgumentException,
  type KinesisClient,
  KinesisServiceException,
  ListShardsCommand,
  ListStreamsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashKeyOf, openShardsOf, shardOwning } from '../../src/fault-injection/shard-map.js';
import {
  createStream,
  InvalidProxyOptionError,
  KinesisLimitsProxy,
  type LocalAws,
  startLocalAws,
} from '../../src/index.js';
import { kinesisClient } from './one-attempt-clients.js';

let aws: LocalAws;
let upstream: string;
let direct: KinesisClient;
const open: { proxy: KinesisLimitsProxy; client: KinesisClient }[] = [];
let streamCount = 0;
let clock = 0;

beforeAll(async () => {
  aws = await startLocalAws({ dynamodb: false, shardLimit: 1000 });
  upstream = aws.kinesisEndpoint ?? '';
  direct = kinesisClient(upstream);
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

async function proxied(options: Omit<ConstructorParameters<typeof KinesisLimitsProxy>[0], 'upstream'> = {}) {
  clock = 0;
  const proxy = new KinesisLimitsProxy({
    upstream,
    now: () => clock,
    sleep: async () => {},
    ...options,
  });
  const client = kinesisClient(await proxy.start());
  open.push({ proxy, client });
  return { proxy, client };
}

async function freshStream(shards: number): Promise<string> {
  const name = `limits-${++streamCount}`;
  await createStream(direct, name, shards);
  return name;
}

/** A partition key routed to the shard with index `shard` of an evenly split two-shard stream. */
function keyOnShard(shard: 0 | 1, salt: number): string {
  for (let i = 0; ; i++) {
    const key = `k${salt}-${i}`;
    if ((hashKeyOf(key) >> 127n === 1n) === (shard === 1)) return key;
  }
}

const small = new Uint8Array(10);

async function storedCount(stream: string, shardId: string): Promise<number> {
  const { ShardIterator } = await direct.send(
    new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const { Records } = await direct.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
  return Records?.length ?? 0;
}

describe('KinesisLimitsProxy', () => {
  it('routes records to the same shard as Kinesis (kinesalite) does', async () => {
    const stream = await freshStream(5);
    const { client } = await proxied();
    const shards = openShardsOf(await direct.send(new ListShardsCommand({ StreamName: stream })));
    const Records = Array.from({ length: 200 }, (_, i) => ({ PartitionKey: `device-${i}`, Data: small }));
    const answer = await client.send(new PutRecordsCommand({ StreamName: stream, Records }));
    expect(answer.FailedRecordCount).toBe(0);
    answer.Records?.forEach((entry, i) => {
      expect(entry.ShardId).toBe(shardOwning(hashKeyOf(`device-${i}`), shards)?.shardId);
    });
  });

  it('fails the records above 1,000 records/s of one shard, record by record, while other shards take theirs', async () => {
    const stream = await freshStream(2);
    const { client, proxy } = await proxied();
    const a = keyOnShard(0, 1);
    const b = keyOnShard(1, 1);
    const batch = (keys: string[]): PutRecordsRequestEntry[] =>
      keys.map((PartitionKey) => ({ PartitionKey, Data: small }));
    for (let i = 0; i < 2; i++) {
      const full = await client.send(
        new PutRecordsCommand({ StreamName: stream, Records: batch(Array(500).fill(a)) }),
      );
      expect(full.FailedRecordCount).toBe(0);
    }
    const mixed = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? a : b));
    const answer = await client.send(new PutRecordsCommand({ StreamName: stream, Records: batch(mixed) }));
    expect(answer.FailedRecordCount).toBe(250);
    answer.Records?.forEach((entry, i) => {
      if (i % 2 === 0) {
        expect(entry).toEqual({
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream ${stream} under account 000000000000.`,
        });
      } else {
        expect(entry.ShardId).toBe('shardId-000000000001');
        expect(entry.SequenceNumber).toMatch(/^\d+$/);
      }
    });
    const refused = await client.send(
      new PutRecordsCommand({ StreamName: stream, Records: batch(Array(10).fill(a)) }),
    );
    expect(refused.FailedRecordCount).toBe(10);
    expect(
      refused.Records?.every((entry) => entry.ErrorCode === 'ProvisionedThroughputExceededException'),
    ).toBe(true);
    clock += 1000;
    const after = await client.send(
      new PutRecordsCommand({ StreamName: stream, Records: batch(Array(500).fill(a)) }),
    );
    expect(after.FailedRecordCount).toBe(0);
    expect(await storedCount(stream, 'shardId-000000000000')).toBe(1500);
    expect(await storedCount(stream, 'shardId-000000000001')).toBe(250);
    expect(proxy.counts().byOperation).toEqual({ PutRecords: { recordThrottled: 260 } });
  });

  it('throttles a PutRecord above 1 MiB/s on its shard with ProvisionedThroughputExceededException', async () => {
    const stream = await freshStream(1);
    const { client, proxy } = await proxied();
    const Data = new Uint8Array(600 * 1024);
    await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'a', Data }));
    const error = await client
      .send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'a', Data }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 } });
    clock += 600;
    await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'a', Data }));
    expect(await storedCount(stream, 'shardId-000000000000')).toBe(2);
    expect(proxy.counts().byKind).toEqual({ recordThrottled: 1 });
  });

  describe('size limits', () => {
    const MiB = 1_048_576;

    it('rejects a record whose data and partition key exceed 1 MiB with InvalidArgumentException', async () => {
      const stream = await freshStream(1);
      const { client } = await proxied();
      const error = await client
        .send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'ab', Data: new Uint8Array(MiB - 1) }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentException);
      expect(await storedCount(stream, 'shardId-000000000000')).toBe(0);
    });

    it('rejects data over 1 MiB with ValidationException, whole request', async () => {
      const stream = await freshStream(1);
      const { client, proxy } = await proxied();
      const Records = [
        { PartitionKey: 'a', Data: small },
        { PartitionKey: 'a', Data: new Uint8Array(MiB + 1) },
      ];
      const error = await client
        .send(new PutRecordsCommand({ StreamName: stream, Records }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KinesisServiceException);
      expect(error).toMatchObject({ name: 'ValidationException', $fault: 'client' });
      expect((error as Error).message).toContain("'records.2.member.data'");
      expect(await storedCount(stream, 'shardId-000000000000')).toBe(0);
      expect(proxy.counts().byKind).toEqual({ limitRejected: 1 });
    });

    it('rejects PutRecords of more than 500 records and of more than 5 MiB', async () => {
      const stream = await freshStream(1);
      const { client } = await proxied();
      const many = Array.from({ length: 501 }, () => ({ PartitionKey: 'a', Data: small }));
      await expect(
        client.send(new PutRecordsCommand({ StreamName: stream, Records: many })),
      ).rejects.toMatchObject({
        name: 'ValidationException',
      });
      const large = Array.from({ length: 6 }, () => ({ PartitionKey: 'a', Data: new Uint8Array(1_000_000) }));
      const error = await client
        .send(new PutRecordsCommand({ StreamName: stream, Records: large }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentException);
      expect((error as Error).message).toBe('Records size exceeds 5 MB limit');
      expect(await storedCount(stream, 'shardId-000000000000')).toBe(0);
    });
  });

  describe('injected faults', () => {
    it('throttles whole data-plane requests with ProvisionedThroughputExceededException', async () => {
      const stream = await freshStream(1);
      const { client, proxy } = await proxied({ faults: { throttle: 1, operations: ['PutRecords'] } });
      const error = await client
        .send(new PutRecordsCommand({ StreamName: stream, Records: [{ PartitionKey: 'a', Data: small }] }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
      expect(await storedCount(stream, 'shardId-000000000000')).toBe(0);
      expect(proxy.counts().byKind).toEqual({ throttle: 1 });
    });

    it('answers server errors as InternalFailure (500) and ServiceUnavailable (503)', async () => {
      const { client } = await proxied({ faults: { serverError: 1 }, seed: 5 });
      const names = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const error = await client.send(new ListStreamsCommand({})).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(KinesisServiceException);
        expect(error).toMatchObject({ $fault: 'server' });
        names.add(
          `${(error as KinesisServiceException).name} ${(error as KinesisServiceException).$metadata.httpStatusCode}`,
        );
      }
      expect(names).toEqual(new Set(['InternalFailure 500', 'ServiceUnavailable 503']));
    });

    it('resets after kinesalite stored the record: the client fails, the record is in the shard', async () => {
      const stream = await freshStream(1);
      const { client } = await proxied({ faults: { resetAfterUpstream: 1, operations: ['PutRecord'] } });
      await expect(
        client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'a', Data: small })),
      ).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
      expect(await storedCount(stream, 'shardId-000000000000')).toBe(1);
    });
  });

  it('rejects invalid limits when constructed', () => {
    for (const option of [
      'shardBytesPerSecond',
      'shardRecordsPerSecond',
      'maxRecordBytes',
      'maxRequestRecords',
      'maxRequestBytes',
    ]) {
      for (const value of [0, -1, 1.5]) {
        expect(() => new KinesisLimitsProxy({ upstream: 'http://127.0.0.1:1', [option]: value })).toThrow(
          expect.objectContaining({ code: 'INVALID_OPTION', option }),
        );
      }
    }
    expect(() => new KinesisLimitsProxy({ upstream: 'http://127.0.0.1:1', faults: { throttle: 2 } })).toThrow(
      InvalidProxyOptionError,
    );
  });
});
