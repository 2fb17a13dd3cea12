import { randomBytes } from 'node:crypto';
import { Quarantine, quarantineKey } from '@secondrow/consumer';
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

  it('reports a failed write as QUARANTINE_FAILED', async () => {
    const quarantine = new Quarantine({ client: dynamo.dynamodb, tableName: 'no-such-table' });
    await expect(quarantine.put(entry(Buffer.from('x')))).rejects.toMatchObject({
      name: 'QuarantineError',
      code: 'QUARANTINE_FAILED',
    });
  });
});
