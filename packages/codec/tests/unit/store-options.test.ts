import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { SampleStore, type SampleStoreOptions } from '../../src/dynamodb.js';
import { InvalidOptionError } from '../../src/index.js';

const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const valid: SampleStoreOptions = { client, tableName: 'rows' };

describe('new SampleStore()', () => {
  it.each<[keyof SampleStoreOptions, unknown]>([
    ['client', undefined],
    ['client', {}],
    ['tableName', ''],
    ['tableName', 'a b'],
    ['tableName', 42],
    ['windowSeconds', 7],
    ['windowSeconds', 0],
    ['resolution', 0],
    ['resolution', 0.0000001],
    ['range', -1],
    ['range', Number.POSITIVE_INFINITY],
    ['ttlSeconds', -1],
    ['ttlSeconds', 1.5],
    ['maxAttempts', 0],
    ['maxAttempts', 2.5],
    ['maxTransientRetries', -1],
    ['maxTransientRetries', Number.NaN],
    ['baseDelayMs', -5],
    ['maxDelayMs', Number.POSITIVE_INFINITY],
    ['attemptTimeoutMs', 0],
    ['concurrency', 0],
    ['concurrency', Number.NaN],
    ['readFirstWhenHeadMissing', 'yes'],
    ['clock', { now: () => 0 }],
  ])('rejects %s = %o at construction with an InvalidOptionError naming it', (option, value) => {
    const make = () => new SampleStore({ ...valid, [option]: value } as SampleStoreOptions);
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option }));
  });

  it('rejects a maxDelayMs below baseDelayMs', () => {
    expect(() => new SampleStore({ ...valid, baseDelayMs: 100, maxDelayMs: 10 })).toThrow(
      expect.objectContaining({ option: 'maxDelayMs' }),
    );
  });

  it('accepts every documented default and valid values', () => {
    expect(() => new SampleStore(valid)).not.toThrow();
    expect(
      () =>
        new SampleStore({
          ...valid,
          windowSeconds: 4,
          resolution: 0.0005,
          range: 8,
          ttlSeconds: 0,
          maxAttempts: 1,
          maxTransientRetries: 0,
          baseDelayMs: 0,
          maxDelayMs: 0,
          attemptTimeoutMs: 1,
          concurrency: 1,
          readFirstWhenHeadMissing: false,
        }),
    ).not.toThrow();
  });
});

describe('SampleStore.read() options', () => {
  it.each([
    ['pageSize', 0],
    ['onBadItem', 'ignore'],
  ])('rejects %s = %o before any query', async (option, value) => {
    const store = new SampleStore(valid);
    const read = async () => {
      for await (const _ of store.read('d', 0, 1000, { [option]: value })) {
        // never reached
      }
    };
    await expect(read()).rejects.toMatchObject({ name: 'InvalidOptionError', option });
  });
});
