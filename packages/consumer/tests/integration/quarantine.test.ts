import { randomBytes } from 'node:crypto';
import { DEFAULT_MAX_RAW_BYTES, Quarantine, quarantineKey, rowQuarantineKey } from '@secondrow/consumer';
import { createRowTable, type LocalAws, startLocalAws, uniqueTableName } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dynamo: LocalAws;
beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
});
afterAll(async () => {
  await dynamo?.close();
});

const entry = (raw: Uint8Array, seq = '4959', sub?: number) => ({
  shardId: 'shardId-000000000003',
  sequenceNumber: seq,
  subSequenceNumber: sub,
  raw,
  reason: 'samples[2].x is out of range',
  code: 'OUT_OF_RANGE',
  arrivalMs: 1_700_000_000_123,
  stream: 'secondrow',
  partitionKey: 'pk',
  index: 2,
  field: 'x',
});

describe('Quarantine', () => {
  it('keys entries by shard, sequence and sub-sequence number', () => {
    expect(quarantineKey('shardId-1', '42')).toBe('quarantine#shardId-1#42');
    expect(quarantineKey('shardId-1', '42', 0)).toBe('quarantine#shardId-1#42#0');
  });

  it('stores raw bytes and reason, readable back', async () => {
    // Prepare
    const quarantine = new Quarantine({
      client: dynamo.dynamodb,
      tableName: await createRowTable(dynamo.dynamodb, uniqueTableName('samples')),
    });
    const raw = Uint8Array.from([0, 1, 2, 0xff, 0x7b]);
    // Act
    const outcome = await quarantine.put(entry(raw));
    const read = await quarantine.get('shardId-000000000003', '4959');
    // Assess
    expect(outcome).toBe('written');
    expect(read).toMatchObject({
      raw,
      truncated: false,
      size: 5,
      code: 'OUT_OF_RANGE',
      reason: 'samples[2].x is out of range',
      arrivalMs: 1_700_000_000_123,
      stream: 'secondrow',
      partitionKey: 'pk',
      index: 2,
      field: 'x',
    });
    expect(read?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is idempotent: a retry finds the entry and does not rewrite it', async () => {
    const quarantine = new Quarantine({
      client: dynamo.dynamodb,
      tableName: await createRowTable(dynamo.dynamodb, uniqueTableName('samples')),
    });
    expect(await quarantine.put(entry(Buffer.from('a'), '1', 3))).toBe('written');
    const first = await quarantine.get('shardId-000000000003', '1', 3);
    expect(await quarantine.put(entry(Buffer.from('a'), '1', 3))).toBe('existing');
    expect(await quarantine.get('shardId-000000000003', '1', 3)).toEqual(first);
  });

  it('gzips large compressible payloads and truncates large incompressible ones', async () => {
    const quarantine = new Quarantine({
      client: dynamo.dynamodb,
      tableName: await createRowTable(dynamo.dynamodb, uniqueTableName('samples')),
      maxRawBytes: 100_000,
    });
    const compressible = Buffer.alloc(500_000, 'a');
    const random = randomBytes(300_000);
    await quarantine.put(entry(compressible, '10'));
    await quarantine.put(entry(random, '11'));
    const a = await quarantine.get('shardId-000000000003', '10');
    const b = await quarantine.get('shardId-000000000003', '11');
    expect(a).toMatchObject({ truncated: false, size: 500_000 });
    expect(Buffer.from(a!.raw).equals(compressible)).toBe(true);
    expect(b).toMatchObject({ truncated: true, size: 300_000 });
    expect(Buffer.from(b!.raw).equals(random.subarray(0, 100_000))).toBe(true);
  });

  it('bounds what a retry costs: one read unit and no write for an entry with large raw bytes', async () => {
    // Prepare: count every request and the capacity DynamoDB reports for it.
    const client = dynamo.newDynamoDbClient();
    const sent: { command: string; units: number }[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } })
          .ConsumedCapacity;
        sent.push({ command: context.commandName as string, units: consumed?.CapacityUnits ?? 0 });
        return result;
      },
      { step: 'initialize' },
    );
    const quarantine = new Quarantine({
      client,
      tableName: await createRowTable(dynamo.dynamodb, uniqueTableName('samples')),
    });
    const raw = randomBytes(DEFAULT_MAX_RAW_BYTES);
    expect(await quarantine.put(entry(raw, '77'))).toBe('written');
    const firstWriteUnits = sent.reduce((sum, s) => sum + s.units, 0);
    sent.length = 0;
    // Act: the batch is retried.
    const outcome = await quarantine.put(entry(raw, '77'));
    // Assess: a key-only read of the small head, nothing written, nothing billed at the raw bytes' size.
    expect(outcome).toBe('existing');
    expect(sent).toEqual([{ command: 'GetItemCommand', units: 1 }]);
    expect(firstWriteUnits).toBeGreaterThan(300);
    expect(Buffer.from((await quarantine.get('shardId-000000000003', '77'))?.raw ?? []).equals(raw)).toBe(
      true,
    );
    client.destroy();
  });

  it('keeps a row that cannot be stored as a JSON v1 record under a key naming device and window', async () => {
    const quarantine = new Quarantine({
      client: dynamo.dynamodb,
      tableName: await createRowTable(dynamo.dynamodb, uniqueTableName('samples')),
    });
    const row = {
      kind: 'row' as const,
      deviceId: 'watch-9',
      startMs: 1_700_000_001_000,
      windowSeconds: 1,
      samples: [
        { t: 1_700_000_001_000, x: 0.001, y: -0.5, z: 1 },
        { t: 1_700_000_001_020, x: 0.002, y: -0.5, z: 1 },
      ],
      reason: 'stored item has another resolution',
      code: 'INCOMPATIBLE_ITEM',
      records: [{ shardId: 'shardId-000000000001', sequenceNumber: '42' }],
      stream: 'secondrow',
    };
    expect(await quarantine.put(row)).toBe('written');
    expect(await quarantine.put(row)).toBe('existing');
    const key = rowQuarantineKey(row);
    expect(key).toMatch(/^quarantine#row#watch-9#1700000001000#[0-9a-f]{16}$/);
    const read = await quarantine.getByKey(key);
    expect(read).toMatchObject({
      kind: 'row',
      code: 'INCOMPATIBLE_ITEM',
      shardId: 'shardId-000000000001',
      sequenceNumber: '42',
      row: { deviceId: 'watch-9', startMs: 1_700_000_001_000, windowSeconds: 1, samples: 2 },
    });
    expect(JSON.parse(Buffer.from(read?.raw ?? []).toString())).toEqual({
      deviceId: 'watch-9',
      samples: row.samples.map((s) => [s.t, s.x, s.y, s.z]),
    });
    // Other samples for the same window are another entry, not lost as "existing".
    expect(await quarantine.put({ ...row, samples: row.samples.slice(1) })).toBe('written');
  });

  it('rejects an invalid maxRawBytes when constructed', () => {
    for (const maxRawBytes of [0, 1.5, 400_000]) {
      expect(() => new Quarantine({ client: dynamo.dynamodb, tableName: 't', maxRawBytes })).toThrow(
        expect.objectContaining({ name: 'OptionError', code: 'INVALID_OPTION', option: 'maxRawBytes' }),
      );
    }
  });

  it('reports a failed write as QUARANTINE_FAILED', async () => {
    const quarantine = new Quarantine({ client: dynamo.dynamodb, tableName: 'no-such-table' });
    await expect(quarantine.put(entry(Buffer.from('x')))).rejects.toMatchObject({
      name: 'QuarantineError',
      code: 'QUARANTINE_FAILED',
    });
  });
});
