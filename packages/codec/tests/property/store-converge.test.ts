import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampleStore } from '../../src/dynamodb.js';
import { encodeRowV1 } from '../../src/encode.js';
import { type Clock, packRows, sameSamples, systemClock, toItem, unpackRows } from '../../src/index.js';
import type { Sample } from '../../src/types.js';
import { collect, seededRandom, shuffled } from '../helpers/store-fixtures.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 15);
const T0 = 1_700_000_000_000;

let dynamo: LocalAws;
let store: SampleStore;
let run = 0;
/** A clock that ticks 1 ms each time it is read, so every write sees a later time than the one before. */
const ticking: Clock = { now: () => ++ticks, sleep: systemClock.sleep };
let ticks = T0;
let tickingStore: SampleStore;
let rowTable: string;

beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
  const tableName = await createRowTable(dynamo.dynamodb);
  rowTable = tableName;
  store = new SampleStore({
    client: dynamo.dynamodb,
    tableName,
    maxAttempts: 50,
    baseDelayMs: 1,
    maxDelayMs: 10,
  });
  tickingStore = new SampleStore({
    client: dynamo.dynamodb,
    tableName,
    maxAttempts: 50,
    baseDelayMs: 1,
    maxDelayMs: 10,
    clock: ticking,
  });
});

afterAll(async () => {
  await dynamo.close();
});

const axis = fc.double({ min: -16, max: 16, noNaN: true });
// Four 1 s windows; few distinct times, so the same t with different readings (conflicts) is common.
const sample: fc.Arbitrary<Sample> = fc.record({
  t: fc.integer({ min: T0, max: T0 + 3999 }),
  x: axis,
  y: axis,
  z: axis,
});

const scenario = fc.record({
  samples: fc.array(sample, { minLength: 1, maxLength: 120 }),
  chunks: fc.integer({ min: 1, max: 6 }),
  assign: fc.array(fc.nat(), { minLength: 120, maxLength: 120 }),
  repeats: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
  seed: fc.integer(),
  concurrent: fc.boolean(),
});

describe('SampleStore.write() property', () => {
  it('any splitting, repetition, order or concurrency of writes stores what one write of the set stores', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ samples, chunks, assign, repeats, seed, concurrent }) => {
        // Prepare: every sample goes to one chunk, some also to another; chunks are shuffled.
        const calls: Sample[][] = Array.from({ length: chunks }, () => []);
        for (const [i, s] of samples.entries()) calls[assign[i]! % chunks]!.push(s);
        for (const [chunk, index] of repeats) calls[chunk % chunks]!.push(samples[index % samples.length]!);
        const random = seededRandom(seed);
        const ordered = shuffled(calls, random).map((call) => shuffled(call, random));
        const split = `split-${++run}`;
        const whole = `whole-${run}`;

        // Act
        const reports = concurrent
          ? await Promise.all(ordered.map((call) => store.write(split, call)))
          : await ordered.reduce(
              async (done, call) => [...(await done), await store.write(split, call)],
              Promise.resolve([] as Awaited<ReturnType<SampleStore['write']>>[]),
            );
        await store.write(whole, samples);

        // Assess
        expect(reports.flatMap((r) => r.failed)).toEqual([]);
        const stored = await collect(store.read(split, 0, 2 ** 52));
        expect(stored).toEqual(await collect(store.read(whole, 0, 2 ** 52)));
        expect(stored).toEqual(unpackRows(packRows(samples)));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('rows stored in format v1 and merged by v2 writes converge to the union, stored as v2', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sample, { minLength: 1, maxLength: 80 }),
        fc.array(sample, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (old, added, chunks, concurrent) => {
          // Prepare: the old samples stored as v1 rows, as a writer of the previous version left them.
          const deviceId = `v1-${++run}`;
          for (const row of packRows(old)) {
            const item = toItem(deviceId, row);
            item.p = { B: encodeRowV1(row) };
            await dynamo.dynamodb.send(new PutItemCommand({ TableName: rowTable, Item: item as never }));
          }
          const calls: Sample[][] = Array.from({ length: chunks }, () => []);
          for (const [i, s] of added.entries()) calls[i % chunks]!.push(s);

          // Act
          const reports = concurrent
            ? await Promise.all(calls.map((call) => store.write(deviceId, call)))
            : await calls.reduce(
                async (done, call) => [...(await done), await store.write(deviceId, call)],
                Promise.resolve([] as Awaited<ReturnType<SampleStore['write']>>[]),
              );

          // Assess: the union; a row the writes changed is now v2 (first byte 101xxxxx), the others stay v1.
          expect(reports.flatMap((r) => r.failed)).toEqual([]);
          const rows = await collect(store.readRows(deviceId, 0, 2 ** 52, { consistentRead: true }));
          expect(rows.flatMap((r) => r.row.samples)).toEqual(unpackRows(packRows([...old, ...added])));
          for (const { row } of rows) {
            const before = packRows(old).find((r) => r.startMs === row.startMs);
            const stored = await dynamo.dynamodb.send(
              new GetItemCommand({
                TableName: rowTable,
                Key: { d: { S: deviceId }, s: { N: String(row.startMs / 1000) } },
                ConsistentRead: true,
              }),
            );
            const first = stored.Item?.p?.B?.[0] ?? 0;
            const changed = before === undefined || !sameSamples(before, row);
            expect(changed ? first >>> 5 : first).toBe(changed ? 5 : 0xc3);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps the audit laws under any order, replay or concurrency: first written <= last merged, arrival = min of the writes that added samples', async () => {
    // Each call writes into one window, so its report says whether it changed that row.
    const call = fc.record({
      window: fc.integer({ min: 0, max: 3 }),
      samples: fc.array(fc.record({ t: fc.integer({ min: 0, max: 999 }), x: axis, y: axis, z: axis }), {
        minLength: 1,
        maxLength: 20,
      }),
      arrivalMs: fc.option(fc.integer({ min: T0 - 10_000, max: T0 + 10_000 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.boolean(),
        async (calls, replays, concurrent) => {
          const deviceId = `audit-${++run}`;
          const all = [...calls, ...replays.map((i) => calls[i % calls.length]!)];
          const write = ({ window, samples, arrivalMs }: (typeof all)[number]) =>
            tickingStore.write(
              deviceId,
              samples.map((s) => ({ ...s, t: T0 + window * 1000 + s.t })),
              arrivalMs === undefined ? {} : { arrivalMs },
            );
          const started = ticks;
          const reports = concurrent
            ? await Promise.all(all.map(write))
            : await all.reduce(
                async (done, c) => [...(await done), await write(c)],
                Promise.resolve([] as Awaited<ReturnType<SampleStore['write']>>[]),
              );

          expect(reports.flatMap((r) => r.failed)).toEqual([]);
          const rows = await collect(tickingStore.readRows(deviceId, 0, 2 ** 52, { consistentRead: true }));
          expect(rows.map((r) => r.row.startMs)).toEqual(
            [...new Set(all.map((c) => c.window))].sort().map((w) => T0 + w * 1000),
          );
          for (const row of rows) {
            const window = (row.row.startMs - T0) / 1000;
            const changed = all.filter(
              (c, i) => c.window === window && reports[i]!.rowsWritten + reports[i]!.rowsMerged === 1,
            );
            const arrivals = changed.map((c) => c.arrivalMs).filter((a): a is number => a !== undefined);
            expect(changed.length).toBeGreaterThan(0);
            expect(row.arrivalMs).toBe(arrivals.length === 0 ? undefined : Math.min(...arrivals));
            expect(row.firstWrittenMs).toBeGreaterThan(started);
            expect(row.firstWrittenMs).toBeLessThanOrEqual(row.lastMergedMs!);
            expect(row.lastMergedMs).toBeLessThanOrEqual(ticks);
            // Only writes that changed the row move last merged: one change means it was never merged.
            if (changed.length === 1) expect(row.lastMergedMs).toBe(row.firstWrittenMs);
            else expect(row.lastMergedMs).toBeGreaterThan(row.firstWrittenMs!);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
