import { type AttributeValue, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampleStore, type StoredRow } from '../../src/dynamodb.js';
import { type Clock, packRows, systemClock, toItem } from '../../src/index.js';
import { regularSamples } from '../helpers/factories.js';
import { collect } from '../helpers/store-fixtures.js';

const T0 = 1_700_000_000_000;

let dynamo: LocalAws;
let tableName: string;
let deviceCounter = 0;
const newDevice = (): string => `audit-${++deviceCounter}`;

/** A clock the test sets by hand; sleeps are real (the store only sleeps for backoff and timeouts here). */
function manualClock(start: number): Clock & { time: number } {
  const clock = { time: start, now: () => clock.time, sleep: systemClock.sleep };
  return clock;
}

beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
  tableName = await createRowTable(dynamo.dynamodb);
});

afterAll(async () => {
  await dynamo.close();
});

async function storedRow(store: SampleStore, deviceId: string, startMs: number): Promise<StoredRow> {
  const rows = await collect(store.readRows(deviceId, startMs, startMs + 1000, { consistentRead: true }));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function rawItem(deviceId: string, startMs: number): Promise<Record<string, AttributeValue>> {
  const { Item } = await dynamo.dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { d: { S: deviceId }, s: { N: String(startMs / 1000) } },
    }),
  );
  return Item ?? {};
}

describe('row audit times against dynalite', () => {
  it('keeps first written, moves last merged only when samples change, and keeps the earliest arrival', async () => {
    const clock = manualClock(T0 + 5_000);
    const store = new SampleStore({ client: dynamo.dynamodb, tableName, clock });
    const deviceId = newDevice();
    const samples = regularSamples(T0, 50, 50);

    // Create: first written = last merged = now; arrival as passed.
    const created = await store.write(deviceId, samples.slice(0, 20), { arrivalMs: T0 + 1_200 });
    expect(created.rowsWritten).toBe(1);
    expect(await storedRow(store, deviceId, T0)).toMatchObject({
      firstWrittenMs: T0 + 5_000,
      lastMergedMs: T0 + 5_000,
      arrivalMs: T0 + 1_200,
    });
    // Stored relative to the window start, and m left out while it equals c.
    expect(await rawItem(deviceId, T0)).toMatchObject({ c: { N: '5000' }, a: { N: '1200' } });
    expect((await rawItem(deviceId, T0)).m).toBeUndefined();

    // Merge of new samples that arrived later: last merged moves, arrival stays the earlier one.
    clock.time = T0 + 9_000;
    const merged = await store.write(deviceId, samples.slice(20, 35), { arrivalMs: T0 + 3_000 });
    expect(merged.rowsMerged).toBe(1);
    expect(await storedRow(store, deviceId, T0)).toMatchObject({
      firstWrittenMs: T0 + 5_000,
      lastMergedMs: T0 + 9_000,
      arrivalMs: T0 + 1_200,
    });

    // A replay, even with an earlier arrival, adds nothing: nothing is written, times unchanged.
    clock.time = T0 + 20_000;
    const before = await rawItem(deviceId, T0);
    const replay = await store.write(deviceId, samples.slice(0, 35), { arrivalMs: T0 + 100 });
    expect(replay).toMatchObject({ rowsUnchanged: 1, rowsWritten: 0, rowsMerged: 0 });
    expect(await rawItem(deviceId, T0)).toEqual(before);

    // New samples with an earlier arrival (a delayed shard): arrival becomes that minimum.
    clock.time = T0 + 30_000;
    await store.write(deviceId, samples.slice(35), { arrivalMs: T0 + 900 });
    expect(await storedRow(store, deviceId, T0)).toMatchObject({
      firstWrittenMs: T0 + 5_000,
      lastMergedMs: T0 + 30_000,
      arrivalMs: T0 + 900,
    });
  });

  it('gives each row of a writeMany the earliest arrival of the entries with samples in its window', async () => {
    const clock = manualClock(T0 + 60_000);
    const store = new SampleStore({ client: dynamo.dynamodb, tableName, clock });
    const deviceId = newDevice();
    const samples = regularSamples(T0, 50, 150); // three one-second rows

    await store.writeMany([
      { deviceId, samples: samples.slice(0, 60), arrivalMs: T0 + 4_000 }, // rows 0 and 1
      { deviceId, samples: samples.slice(60, 120), arrivalMs: T0 + 2_000 }, // rows 1 and 2
      { deviceId, samples: samples.slice(120) }, // row 2, arrival unknown
    ]);

    const rows = await collect(store.readRows(deviceId, T0, T0 + 3_000));
    expect(rows.map((r) => r.arrivalMs)).toEqual([T0 + 4_000, T0 + 2_000, T0 + 2_000]);
    expect(rows.map((r) => r.firstWrittenMs)).toEqual([T0 + 60_000, T0 + 60_000, T0 + 60_000]);
  });

  it('reads rows written without audit times, and starts recording on their next merge', async () => {
    const store = new SampleStore({ client: dynamo.dynamodb, tableName, clock: manualClock(T0 + 7_000) });
    const deviceId = newDevice();
    const samples = regularSamples(T0, 50, 50);
    const [old] = packRows(samples.slice(0, 25));
    await dynamo.dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem(deviceId, old!) as Record<string, AttributeValue>,
      }),
    );

    const plain = await storedRow(store, deviceId, T0);
    expect(plain.firstWrittenMs).toBeUndefined();
    expect(plain.lastMergedMs).toBeUndefined();
    expect(plain.arrivalMs).toBeUndefined();

    await store.write(deviceId, samples.slice(25), { arrivalMs: T0 + 1_500 });
    const after = await storedRow(store, deviceId, T0);
    expect(after.row.samples).toHaveLength(50);
    expect(after.firstWrittenMs).toBeUndefined();
    expect(after).toMatchObject({ lastMergedMs: T0 + 7_000, arrivalMs: T0 + 1_500 });
  });

  it('rejects an arrival time that is not integer epoch ms before writing anything', async () => {
    const store = new SampleStore({ client: dynamo.dynamodb, tableName });
    const deviceId = newDevice();
    for (const arrivalMs of [-1, 1.5, Number.NaN]) {
      await expect(store.write(deviceId, regularSamples(T0, 50, 5), { arrivalMs })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
        option: 'arrivalMs',
      });
    }
    expect(await collect(store.read(deviceId, 0, 2 ** 52))).toEqual([]);
  });
});
