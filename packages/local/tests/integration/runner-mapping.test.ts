import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { Clock } from '@secondrow/codec';
import { EVENT_SOURCE_MAPPING, parseFailureMessage } from '@secondrow/consumer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStream,
  type DiscardedBatch,
  type KinesisHandler,
  type LocalAws,
  type RunEventSourceOptions,
  runEventSource,
  startLocalAws,
} from '../../src/index.js';

// The runner's behaviour as the deployed event source mapping: its default settings, its backoff between
// retries, its on-failure record, and that a batch failing at once does not starve the process.

let aws: LocalAws;
let streamCount = 0;

beforeAll(async () => {
  aws = await startLocalAws({ dynamodb: false });
});

afterAll(async () => {
  await aws?.close();
});

async function streamWith(count: number): Promise<string> {
  streamCount += 1;
  const name = `mapping-${streamCount}`;
  await createStream(aws.kinesis, name, 1);
  for (let start = 0; start < count; start += 500) {
    const ids = Array.from({ length: Math.min(500, count - start) }, (_, i) => `r${start + i}`);
    await aws.kinesis.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: ids.map((id) => ({ Data: new TextEncoder().encode(id), PartitionKey: 'pk' })),
      }),
    );
  }
  return name;
}

/**
 * A clock whose time moves only when someone sleeps on it; each sleep resolves on the next turn of the event
 * loop. Records every sleep, so backoff tests need no wall-clock waits.
 */
function virtualClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        sleeps.push(ms);
        now += Math.max(0, ms);
        setImmediate(resolve);
      }),
  };
}

function base(streamName: string, handler: KinesisHandler): RunEventSourceOptions {
  return { kinesis: aws.kinesis, streamName, handler, pollIntervalMs: 20, stopWhenIdleMs: 300 };
}

describe('runEventSource() as the event source mapping', () => {
  it("defaults to the stack's mapping settings: batches of 500, bisect on error", async () => {
    // Prepare
    const streamName = await streamWith(700);
    const sizes: number[] = [];
    const clock = virtualClock();

    // Act: r600 makes the handler throw; retries are the only default changed, so the run ends.
    const stats = await runEventSource({
      ...base(streamName, async (event) => {
        sizes.push(event.Records.length);
        if (event.Records.some((r) => Buffer.from(r.kinesis.data, 'base64').toString() === 'r600')) {
          throw new Error('bad record');
        }
      }),
      clock,
      maximumRetryAttempts: 0,
    });

    // Assess
    expect(EVENT_SOURCE_MAPPING.batchSize).toBe(500);
    expect(sizes[0]).toBe(500);
    expect(stats.bisections).toBeGreaterThan(0);
    expect(stats).toMatchObject({ records: 699, discarded: 1 });
    // The batching window (1 s) was waited for on the run's clock before the first batch was cut.
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });

  it('backs off exponentially between retries of a failing batch, capped, and resets on success', async () => {
    // Prepare
    const streamName = await streamWith(2);
    const clock = virtualClock();
    let calls = 0;

    // Act: six failures, then success.
    const stats = await runEventSource({
      ...base(streamName, async () => {
        calls += 1;
        if (calls <= 6) throw new Error('throttled');
      }),
      clock,
      batchingWindowMs: 0,
      bisectBatchOnFunctionError: false,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 800,
    });

    // Assess: polls sleep 20 ms; every pause of 100 ms or more is a backoff.
    const backoffs = clock.sleeps.filter((ms) => ms >= 100);
    expect(backoffs).toEqual([100, 200, 400, 800, 800, 800]);
    expect(stats).toMatchObject({ retries: 6, records: 2, discarded: 0, backoffMs: 3_100 });
  });

  it('keeps timers running while a handler fails at once with no backoff', async () => {
    // Prepare
    const streamName = await streamWith(1);
    const controller = new AbortController();
    let timerFired = false;
    let calls = 0;

    // Act: a 0 ms timer must fire while the batch fails over and over; the handler stops the run after
    // 10,000 calls, so a runner that never yields to the event loop ends with the timer still pending.
    const running = runEventSource({
      ...base(streamName, async () => {
        calls += 1;
        if (calls === 1)
          setTimeout(() => {
            timerFired = true;
            controller.abort();
          }, 0);
        if (calls >= 10_000) controller.abort();
        throw new Error('always');
      }),
      batchingWindowMs: 0,
      bisectBatchOnFunctionError: false,
      retryBaseDelayMs: 0,
      maximumRetryAttempts: -1,
      stopWhenIdleMs: Number.POSITIVE_INFINITY,
      signal: controller.signal,
    });
    const stats = await running;

    // Assess
    expect(timerFired).toBe(true);
    expect(calls).toBeLessThan(10_000);
    expect(stats).toMatchObject({ stoppedBy: 'aborted', discarded: 0 });
  });

  it("writes an on-failure record the consumer's parseFailureMessage reads, alone or in an SQS body", async () => {
    // Prepare
    const streamName = await streamWith(3);
    const discarded: DiscardedBatch[] = [];
    const sequences: string[] = [];

    // Act: the handler reports every record as failed; two retries, then the batch goes.
    await runEventSource({
      ...base(streamName, async (event) => {
        if (sequences.length === 0) sequences.push(...event.Records.map((r) => r.kinesis.sequenceNumber));
        return {
          batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
        };
      }),
      clock: virtualClock(),
      batchingWindowMs: 0,
      maximumRetryAttempts: 2,
      onDiscard: discarded,
    });

    // Assess
    expect(discarded).toHaveLength(1);
    const message = JSON.parse(JSON.stringify(discarded[0]));
    expect(Object.keys(message).sort()).toEqual([
      'KinesisBatchInfo',
      'requestContext',
      'responseContext',
      'timestamp',
      'version',
    ]);
    expect(message.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(message.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    });
    const expected = {
      shardId: 'shardId-000000000000',
      startSequenceNumber: sequences[0],
      endSequenceNumber: sequences[2],
      batchSize: 3,
      streamArn: expect.stringMatching(new RegExp(`:stream/${streamName}$`)),
    };
    expect(parseFailureMessage(message)).toMatchObject(expected);
    expect(parseFailureMessage({ Body: JSON.stringify(message) })).toMatchObject(expected);
  });
});
