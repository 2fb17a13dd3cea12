import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampleStore } from '../../src/dynamodb.js';
import { packRows, unpackRows } from '../../src/index.js';
import type { Sample } from '../../src/types.js';
import { collect, seededRandom, shuffled } from '../helpers/store-fixtures.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 15);
const T0 = 1_700_000_000_000;

let dynamo: LocalAws;
let store: SampleStore;
let run = 0;

beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
  const tableName = await createRowTable(dynamo.dynamodb);
  store = new SampleStore({
    client: dynamo.dynamodb,
    tableName,
    maxAttempts: 50,
    baseDelayMs: 1,
    maxDelayMs: 10,
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
});
