import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampleStore, type StoreError } from '../../src/dynamodb.js';
import { packRows, unpackRows } from '../../src/index.js';
import type { Sample } from '../../src/types.js';
import { batches, collect, loadRecording, seededRandom, shuffled } from '../helpers/store-fixtures.js';

let dynamo: LocalAws;
let tableName: string;
let store: SampleStore;
let deviceCounter = 0;
const newDevice = (): string => `device-${++deviceCounter}`;

const recording = loadRecording('wearos_tug_s02_50hz.csv');
/** Start of the first whole second of the recording. */
const SECOND = Math.ceil(recording[0]!.t / 1000) * 1000 + 1000;
const inSecond = (k: number): Sample[] =>
  recording.filter((s) => s.t >= SECOND + k * 1000 && s.t < SECOND + (k + 1) * 1000);

/** What one write of every sample would store: the exact union, deduplicated and quantized. */
const union = (samples: readonly Sample[]): Sample[] => unpackRows(packRows(samples));
const readAll = (s: SampleStore, deviceId: string): Promise<Sample[]> =>
  collect(s.read(deviceId, 0, 2 ** 52));

beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
  tableName = await createRowTable(dynamo.dynamodb);
  store = new SampleStore({ client: dynamo.dynamodb, tableName });
});

afterAll(async () => {
  await dynamo.close();
});

describe('SampleStore.write() against dynalite', () => {
  it('creates a new whole window with exactly one write unit and no read', async () => {
    const deviceId = newDevice();
    const samples = inSecond(0);

    const report = await store.write(deviceId, samples);

    expect(report).toMatchObject({
      rowsWritten: 1,
      rowsMerged: 0,
      samplesStored: samples.length,
      writeUnits: 1,
      readUnits: 0,
      conditionalCheckFailures: 0,
      failed: [],
    });
    expect(await readAll(store, deviceId)).toEqual(union(samples));
  });

  it('merges a second split across two writes for at most two extra units', async () => {
    const deviceId = newDevice();
    const samples = inSecond(1);
    const half = Math.floor(samples.length / 2);

    const first = await store.write(deviceId, samples.slice(0, half));
    const second = await store.write(deviceId, samples.slice(half));

    expect(first).toMatchObject({ rowsWritten: 1, writeUnits: 1, readUnits: 0 });
    // The tail starts late in the window: one consistent read, then one compare-and-swap put.
    expect(second).toMatchObject({ rowsMerged: 1, samplesStored: samples.length - half, failed: [] });
    expect(second.writeUnits + second.readUnits).toBeLessThanOrEqual(2);
    expect(await readAll(store, deviceId)).toEqual(union(samples));
  });

  it('changes nothing on a replay and says the rows are unchanged', async () => {
    const deviceId = newDevice();
    const samples = recording.slice(0, 600);
    const stored = await store.write(deviceId, samples);

    const replay = await store.write(deviceId, samples);

    expect(replay.rowsWritten + replay.rowsMerged).toBe(0);
    expect(replay.rowsUnchanged).toBe(stored.rowsWritten);
    expect(replay.samplesStored).toBe(0);
    expect(replay.duplicatesDropped).toBe(stored.samplesStored);
    expect(replay.failed).toEqual([]);
    expect(await readAll(store, deviceId)).toEqual(union(samples));
  });

  it('stores the union whatever the order, splitting and repetition of writes', async () => {
    const deviceId = newDevice();
    const random = seededRandom(7);
    const samples = recording.slice(1000, 1400);
    const calls = shuffled(batches(shuffled(samples, random), 37), random);
    calls.push(...calls.slice(0, 5)); // some batches delivered twice

    const reports = [];
    for (const call of calls.reverse()) reports.push(await store.write(deviceId, call));

    expect(reports.flatMap((r) => r.failed)).toEqual([]);
    expect(reports.reduce((n, r) => n + r.samplesStored, 0)).toBe(union(samples).length);
    expect(await readAll(store, deviceId)).toEqual(union(samples));
  });

  it('keeps the samples of each device apart in one writeMany call', async () => {
    const a = newDevice();
    const b = newDevice();
    const report = await store.writeMany([
      { deviceId: a, samples: recording.slice(0, 300) },
      { deviceId: b, samples: recording.slice(300, 500) },
      { deviceId: a, samples: recording.slice(250, 400) },
    ]);

    expect(report.failed).toEqual([]);
    expect(await readAll(store, a)).toEqual(union(recording.slice(0, 400)));
    expect(await readAll(store, b)).toEqual(union(recording.slice(300, 500)));
  });

  it('sets the TTL attribute x to the window end plus ttlSeconds', async () => {
    const deviceId = newDevice();
    const ttlStore = new SampleStore({
      client: dynamo.dynamodb,
      tableName,
      ttlSeconds: 86_400,
      windowSeconds: 1,
    });
    await ttlStore.write(deviceId, inSecond(2));

    const { Item } = await dynamo.dynamodb.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { d: { S: deviceId }, s: { N: String((SECOND + 2000) / 1000) } },
      }),
    );

    expect(Item?.x).toEqual({ N: String((SECOND + 3000) / 1000 + 86_400) });
  });

  it('pages through many rows in time order and filters to [fromMs, toMs)', async () => {
    const deviceId = newDevice();
    const samples = recording.slice(0, 1500); // about 30 rows
    await store.write(deviceId, samples);
    const fromMs = samples[123]!.t;
    const toMs = samples[1234]!.t;

    const paged = await collect(store.read(deviceId, fromMs, toMs, { pageSize: 2 }));

    expect(paged).toEqual(union(samples).filter((s) => s.t >= fromMs && s.t < toMs));
    expect(await collect(store.read(deviceId, toMs, fromMs))).toEqual([]);
  });

  it('returns rows with counts, item size and gaps from readRows()', async () => {
    const deviceId = newDevice();
    const second = inSecond(3);
    const holed = second.filter((_, i) => i < 10 || i >= 15); // five samples lost in the middle
    await store.write(deviceId, holed);
    await store.write(deviceId, holed.slice(0, 20)); // replayed: dropped, not stored again

    const rows = await collect(store.readRows(deviceId, SECOND + 3000, SECOND + 4000, { pageSize: 1 }));

    expect(rows).toHaveLength(1);
    const [stored] = rows;
    expect(stored?.deviceId).toBe(deviceId);
    expect(stored?.row.startMs).toBe(SECOND + 3000);
    expect(stored?.row.samples).toHaveLength(holed.length);
    expect(stored?.gaps).toBe(5);
    expect(stored?.intervalMs).toBeGreaterThan(15);
    expect(stored?.itemBytes).toBeGreaterThan(stored?.row.samples.length ?? 0);
  });

  it('names a bad stored item in a StoreError, or skips it and reads the rows next to it', async () => {
    const deviceId = newDevice();
    await store.write(deviceId, [...inSecond(0), ...inSecond(2)]);
    // A foreign item in the middle second: right keys, payload that is no row.
    await dynamo.dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          d: { S: deviceId },
          s: { N: String((SECOND + 1000) / 1000) },
          p: { B: new Uint8Array([1, 2, 3]) },
        },
      }),
    );

    const error = await collect(store.read(deviceId, SECOND, SECOND + 3000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StoreError', code: 'INCOMPATIBLE_ITEM', retryable: false });
    expect((error as StoreError).message).toContain(deviceId);
    expect((error as StoreError).message).toContain(String(SECOND + 1000));
    expect((error as StoreError).cause).toMatchObject({ name: 'DecodeError' });

    const skipped: StoreError[] = [];
    const read = await collect(
      store.read(deviceId, SECOND, SECOND + 3000, { onBadItem: 'skip', onSkip: (e) => skipped.push(e) }),
    );
    expect(read).toEqual(union([...inSecond(0), ...inSecond(2)]));
    expect(skipped.map((e) => e.code)).toEqual(['INCOMPATIBLE_ITEM']);
    const rows = await collect(store.readRows(deviceId, SECOND, SECOND + 3000, { onBadItem: 'skip' }));
    expect(rows.map((r) => r.row.startMs)).toEqual([SECOND, SECOND + 2000]);
  });
});
