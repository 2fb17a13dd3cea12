import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampleStore } from '../../src/dynamodb.js';
import { packRows, unpackRows } from '../../src/index.js';
import type { Sample } from '../../src/types.js';
import { batches, collect, loadRecording, seededRandom, shuffled } from '../helpers/store-fixtures.js';

let dynamo: LocalAws;
let tableName: string;

beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
  tableName = await createRowTable(dynamo.dynamodb);
});

afterAll(async () => {
  await dynamo.close();
});

describe('SampleStore racing writers', () => {
  it('converges to exactly the union when 8 stores write overlapping subsets at once', async () => {
    // Prepare: 8 writers (own client, own store), each with a random ~60% of two real recordings,
    // cut into 200-sample batches (not aligned to seconds), all written at once in random order, as racing
    // Lambda invocations would: every row is written by several writers at the same time.
    const recordings: Record<string, Sample[]> = {
      s02: loadRecording('wearos_tug_s02_50hz.csv').slice(0, 1000),
      s09: loadRecording('wearos_tug_s09_50hz.csv').slice(0, 1000),
    };
    const random = seededRandom(2024);
    const sent: Record<string, Sample[]> = { s02: [], s09: [] };
    const writers = Array.from({ length: 8 }, () => {
      const store = new SampleStore({
        client: dynamo.newDynamoDbClient(),
        tableName,
        maxAttempts: 100,
        baseDelayMs: 2,
        maxDelayMs: 20,
        concurrency: 4,
      });
      const calls = Object.entries(recordings).flatMap(([deviceId, samples]) => {
        const subset = samples.filter(() => random() < 0.6);
        sent[deviceId]!.push(...subset);
        return batches(subset, 200).map((batch) => ({
          deviceId,
          batch,
          arrivalMs: 1_700_000_000_000 + Math.floor(random() * 1e6),
        }));
      });
      return { store, calls: shuffled(calls, random) };
    });

    // Act
    const reports = await Promise.all(
      writers.flatMap(({ store, calls }) =>
        calls.map(({ deviceId, batch, arrivalMs }) => store.write(deviceId, batch, { arrivalMs })),
      ),
    );

    // Assess
    expect(reports.flatMap((r) => r.failed)).toEqual([]);
    let distinct = 0;
    for (const deviceId of Object.keys(recordings)) {
      const expected = unpackRows(packRows(sent[deviceId]!));
      distinct += expected.length;
      expect(await collect(writers[0]!.store.read(deviceId, 0, 2 ** 52))).toEqual(expected);
    }
    // Each distinct sample is counted as stored by exactly one writer.
    expect(reports.reduce((n, r) => n + r.samplesStored, 0)).toBe(distinct);
    expect(reports.reduce((n, r) => n + r.retries, 0)).toBeGreaterThan(0);
    // Audit times survive the race: each row's arrival is that of a write with samples in its window and
    // no earlier than the earliest of them; first written <= last merged.
    const calls = writers.flatMap((w) => w.calls);
    for (const deviceId of Object.keys(recordings)) {
      for (const stored of await collect(writers[0]!.store.readRows(deviceId, 0, 2 ** 52))) {
        const end = stored.row.startMs + 1000;
        const touching = calls
          .filter(
            (c) => c.deviceId === deviceId && c.batch.some((s) => s.t >= stored.row.startMs && s.t < end),
          )
          .map((c) => c.arrivalMs);
        expect(touching).toContain(stored.arrivalMs);
        expect(stored.arrivalMs).toBeGreaterThanOrEqual(Math.min(...touching));
        expect(stored.firstWrittenMs).toBeLessThanOrEqual(stored.lastMergedMs!);
      }
    }
  });
});
