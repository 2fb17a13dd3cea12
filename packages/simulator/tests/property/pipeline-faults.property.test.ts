import { NO_FAULTS, runDemo } from '@secondrow/simulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Law: whatever the DynamoDB fault rates (throttling, resets before and after the write, 5xx) within bounds and
// whatever the small fleet, the pipeline (simulator -> local Kinesis with AWS's limits -> event source runner
// with the stack's mapping -> consumer handler -> DynamoDB through the fault proxy) stores exactly the ground
// truth: nothing lost, nothing duplicated, no batch discarded. Runs are small; raise FC_NUM_RUNS to search more.
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 4);

const rate = fc.double({ min: 0, max: 0.15, noNaN: true });

describe('pipeline under AWS faults', () => {
  it('stores exactly the ground truth for any fault rates and small fleet', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          throttle: rate,
          resetBefore: rate,
          resetAfter: rate,
          serverError: rate,
          devices: fc.integer({ min: 1, max: 3 }),
          durationSeconds: fc.integer({ min: 1, max: 4 }),
          batchSize: fc.constantFrom(1, 7, 500),
          seed: fc.string({ minLength: 1, maxLength: 8 }),
        }),
        async ({
          throttle,
          resetBefore,
          resetAfter,
          serverError,
          devices,
          durationSeconds,
          batchSize,
          seed,
        }) => {
          const report = await runDemo({
            devices,
            durationSeconds,
            batchSize,
            seed,
            faults: NO_FAULTS,
            awsFaults: {
              throttle,
              resetBefore,
              resetAfter,
              serverError,
              latencyMs: 0,
              latencyJitterMs: 0,
              kinesisLimits: true,
            },
            ceilings: false,
            compareBatchSizes: false,
            progress: false,
          });
          expect(report.samples.problems).toEqual([]);
          expect(report.samples).toMatchObject({ lost: 0, duplicated: 0, wrongValues: 0 });
          expect(report.samples.stored).toBe(report.samples.produced);
          expect(report.faults.found.discardedRecords).toBe(0);
          expect(report.ok).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
    // A hang guard, not a speed check: a run takes seconds, but a batch that fails waits out the runner's
    // real backoff (1 s doubling to 30 s, as Lambda's), and a loaded machine fails more of them.
  }, 900_000);
});
