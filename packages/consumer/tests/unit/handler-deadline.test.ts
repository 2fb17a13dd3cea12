import { createHandler, type QuarantineEntry, type QuarantineWriter } from '@secondrow/consumer';
import { jsonV1, kinesisEvent, kinesisRecord, makeSamples } from '@secondrow/devkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeStore } from '../helpers/fake-store.js';
import { memoryLogger } from '../helpers/quiet.js';

const T0 = 1_700_000_000_000;

function memoryQuarantine(): QuarantineWriter & { entries: QuarantineEntry[] } {
  const entries: QuarantineEntry[] = [];
  return {
    entries,
    async put(entry) {
      entries.push(entry);
      return 'written';
    },
  };
}

describe('handler deadline', () => {
  it('resolves with a valid batch response for any remaining time and any mix of good and bad records', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(0, 1, 3, 999, 1_001, 1_999, 2_001, 2 ** 31, Number.MAX_SAFE_INTEGER),
          fc.integer({ min: 0, max: 5_000 }),
          fc.nat(),
          fc.maxSafeNat(),
        ),
        fc.array(fc.boolean(), { maxLength: 8 }),
        async (remaining, goodness) => {
          const records = goodness.map((good, i) =>
            kinesisRecord(good ? jsonV1(`watch-${i % 3}`, makeSamples(T0 + i * 1000, 20)) : `not json ${i}`),
          );
          const handler = createHandler({
            store: fakeStore(),
            quarantine: memoryQuarantine(),
            logger: memoryLogger(),
            metrics: false,
            now: () => T0,
          });
          const response = await handler(kinesisEvent(records), {
            getRemainingTimeInMillis: () => remaining,
          });
          const sequenceNumbers = records.map((r) => r.kinesis.sequenceNumber);
          const ids = response.batchItemFailures.map((f) => f.itemIdentifier);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids) expect(sequenceNumbers).toContain(id);
          // The store and the quarantine accept everything: nothing is left to retry.
          expect(ids).toEqual([]);
        },
      ),
    );
  });
});
