import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { SampleStore } from '@secondrow/codec/dynamodb';
import { createHandler } from '@secondrow/consumer';
import { describe, expect, it } from 'vitest';
import {
  createRowTable,
  createStream,
  type DiscardedBatch,
  dynamoDbClientFor,
  runEventSource,
  startLocalAws,
} from '../../src/index.js';

// DynamoDB throttles every write for longer than one invocation's whole retry budget, then recovers. The
// stack's mapping (unlimited retries, backoff between them) must carry every record through: nothing
// discarded, nothing lost, and the table is asked at most once per backoff interval per row meanwhile.
// Delays are scaled down (ms instead of s) so the test takes about a second.

const DEVICE = 'watch-throttled';
const ROWS = 10; // one JSON v1 record per second of 50 Hz samples: one 1 s row each
const T0 = 1_700_000_000_000;
const STORE = { baseDelayMs: 1, maxDelayMs: 2, maxTransientRetries: 1 } as const;
const RUNNER = { retryBaseDelayMs: 100, retryMaxDelayMs: 400 } as const;
const OUTAGE_MS = 1_500;

/** Invocations that can start within `windowMs` when the k-th retry waits min(max, base · 2^(k−1)). */
function invocationsWithin(windowMs: number): number {
  let invocations = 1;
  let elapsed = 0;
  for (let k = 1; ; k++) {
    elapsed += Math.min(RUNNER.retryMaxDelayMs, RUNNER.retryBaseDelayMs * 2 ** (k - 1));
    if (elapsed > windowMs) return invocations;
    invocations++;
  }
}

describe('sustained DynamoDB throttling', () => {
  it('stores everything once the table recovers, discarding nothing, with requests bounded by the backoff', async () => {
    // Prepare
    const aws = await startLocalAws({ faults: { dynamodb: { seed: 3 }, kinesis: false } });
    const direct = dynamoDbClientFor(aws.servers.dynamodbEndpoint);
    try {
      const proxy = aws.proxies.dynamodb!;
      const tableName = await createRowTable(aws.dynamodb);
      await createStream(aws.kinesis, 'throttled', 1);
      const samples = Array.from({ length: ROWS * 50 }, (_, i) => [T0 + i * 20, 0.001 * (i % 100), 0, 1]);
      await aws.kinesis.send(
        new PutRecordsCommand({
          StreamName: 'throttled',
          Records: Array.from({ length: ROWS }, (_, r) => ({
            PartitionKey: DEVICE,
            Data: new TextEncoder().encode(
              JSON.stringify({
                deviceId: DEVICE,
                batchId: r,
                sentAt: T0 + (r + 1) * 1000,
                samples: samples.slice(r * 50, (r + 1) * 50),
              }),
            ),
          })),
        }),
      );
      const store = new SampleStore({ client: aws.dynamodb, tableName, ...STORE });
      const quiet = { info() {}, warn() {}, error() {} };
      const handler = createHandler({ store, logger: quiet, metrics: false });
      const discarded: DiscardedBatch[] = [];
      const outcomes: string[] = [];

      // Act: every consumer request is throttled for OUTAGE_MS from the start of the run.
      proxy.setFaults({ throttle: 1, operations: ['PutItem', 'GetItem'] });
      let throttledDuringOutage = 0;
      const recover = setTimeout(() => {
        proxy.setFaults({});
        throttledDuringOutage = proxy.counts().byKind.throttle ?? 0;
      }, OUTAGE_MS);
      const startedAt = performance.now();
      const stats = await runEventSource({
        kinesis: aws.kinesis,
        streamName: 'throttled',
        handler,
        ...RUNNER,
        batchingWindowMs: 0,
        pollIntervalMs: 20,
        untilRecords: ROWS,
        stopWhenIdleMs: 10_000,
        onDiscard: discarded,
        onInvoke: (info) => outcomes.push(info.outcome),
      });
      const seconds = (performance.now() - startedAt) / 1000;
      clearTimeout(recover);

      // Assess: nothing discarded, every sample stored once.
      const readBack: number[] = [];
      const reader = new SampleStore({ client: direct, tableName });
      for await (const s of reader.read(DEVICE, T0, T0 + ROWS * 1000)) readBack.push(s.t);
      expect(discarded).toEqual([]);
      expect(stats).toMatchObject({ discarded: 0, records: ROWS, stoppedBy: 'untilRecords' });
      expect(readBack).toEqual(samples.map(([t]) => t));
      // The outage outlasted one invocation's retry budget: the runner had to retry the batch.
      expect(stats.retries).toBeGreaterThan(0);
      expect(outcomes.at(-1)).toBe('success');
      // At most one invocation per backoff interval, each trying a row at most maxTransientRetries + 1 times.
      const perRowBound = (STORE.maxTransientRetries + 1) * invocationsWithin(OUTAGE_MS);
      const requestsPerThrottledRow = throttledDuringOutage / ROWS;
      expect(throttledDuringOutage).toBeGreaterThan(0);
      expect(requestsPerThrottledRow).toBeLessThanOrEqual(perRowBound);
      console.info(
        `sustained throttling: ${requestsPerThrottledRow.toFixed(1)} requests per throttled row (bound ${perRowBound}) ` +
          `over a ${OUTAGE_MS} ms outage, ${stats.retries} batch retries, ${seconds.toFixed(2)} s, ` +
          `${stats.discarded} discarded, ${samples.length - new Set(readBack).size} lost`,
      );
    } finally {
      direct.destroy();
      await aws.close();
    }
  });
});
