import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DeviceRegistry, REGISTRY_PARTITION } from '../../src/dynamodb.js';
import { registryKey, widenRange } from '../../src/store/device-registry.js';
import { fcParams } from '../helpers/fc.js';

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

beforeEach(() => {
  ddb.reset();
});

afterAll(() => {
  ddb.restore();
});

const registryItem = (deviceId: string, firstMs: number, lastMs: number) => ({
  ...registryKey(deviceId),
  i: { S: deviceId },
  f: { N: String(firstMs) },
  l: { N: String(lastMs) },
});

describe('DeviceRegistry options', () => {
  it.each([
    ['client', { client: {}, tableName: 'rows' }],
    ['tableName', { client, tableName: 'x' }],
    ['tableName', { client, tableName: 'has space' }],
    ['intervalMs', { client, tableName: 'rows', intervalMs: -1 }],
    ['intervalMs', { client, tableName: 'rows', intervalMs: 1.5 }],
    ['maxAttempts', { client, tableName: 'rows', maxAttempts: 0 }],
    ['concurrency', { client, tableName: 'rows', concurrency: Number.NaN }],
  ])('rejects a bad %s at construction', (option, options) => {
    expect(() => new DeviceRegistry(options as never)).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', code: 'INVALID_OPTION', option }),
    );
  });

  it('accepts intervalMs 0 (exact last times)', () => {
    expect(() => new DeviceRegistry({ client, tableName: 'rows', intervalMs: 0 })).not.toThrow();
  });
});

describe('registryKey()', () => {
  it('never equals a row key: its sort key is negative, rows have s >= 0', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (deviceId) => {
        const key = registryKey(deviceId);
        expect(key.d).toEqual({ S: REGISTRY_PARTITION });
        const s = (key.s as { N: string }).N;
        expect(s).toMatch(/^-[1-9][0-9]{0,36}$/);
      }),
      fcParams,
    );
  });

  it('gives distinct devices distinct keys, the registry partition name and its prefixes included', () => {
    const ids = [REGISTRY_PARTITION, `${REGISTRY_PARTITION}#a`, 'a', 'A', 'quarantine#x', 'é', 'e\u0301'];
    const keys = new Set(ids.map((id) => (registryKey(id).s as { N: string }).N));
    expect(keys.size).toBe(ids.length);
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 20 }), (many) => {
        expect(new Set(many.map((id) => (registryKey(id).s as { N: string }).N)).size).toBe(many.length);
      }),
      fcParams,
    );
  });
});

describe('widenRange()', () => {
  it('keeps first exact and gives last the headroom only when a note passes it', () => {
    expect(widenRange(undefined, 10, 20, 100)).toEqual({ firstMs: 10, lastMs: 120 });
    expect(widenRange({ firstMs: 10, lastMs: 120 }, 15, 120, 100)).toBeUndefined();
    expect(widenRange({ firstMs: 10, lastMs: 120 }, 5, 50, 100)).toEqual({ firstMs: 5, lastMs: 120 });
    expect(widenRange({ firstMs: 10, lastMs: 120 }, 50, 121, 100)).toEqual({ firstMs: 10, lastMs: 221 });
    expect(widenRange({ firstMs: 10, lastMs: 20 }, 10, 21, 0)).toEqual({ firstMs: 10, lastMs: 21 });
  });
});

describe('DeviceRegistry.note() input', () => {
  const registry = new DeviceRegistry({ client, tableName: 'rows' });

  it.each([
    ['', 0, 1],
    ['dev', -1, 1],
    ['dev', 2, 1],
    ['dev', 0.5, 1],
    ['dev', 0, 2 ** 53],
  ])('rejects device %j with times %d..%d before sending anything', async (deviceId, firstMs, lastMs) => {
    await expect(registry.note(deviceId, firstMs, lastMs)).rejects.toMatchObject({
      name: 'ItemError',
      code: 'INVALID_ITEM',
    });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('noteMany names the bad entry and sends nothing', async () => {
    await expect(
      registry.noteMany([
        { deviceId: 'a', firstMs: 1, lastMs: 2 },
        { deviceId: 'b', firstMs: 3, lastMs: 2 },
      ]),
    ).rejects.toThrow(/entry 1 \(b\)/);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('DeviceRegistry.note() requests', () => {
  it('reads an unknown device once, writes its range, and then sends nothing for notes inside it', async () => {
    ddb.on(GetItemCommand).resolves({ ConsumedCapacity: { CapacityUnits: 1 } });
    ddb.on(PutItemCommand).resolves({ ConsumedCapacity: { CapacityUnits: 1 } });
    const registry = new DeviceRegistry({ client, tableName: 'rows', intervalMs: 1000 });

    const first = await registry.note('dev', 5_000, 5_980);
    const inside = await registry.note('dev', 5_500, 6_900);

    expect(first).toMatchObject({
      noted: 1,
      unchanged: 0,
      writes: 1,
      writeUnits: 1,
      readUnits: 1,
      requests: 2,
    });
    expect(inside).toMatchObject({ noted: 1, unchanged: 1, writes: 0, requests: 0 });
    const put = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.Item).toEqual(registryItem('dev', 5_000, 6_980));
    expect(put?.ConditionExpression).toBe('attribute_not_exists(#d) OR (#i = :i AND #f >= :f AND #l <= :l)');
  });

  it('merges with the range another writer stored when its condition fails', async () => {
    ddb
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolves({ Item: registryItem('dev', 1_000, 9_000) });
    ddb
      .on(PutItemCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }))
      .resolves({ ConsumedCapacity: { CapacityUnits: 1 } });
    const registry = new DeviceRegistry({ client, tableName: 'rows', intervalMs: 0 });

    const report = await registry.note('dev', 5_000, 10_000);

    expect(ddb.commandCalls(PutItemCommand)[1]?.args[0].input.Item).toEqual(
      registryItem('dev', 1_000, 10_000),
    );
    expect(report).toMatchObject({ writes: 1, writeUnits: 2, writeUnitsEstimated: 1, requests: 4 });
  });

  it('fails with INCOMPATIBLE_ITEM, not a merge, when the key holds another device', async () => {
    ddb.on(GetItemCommand).resolves({ Item: registryItem('other', 1, 2) });
    const registry = new DeviceRegistry({ client, tableName: 'rows' });

    await expect(registry.note('dev', 5, 6)).rejects.toMatchObject({
      name: 'StoreError',
      code: 'INCOMPATIBLE_ITEM',
      retryable: false,
    });
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('gives up with CONFLICT_RETRIES_EXHAUSTED after maxAttempts lost races', async () => {
    let stored = 10;
    ddb.on(GetItemCommand).callsFake(() => ({ Item: registryItem('dev', 0, stored++) }));
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const registry = new DeviceRegistry({ client, tableName: 'rows', intervalMs: 0, maxAttempts: 3 });

    await expect(registry.note('dev', 0, 100)).rejects.toMatchObject({ code: 'CONFLICT_RETRIES_EXHAUSTED' });
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(3);
  });

  it('noteMany reports failed devices instead of throwing, and retries them on the next note', async () => {
    ddb.on(GetItemCommand).resolves({});
    ddb
      .on(PutItemCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no table', $metadata: {} }))
      .resolves({});
    const registry = new DeviceRegistry({ client, tableName: 'rows' });

    const failed = await registry.noteMany([{ deviceId: 'dev', firstMs: 1, lastMs: 2 }]);
    const again = await registry.noteMany([{ deviceId: 'dev', firstMs: 1, lastMs: 2 }]);

    expect(failed.noted).toBe(0);
    expect(failed.failed).toEqual([
      { deviceId: 'dev', error: expect.objectContaining({ code: 'DYNAMODB_ERROR', retryable: true }) },
    ]);
    expect(again).toMatchObject({ noted: 1, writes: 1, failed: [] });
  });

  it('reports DEADLINE_EXCEEDED when the abort signal fired', async () => {
    const controller = new AbortController();
    ddb.on(GetItemCommand).callsFake(() => {
      controller.abort();
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    });
    const registry = new DeviceRegistry({ client, tableName: 'rows' });

    const report = await registry.noteMany([{ deviceId: 'dev', firstMs: 1, lastMs: 2 }], {
      abortSignal: controller.signal,
    });

    expect(report.failed[0]?.error).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true });
  });
});

describe('DeviceRegistry.list()', () => {
  const registry = new DeviceRegistry({ client, tableName: 'rows' });

  it.each([
    ['limit', { limit: 0 }],
    ['cursor', { cursor: 'abc' }],
    ['cursor', { cursor: '5' }],
    ['consistentRead', { consistentRead: 'yes' }],
  ])('rejects a bad %s', async (option, options) => {
    await expect(registry.list(options as never)).rejects.toMatchObject({ code: 'INVALID_OPTION', option });
  });

  it('returns the devices and a cursor that continues after the last key', async () => {
    const key = registryKey('b');
    ddb
      .on(QueryCommand)
      .resolves({ Items: [registryItem('a', 1, 2), registryItem('b', 3, 4)], LastEvaluatedKey: key });

    const page = await registry.list({ limit: 2 });
    await registry.list({ cursor: page.cursor as string });

    expect(page.devices).toEqual([
      { deviceId: 'a', firstMs: 1, lastMs: 2 },
      { deviceId: 'b', firstMs: 3, lastMs: 4 },
    ]);
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(key);
  });

  it('fails with INCOMPATIBLE_ITEM on a malformed registry item', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ ...registryKey('a'), i: { S: 'a' } }] });

    await expect(registry.list()).rejects.toMatchObject({ name: 'StoreError', code: 'INCOMPATIBLE_ITEM' });
  });
});
