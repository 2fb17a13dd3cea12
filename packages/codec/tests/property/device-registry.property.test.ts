import { createRowTable, type LocalAws, startLocalAws } from '@secondrow/local';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../src/dynamodb.js';
import { fcParams } from '../helpers/fc.js';

let dynamo: LocalAws;
let tableName: string;
let run = 0;

beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
  tableName = await createRowTable(dynamo.dynamodb);
});

afterAll(async () => {
  await dynamo.close();
});

const noteArb = fc
  .record({
    instance: fc.nat({ max: 2 }),
    device: fc.nat({ max: 2 }),
    firstMs: fc.integer({ min: 0, max: 10_000_000 }),
    length: fc.integer({ min: 0, max: 5_000_000 }),
  })
  .map(({ instance, device, firstMs, length }) => ({ instance, device, firstMs, lastMs: firstMs + length }));

describe('DeviceRegistry law', () => {
  // A note's conditional put fails only after another writer's put on the same device succeeded, and each
  // writer succeeds once: with as many attempts as racing notes, none can run out of attempts. (With fewer,
  // one can, rarely: the next note of that device lands it, as the second property checks.)
  it('holds first = min of the noted firsts and max <= last <= max + intervalMs, whatever the order and instances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(noteArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(0, 1, 1_000_000),
        async (notes, intervalMs) => {
          // Prepare: 3 instances (containers) of one table; fresh device ids for this run.
          run += 1;
          const registries = [0, 1, 2].map(
            () =>
              new DeviceRegistry({
                client: dynamo.dynamodb,
                tableName,
                intervalMs,
                maxAttempts: notes.length,
              }),
          );
          const id = (device: number) => `run-${run}-device-${device}`;

          // Act: every note at once, each from its instance.
          const reports = await Promise.all(
            notes.map(({ instance, device, firstMs, lastMs }) =>
              registries[instance]!.noteMany([{ deviceId: id(device), firstMs, lastMs }]),
            ),
          );

          // Assess
          expect(reports.flatMap((r) => r.failed)).toEqual([]);
          for (const device of new Set(notes.map((n) => n.device))) {
            const mine = notes.filter((n) => n.device === device);
            const min = Math.min(...mine.map((n) => n.firstMs));
            const max = Math.max(...mine.map((n) => n.lastMs));
            const stored = await registries[0]!.get(id(device), { consistentRead: true });
            expect(stored?.firstMs).toBe(min);
            expect(stored?.lastMs).toBeGreaterThanOrEqual(max);
            expect(stored?.lastMs).toBeLessThanOrEqual(max + intervalMs);
          }
        },
      ),
      fcParams,
    );
  });
  it('with few attempts, reports only exhausted retries, and noting those again restores the law', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(noteArb, { minLength: 2, maxLength: 12 }), async (notes) => {
        // Prepare: one attempt each, so racing notes of a device can run out of attempts.
        run += 1;
        const registries = [0, 1, 2].map(
          () => new DeviceRegistry({ client: dynamo.dynamodb, tableName, intervalMs: 0, maxAttempts: 1 }),
        );
        const id = (device: number) => `run-${run}-device-${device}`;

        // Act: every note at once, then the failed ones again, one after another, each from a new container
        // (the next note of that device; one attempt is enough without a race).
        const reports = await Promise.all(
          notes.map(({ instance, device, firstMs, lastMs }) =>
            registries[instance]!.noteMany([{ deviceId: id(device), firstMs, lastMs }]),
          ),
        );
        const failed = reports.flatMap((report, index) => report.failed.map(() => notes[index]!));
        for (const { device, firstMs, lastMs } of failed) {
          const next = new DeviceRegistry({
            client: dynamo.dynamodb,
            tableName,
            intervalMs: 0,
            maxAttempts: 1,
          });
          const again = await next.noteMany([{ deviceId: id(device), firstMs, lastMs }]);
          expect(again.failed).toEqual([]);
        }

        // Assess
        expect(new Set(reports.flatMap((r) => r.failed.map((f) => f.error.code)))).toEqual(
          new Set(failed.length === 0 ? [] : ['CONFLICT_RETRIES_EXHAUSTED']),
        );
        for (const device of new Set(notes.map((n) => n.device))) {
          const mine = notes.filter((n) => n.device === device);
          const stored = await registries[0]!.get(id(device), { consistentRead: true });
          expect(stored?.firstMs).toBe(Math.min(...mine.map((n) => n.firstMs)));
          expect(stored?.lastMs).toBe(Math.max(...mine.map((n) => n.lastMs)));
        }
      }),
      fcParams,
    );
  });
});
