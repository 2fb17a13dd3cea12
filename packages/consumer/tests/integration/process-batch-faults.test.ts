import {
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Sample } from '@secondrow/codec';
import { SampleStore } from '@secondrow/codec/dynamodb';
import { createHandler, type ProcessResult, Quarantine } from '@secondrow/consumer';
import {
  jsonV1,
  kinesisEvent,
  kinesisRecord,
  lambdaContext,
  makeSamples,
  sampleKeys,
} from '@secondrow/devkit';
import { createRowTable, type LocalAws, startLocalAws, uniqueTableName } from '@secondrow/local';
import type { KinesisStreamRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers/quiet.js';
import { scanTable } from '../helpers/table.js';

let dynamo: LocalAws;
beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
});
afterAll(async () => {
  await dynamo?.close();
});

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/**
 * A client that forwards to dynalite but answers every request about `throttledDevice` with
 * ProvisionedThroughputExceeded: a fault dynalite cannot produce on demand.
 */
function throttlingClient(throttledDevice: string): DynamoDBClient {
  const real = dynamo.dynamodb;
  const faulty = dynamo.newDynamoDbClient();
  const throttle = () =>
    new ProvisionedThroughputExceededException({
      message: 'Rate of requests exceeds the allowed throughput',
      $metadata: {},
    });
  mockClient(faulty)
    .on(PutItemCommand)
    .callsFake(async (input: PutItemCommandInput) => {
      if (input.Item?.d?.S === throttledDevice) throw throttle();
      return real.send(new PutItemCommand(input));
    })
    .on(GetItemCommand)
    .callsFake(async (input: GetItemCommandInput) => {
      if (input.Key?.d?.S === throttledDevice) throw throttle();
      return real.send(new GetItemCommand(input));
    });
  return faulty;
}

describe('processBatch() under throttling', () => {
  it('returns the records behind rows unwritten at the deadline; the retry completes without loss or duplicates', async () => {
    // Prepare: device "hot" is throttled, device "cool" is not. Records alternate between them.
    const tableName = await createRowTable(dynamo.dynamodb, uniqueTableName('samples'));
    const sent = new Map<string, Sample[]>([
      ['hot', makeSamples(T0 + 300, 400, 50, 1)],
      ['cool', makeSamples(T0, 400, 50, 2)],
    ]);
    const records: KinesisStreamRecord[] = [];
    for (let i = 0; i < 4; i++) {
      for (const deviceId of ['cool', 'hot']) {
        records.push(kinesisRecord(jsonV1(deviceId, sent.get(deviceId)!.slice(i * 100, i * 100 + 100))));
      }
    }
    const bad = kinesisRecord('junk that must not be retried');
    records.splice(1, 0, bad);
    const results: ProcessResult[] = [];
    const throttled = createHandler({
      store: new SampleStore({
        client: throttlingClient('hot'),
        tableName,
        maxTransientRetries: 1_000_000,
        baseDelayMs: 5,
        maxDelayMs: 50,
      }),
      quarantine: new Quarantine({ client: dynamo.dynamodb, tableName }),
      logger: memoryLogger(),
      metrics: false,
      config: { deadlineMarginMs: 500 },
      onResult: (r) => results.push(r),
    });

    // Act
    const first = await throttled(kinesisEvent(records), lambdaContext(1_500));

    // Assess: exactly the records that carried "hot" samples are reported; "cool" is stored.
    const hotRecords = records.filter((r) =>
      Buffer.from(r.kinesis.data, 'base64').toString().includes('"hot"'),
    );
    expect(first.batchItemFailures).toEqual(
      hotRecords.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
    );
    const { summary, failedRows } = results[0]!;
    expect(failedRows.length).toBeGreaterThan(0);
    expect(failedRows.every((f) => f.deviceId === 'hot')).toBe(true);
    expect(new Set(failedRows.map((f) => f.code))).toEqual(new Set(['DEADLINE_EXCEEDED']));
    expect(summary).toMatchObject({
      failedRows: failedRows.length,
      failedRecords: hotRecords.length,
      quarantined: 1,
    });
    const afterFirst = await scanTable(dynamo.dynamodb, tableName);
    expect(sampleKeys(afterFirst.samples.get('cool') ?? [])).toEqual(sampleKeys(sent.get('cool')!));
    expect(afterFirst.samples.get('hot')).toBeUndefined();

    // Act: Lambda re-delivers from the lowest failed sequence number on; the throttling is over.
    const lowest = records.findIndex(
      (r) => r.kinesis.sequenceNumber === first.batchItemFailures[0]?.itemIdentifier,
    );
    const healthy = createHandler({
      store: new SampleStore({ client: dynamo.dynamodb, tableName }),
      quarantine: new Quarantine({ client: dynamo.dynamodb, tableName }),
      logger: memoryLogger(),
      metrics: false,
      onResult: (r) => results.push(r),
    });
    const retry = await healthy(kinesisEvent(records.slice(lowest)), lambdaContext());

    // Assess: everything is stored exactly once.
    expect(retry).toEqual({ batchItemFailures: [] });
    const table = await scanTable(dynamo.dynamodb, tableName);
    for (const [deviceId, samples] of sent) {
      const stored = table.samples.get(deviceId) ?? [];
      expect(stored).toHaveLength(samples.length);
      expect(sampleKeys(stored)).toEqual(sampleKeys(samples));
    }
    expect(table.quarantine).toHaveLength(1);
    expect(results[1]?.summary.store.samplesStored).toBe(400);
  });

  it('retries a bad record whose quarantine write is throttled', async () => {
    const tableName = await createRowTable(dynamo.dynamodb, uniqueTableName('samples'));
    const faulty = dynamo.newDynamoDbClient();
    mockClient(faulty)
      .on(PutItemCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} }));
    const good = kinesisRecord(jsonV1('w', makeSamples(T0, 10)));
    const bad = kinesisRecord('junk');
    const handler = createHandler({
      store: new SampleStore({ client: dynamo.dynamodb, tableName }),
      quarantine: new Quarantine({ client: faulty, tableName }),
      logger: memoryLogger(),
      metrics: false,
    });
    const response = await handler(kinesisEvent([good, bad]), lambdaContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.kinesis.sequenceNumber }]);
    expect((await scanTable(dynamo.dynamodb, tableName)).samples.get('w')).toHaveLength(10);
  });
});
