import { DescribeStreamSummaryCommand, PutRecordsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStream,
  type DiscardedBatch,
  type InvocationInfo,
  type KinesisHandler,
  type LocalAws,
  LocalOptionError,
  type RunEventSourceOptions,
  runEventSource,
  startLocalAws,
} from '../../src/index.js';

let aws: LocalAws;
let streamCount = 0;

beforeAll(async () => {
  aws = await startLocalAws({ dynamodb: false });
});

afterAll(async () => {
  await aws?.close();
});

/** A fresh stream per test, so tests never see each other's records. */
async function newStream(shards = 1): Promise<string> {
  streamCount += 1;
  const name = `runner-${streamCount}`;
  await createStream(aws.kinesis, name, shards);
  return name;
}

/** Puts `r0`, `r1`, ... (data = the id) in one PutRecords call, in order. */
async function putRecords(streamName: string, ids: readonly string[], partitionKey?: (id: string) => string) {
  const response = await aws.kinesis.send(
    new PutRecordsCommand({
      StreamName: streamName,
      Records: ids.map((id) => ({
        Data: new TextEncoder().encode(id),
        PartitionKey: partitionKey?.(id) ?? 'pk',
      })),
    }),
  );
  expect(response.FailedRecordCount ?? 0).toBe(0);
}

function ids(count: number, prefix = 'r'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

function dataOf(record: KinesisStreamRecord): string {
  return Buffer.from(record.kinesis.data, 'base64').toString('utf8');
}

/**
 * Runs with fast polling and a short idle stop, and (unless a test says otherwise) the mechanics the tests
 * below check in isolation: batches of 100 invoked at once, no bisect, no backoff, no record age. Collects
 * every event.
 */
async function run(
  streamName: string,
  handler: (event: KinesisStreamEvent, call: number) => ReturnType<KinesisHandler>,
  options: Partial<RunEventSourceOptions> = {},
) {
  const events: KinesisStreamEvent[] = [];
  const invocations: InvocationInfo[] = [];
  const stats = await runEventSource({
    kinesis: aws.kinesis,
    streamName,
    pollIntervalMs: 20,
    stopWhenIdleMs: 300,
    batchSize: 100,
    batchingWindowMs: 0,
    bisectBatchOnFunctionError: false,
    retryBaseDelayMs: 0,
    maximumRecordAgeSeconds: -1,
    handler: async (event) => {
      events.push(event);
      return handler(event, events.length);
    },
    onInvoke: (info) => invocations.push(info),
    ...options,
  });
  return { stats, events, invocations, batches: events.map((event) => event.Records.map(dataOf)) };
}

describe('runEventSource()', () => {
  it('delivers every record once, in order per shard, in Lambda-shaped events', async () => {
    // Prepare
    const streamName = await newStream(3);
    const sent = ids(60);
    await putRecords(streamName, sent, (id) => `device-${Number(id.slice(1)) % 7}`);

    // Act
    const { stats, events } = await run(streamName, async () => undefined);

    // Assess
    const records = events.flatMap((event) => event.Records);
    expect(records.map(dataOf).sort()).toEqual([...sent].sort());
    expect(stats).toMatchObject({
      records: 60,
      recordsDelivered: 60,
      retries: 0,
      shards: 3,
      stoppedBy: 'idle',
    });
    const byShard = new Map<string, KinesisStreamRecord[]>();
    for (const record of records) {
      const shardId = record.eventID.split(':')[0]!;
      byShard.set(shardId, [...(byShard.get(shardId) ?? []), record]);
    }
    for (const shardRecords of byShard.values()) {
      const sequence = shardRecords.map((record) => BigInt(record.kinesis.sequenceNumber));
      expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      // The producer's order is kept within a partition key.
      const order = shardRecords.map((record) => Number(dataOf(record).slice(1)));
      const perKey = new Map<string, number[]>();
      for (const record of shardRecords) {
        const list = perKey.get(record.kinesis.partitionKey) ?? [];
        list.push(Number(dataOf(record).slice(1)));
        perKey.set(record.kinesis.partitionKey, list);
      }
      for (const list of perKey.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
      expect(order.length).toBeGreaterThan(0);
    }
    // Each event holds the records of one shard only.
    for (const event of events) {
      expect(new Set(event.Records.map((record) => record.eventID.split(':')[0])).size).toBe(1);
    }
  });

  it('builds every field of a Lambda Kinesis record', async () => {
    // Prepare
    const streamName = await newStream(1);
    const before = Date.now() / 1000;
    await putRecords(streamName, ['hello'], () => 'device-1');

    // Act
    const { events } = await run(streamName, async () => undefined);

    // Assess
    const record = events[0]!.Records[0]!;
    const shardId = record.eventID.split(':')[0]!;
    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'device-1',
        sequenceNumber: expect.stringMatching(/^\d+$/),
        data: Buffer.from('hello').toString('base64'),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${record.kinesis.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//),
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringMatching(
        new RegExp(`^arn:aws:kinesis:us-east-1:\\d+:stream/${streamName}$`),
      ),
    });
    expect(shardId).toMatch(/^shardId-\d+$/);
    // Seconds with a fraction, as Lambda sends it, not milliseconds.
    expect(record.kinesis.approximateArrivalTimestamp).toBeGreaterThanOrEqual(Math.floor(before) - 1);
    expect(record.kinesis.approximateArrivalTimestamp).toBeLessThan(Date.now() / 1000 + 1);
  });

  it('passes a Lambda-like context', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ['a']);
    const seen: { remaining: number; name: string; memory: string; requestId: string; arn: string }[] = [];

    // Act
    await runEventSource({
      kinesis: aws.kinesis,
      streamName,
      pollIntervalMs: 20,
      stopWhenIdleMs: 300,
      function: { functionName: 'consumer-test', memoryLimitInMB: 512, timeoutMs: 30_000 },
      handler: async (_event, context) => {
        seen.push({
          remaining: context.getRemainingTimeInMillis(),
          name: context.functionName,
          memory: context.memoryLimitInMB,
          requestId: context.awsRequestId,
          arn: context.invokedFunctionArn,
        });
      },
    });

    // Assess
    expect(seen).toHaveLength(1);
    expect(seen[0]!.remaining).toBeGreaterThan(0);
    expect(seen[0]!.remaining).toBeLessThanOrEqual(30_000);
    expect(seen[0]).toMatchObject({
      name: 'consumer-test',
      memory: '512',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:consumer-test',
    });
    expect(seen[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('cuts batches of at most batchSize records', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(25));

    // Act
    const { batches, stats } = await run(streamName, async () => undefined, { batchSize: 10 });

    // Assess
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(ids(25));
    expect(stats.invocations).toBe(3);
    expect(stats.durationsMs).toHaveLength(3);
  });

  it('gathers records that arrive within the batching window into one invocation', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ['early']);

    // Act: the late record arrives well inside the window, after the runner has read the early one.
    const running = run(streamName, async () => undefined, { batchingWindowMs: 1_500, stopWhenIdleMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await putRecords(streamName, ['late']);
    const { batches } = await running;

    // Assess
    expect(batches).toEqual([['early', 'late']]);
  });

  it('retries from the lowest failed sequence number of batchItemFailures', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(10));

    // Act: the first delivery reports r6 and r3 (unsorted) as failed.
    const { batches, stats, invocations } = await run(streamName, async (event, call) => {
      if (call > 1) return { batchItemFailures: [] };
      const failed = event.Records.filter((record) => ['r6', 'r3'].includes(dataOf(record)));
      return {
        batchItemFailures: failed
          .reverse()
          .map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })),
      };
    });

    // Assess
    expect(batches).toEqual([ids(10), ids(10).slice(3)]);
    expect(stats).toMatchObject({ records: 10, retries: 1, failedInvocations: 1, discarded: 0 });
    expect(invocations.map((info) => info.outcome)).toEqual(['partial', 'success']);
    expect(invocations[1]!.retries).toBe(1);
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['an unknown itemIdentifier', { batchItemFailures: [{ itemIdentifier: '123' }] }],
    ['a missing itemIdentifier', { batchItemFailures: [{}] }],
  ])('treats %s as a whole-batch failure', async (_name, response) => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(4));

    // Act
    const { batches, invocations } = await run(streamName, async (_event, call) =>
      call === 1 ? (response as never) : undefined,
    );

    // Assess
    expect(batches).toEqual([ids(4), ids(4)]);
    expect(invocations[0]!.outcome).toBe('error');
  });

  it('ignores batchItemFailures when reportBatchItemFailures is off', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(3));

    // Act
    const { batches } = await run(
      streamName,
      async (event) => ({
        batchItemFailures: [{ itemIdentifier: event.Records[0]!.kinesis.sequenceNumber }],
      }),
      { reportBatchItemFailures: false },
    );

    // Assess
    expect(batches).toEqual([ids(3)]);
  });

  it('bisects a failing batch down to the bad record, then discards it when retries are exhausted', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(8));
    const discarded: { batch: DiscardedBatch; records: KinesisStreamRecord[]; error: unknown }[] = [];

    // Act: r5 always makes the handler throw.
    const { batches, stats } = await run(
      streamName,
      async (event) => {
        if (event.Records.some((record) => dataOf(record) === 'r5')) throw new Error('bad record r5');
      },
      {
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 0,
        onDiscard: (batch, records, error) => {
          discarded.push({ batch, records, error });
        },
      },
    );

    // Assess: halves are retried without using the retry quota; the single bad record uses it.
    expect(batches).toEqual([
      ids(8),
      ['r0', 'r1', 'r2', 'r3'],
      ['r4', 'r5', 'r6', 'r7'],
      ['r4', 'r5'],
      ['r4'],
      ['r5'],
      ['r6', 'r7'],
    ]);
    expect(stats).toMatchObject({ bisections: 3, retries: 0, records: 7, discarded: 1 });
    expect(discarded).toHaveLength(1);
    expect(discarded[0]!.records.map(dataOf)).toEqual(['r5']);
    expect(discarded[0]!.batch.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(discarded[0]!.batch.responseContext).toEqual({
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    });
    expect((discarded[0]!.error as Error).message).toBe('bad record r5');
  });

  it('retries a failing batch maximumRetryAttempts times, then hands it to onDiscard and moves on', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(5));
    const discarded: { batch: DiscardedBatch; records: KinesisStreamRecord[] }[] = [];

    // Act: the first batch of 3 always fails; the rest succeeds.
    const { batches, stats } = await run(
      streamName,
      async (event) => {
        if (dataOf(event.Records[0]!) === 'r0') throw new Error('boom');
      },
      {
        batchSize: 3,
        maximumRetryAttempts: 2,
        onDiscard: async (batch, records) => {
          discarded.push({ batch, records });
        },
      },
    );

    // Assess
    expect(batches).toEqual([ids(3), ids(3), ids(3), ['r3', 'r4']]);
    expect(stats).toMatchObject({
      invocations: 4,
      retries: 2,
      discarded: 3,
      records: 2,
      failedInvocations: 3,
    });
    const { batch: info, records } = discarded[0]!;
    expect(info.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    });
    expect(info.KinesisBatchInfo).toMatchObject({
      batchSize: 3,
      startSequenceNumber: records[0]!.kinesis.sequenceNumber,
      endSequenceNumber: records[2]!.kinesis.sequenceNumber,
      streamArn: records[0]!.eventSourceARN,
    });
    expect(info.KinesisBatchInfo.shardId).toMatch(/^shardId-/);
  });

  it('discards records older than maximumRecordAgeSeconds without invoking', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(2));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const discarded: DiscardedBatch[] = [];

    // Act
    const { batches, stats } = await run(streamName, async () => undefined, {
      maximumRecordAgeSeconds: 1,
      onDiscard: discarded,
    });

    // Assess
    expect(batches).toEqual([]);
    expect(stats.discarded).toBe(2);
    expect(discarded[0]!.requestContext.condition).toBe('RecordAgeExceeded');
  });

  it('fails an invocation that outlives the function timeout', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(1));

    // Act
    const { invocations } = await run(
      streamName,
      async (_event, call) => {
        if (call === 1) await new Promise((resolve) => setTimeout(resolve, 500));
      },
      { function: { timeoutMs: 20 }, maximumRetryAttempts: 1 },
    );

    // Assess
    expect(invocations.map((info) => info.outcome)).toEqual(['error', 'success']);
    expect((invocations[0]!.error as Error).message).toMatch(/timed out/);
  });

  it('stops after untilRecords records', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(10));

    // Act
    const { stats } = await run(streamName, async () => undefined, {
      batchSize: 4,
      untilRecords: 6,
      stopWhenIdleMs: Number.POSITIVE_INFINITY,
    });

    // Assess
    expect(stats).toMatchObject({ stoppedBy: 'untilRecords', records: 8 });
  });

  it('stops on an AbortSignal', async () => {
    // Prepare
    const streamName = await newStream(2);
    const controller = new AbortController();

    // Act
    const running = run(streamName, async () => undefined, {
      stopWhenIdleMs: Number.POSITIVE_INFINITY,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const { stats } = await running;

    // Assess
    expect(stats).toMatchObject({ stoppedBy: 'aborted', invocations: 0 });
  });

  it('starts at LATEST when asked', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ['old']);

    // Act
    const running = run(streamName, async () => undefined, {
      startingPosition: 'LATEST',
      stopWhenIdleMs: 600,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await putRecords(streamName, ['new']);
    const { batches } = await running;

    // Assess
    expect(batches).toEqual([['new']]);
  });

  it('invokes at most once at a time per shard while shards run in parallel', async () => {
    // Prepare
    const streamName = await newStream(4);
    await putRecords(streamName, ids(80), (id) => `k${id}`);
    const inFlight = new Map<string, number>();
    let maxPerShard = 0;
    let maxOverall = 0;
    let overall = 0;

    // Act
    const { stats } = await run(
      streamName,
      async (event) => {
        const shardId = event.Records[0]!.eventID.split(':')[0]!;
        inFlight.set(shardId, (inFlight.get(shardId) ?? 0) + 1);
        overall += 1;
        maxPerShard = Math.max(maxPerShard, inFlight.get(shardId)!);
        maxOverall = Math.max(maxOverall, overall);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight.set(shardId, inFlight.get(shardId)! - 1);
        overall -= 1;
      },
      { batchSize: 5 },
    );

    // Assess
    expect(stats.records).toBe(80);
    expect(maxPerShard).toBe(1);
    expect(maxOverall).toBeGreaterThan(1);
  });

  it('reads the children of a split shard after their parent', async () => {
    // Prepare
    const streamName = await newStream(1);
    await putRecords(streamName, ids(5, 'a'), (id) => id);
    await aws.kinesis.send(
      new SplitShardCommand({
        StreamName: streamName,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    for (;;) {
      const summary = await aws.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await putRecords(streamName, ids(10, 'b'), (id) => id);

    // Act
    const { batches, stats } = await run(streamName, async () => undefined);

    // Assess
    const order = batches.flat();
    expect([...order].sort()).toEqual([...ids(5, 'a'), ...ids(10, 'b')].sort());
    expect(order.slice(0, 5)).toEqual(ids(5, 'a'));
    expect(stats.shards).toBe(3);
  });

  it('rejects options outside the event source mapping limits', async () => {
    const base = { kinesis: aws.kinesis, streamName: 'none', handler: async () => undefined };
    await expect(runEventSource({ ...base, batchSize: 0 })).rejects.toThrow(LocalOptionError);
    await expect(runEventSource({ ...base, batchSize: 10_001 })).rejects.toThrow(LocalOptionError);
    await expect(runEventSource({ ...base, maximumRetryAttempts: -2 })).rejects.toThrow(LocalOptionError);
    await expect(runEventSource({ ...base, startingPosition: 'AT_TIMESTAMP' })).rejects.toThrow(
      LocalOptionError,
    );
  });
});
