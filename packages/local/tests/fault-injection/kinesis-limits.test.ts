import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRecordLimits,
  type RecordLimits,
  recordBytes,
} from '../../src/fault-injection/record-limits.js';
import { hashKeyOf, type ShardRange, shardOwning } from '../../src/fault-injection/shard-map.js';
import { TokenBucket } from '../../src/fault-injection/token-bucket.js';

describe('TokenBucket', () => {
  it('never hands out more than its capacity plus what the elapsed time refilled', () => {
    const steps = fc.array(fc.record({ advanceMs: fc.nat(2000), want: fc.integer({ min: 1, max: 700 }) }), {
      maxLength: 60,
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), steps, (rate, plan) => {
        let now = 0;
        const bucket = new TokenBucket(rate, rate, () => now);
        let taken = 0;
        for (const { advanceMs, want } of plan) {
          now += advanceMs;
          if (bucket.available() >= want) {
            bucket.take(want);
            taken += want;
          }
          expect(taken).toBeLessThanOrEqual(rate + (now * rate) / 1000 + 1e-6);
        }
      }),
    );
  });

  it('starts full and refills at its rate up to its capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 1000, () => now);
    expect(bucket.available()).toBe(1000);
    bucket.take(1000);
    now += 250;
    expect(bucket.available()).toBe(250);
    now += 10_000;
    expect(bucket.available()).toBe(1000);
  });
});

describe('shard routing', () => {
  it('maps every partition key to a 128-bit hash key owned by exactly one shard of an even split', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 256 }),
        fc.integer({ min: 1, max: 64 }),
        (key, count) => {
          const hash = hashKeyOf(key);
          expect(hash >= 0n && hash < 2n ** 128n).toBe(true);
          const width = 2n ** 128n / BigInt(count);
          const shards: ShardRange[] = Array.from({ length: count }, (_, i) => ({
            shardId: `shard-${i}`,
            startingHashKey: BigInt(i) * width,
            endingHashKey: i === count - 1 ? 2n ** 128n - 1n : BigInt(i + 1) * width - 1n,
          }));
          const owners = shards.filter((shard) => shardOwning(hash, [shard]) !== undefined);
          expect(owners).toHaveLength(1);
          expect(shardOwning(hash, shards)).toBe(owners[0]);
        },
      ),
    );
  });

  it('uses ExplicitHashKey when given', () => {
    expect(hashKeyOf('ignored', '340282366920938463463374607431768211455')).toBe(2n ** 128n - 1n);
  });
});

describe('checkRecordLimits', () => {
  const limits: RecordLimits = { maxRecordBytes: 100, maxRequestRecords: 5, maxRequestBytes: 300 };
  const record = fc
    .record({ data: fc.nat(120), key: fc.string({ minLength: 1, maxLength: 30 }) })
    .map(({ data, key }) => ({ Data: Buffer.alloc(data).toString('base64'), PartitionKey: key }));

  it('accepts a PutRecords exactly when every record and the whole request are within the limits', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), (records) => {
        const sizes = records.map(recordBytes);
        const within =
          records.length <= limits.maxRequestRecords &&
          sizes.every((size) => size.total <= limits.maxRecordBytes) &&
          sizes.reduce((sum, size) => sum + size.total, 0) <= limits.maxRequestBytes;
        expect(checkRecordLimits(records, limits, true) === undefined).toBe(within);
      }),
    );
  });

  it('counts the partition key in UTF-8 bytes and the data decoded from base64', () => {
    expect(recordBytes({ Data: Buffer.alloc(7).toString('base64'), PartitionKey: 'é' })).toEqual({
      data: 7,
      total: 9,
    });
  });

  it('names data over the record limit ValidationException and data plus key over it InvalidArgumentException', () => {
    const data = (n: number) => Buffer.alloc(n).toString('base64');
    expect(checkRecordLimits([{ Data: data(101), PartitionKey: 'a' }], limits, false)?.type).toBe(
      'ValidationException',
    );
    expect(checkRecordLimits([{ Data: data(100), PartitionKey: 'a' }], limits, false)?.type).toBe(
      'InvalidArgumentException',
    );
    expect(checkRecordLimits([{ Data: data(99), PartitionKey: 'a' }], limits, false)).toBeUndefined();
  });
});
