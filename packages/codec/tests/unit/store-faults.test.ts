import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SampleStore, type SampleStoreOptions } from '../../src/dynamodb.js';
import { fromItem, packRows, toItem, unpackRows } from '../../src/index.js';
import type { Row, Sample } from '../../src/types.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

// Faults a local server cannot produce on demand: throttling, a concurrent writer between two of our
// requests, and the ReturnValuesOnConditionCheckFailure item that dynalite does not return.

const T0 = 1_700_000_000_000;
const DEVICE = 'watch-1';

/** `count` samples at 50 Hz starting at `fromMs`, values on the 1 mg grid. */
function samplesAt(fromMs: number, count: number, phase = 0): Sample[] {
  return Array.from({ length: count }, (_, i) => ({
    t: fromMs + i * 20,
    x: Math.round(Math.sin(i + phase) * 1000) / 1000,
    y: 0.5,
    z: -1,
  }));
}

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

let clock = new VirtualClock();

/** A store on the mocked client and the test's virtual clock (backoff and deadlines in virtual time). */
function newStore(options: Partial<SampleStoreOptions> = {}): SampleStore {
  return new SampleStore({ client, tableName: 'rows', clock, ...options });
}

const throttled = (): ProvisionedThroughputExceededException =>
  new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });

const conditionFailed = (item?: Record<string, unknown>): ConditionalCheckFailedException =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item === undefined ? {} : { Item: item as ConditionalCheckFailedException['Item'] }),
  });

const rowItem = (row: Row) => toItem(DEVICE, row) as NonNullable<ConditionalCheckFailedException['Item']>;

const putInputs = (): PutItemCommandInput[] =>
  ddb.commandCalls(PutItemCommand).map((call) => call.args[0].input);

const storedSamples = (input: PutItemCommandInput): Sample[] =>
  fromItem(input.Item as Parameters<typeof fromItem>[0]).row.samples;

beforeEach(() => {
  ddb.reset();
  clock = new VirtualClock();
});

afterAll(() => {
  ddb.restore();
});

describe('SampleStore.write() under throttling', () => {
  it('retries throttled writes and reports the retries', async () => {
    // Prepare
    ddb
      .on(PutItemCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ ConsumedCapacity: { TableName: 'rows', CapacityUnits: 1 } });

    // Act
    const report = await newStore().write(DEVICE, samplesAt(T0, 50));

    // Assess
    expect(report).toMatchObject({
      rowsWritten: 1,
      requests: 3,
      retries: 2,
      writeUnits: 1,
      samplesStored: 50,
      failed: [],
    });
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(3);
    // Capped exponential backoff with full jitter: retry r waits in [0, min(2000, 50 * 2^r)).
    expect(clock.pauses).toHaveLength(2);
    clock.pauses.forEach((ms, r) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(Math.min(2000, 50 * 2 ** r));
    });
  });

  it('makes one request per backoff interval for a permanently throttled row, then THROTTLED', async () => {
    ddb.on(PutItemCommand).rejects(throttled());

    const report = await newStore().write(DEVICE, samplesAt(T0, 50));

    // Default maxTransientRetries 8: 9 requests, 8 pauses, nothing retried inside a request.
    expect(report.requests).toBe(9);
    expect(report.retries).toBe(8);
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(9);
    expect(clock.pauses).toHaveLength(8);
    expect(report.failed[0]?.error).toMatchObject({ code: 'THROTTLED', retryable: true });
  });

  it('returns every row with its samples when throttling lasts past the deadline', async () => {
    // Prepare
    ddb.on(PutItemCommand).rejects(throttled());
    const samples = samplesAt(T0, 150); // three whole seconds

    // Act
    const start = clock.now();
    const report = await newStore({ maxTransientRetries: 1_000_000 }).write(DEVICE, samples, {
      deadline: start + 10_000,
    });

    // Assess
    expect(report.rowsWritten + report.rowsMerged + report.rowsUnchanged).toBe(0);
    expect(report.failed).toHaveLength(3);
    expect(report.retries).toBeGreaterThan(0);
    for (const failed of report.failed) {
      expect(failed.deviceId).toBe(DEVICE);
      expect(failed.error).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true });
    }
    expect(unpackRows(report.failed.map((f) => f.row))).toEqual(unpackRows(packRows(samples)));
    // No pause was started that would end past the deadline.
    expect(clock.now()).toBeLessThanOrEqual(start + 10_000);
  });

  it('aborts a request that hangs after attemptTimeoutMs and retries it, then UNAVAILABLE', async () => {
    ddb.on(PutItemCommand).callsFake(() => new Promise(() => undefined));

    const report = await newStore({ attemptTimeoutMs: 1000, maxTransientRetries: 2 }).write(
      DEVICE,
      samplesAt(T0, 50),
    );

    expect(report.requests).toBe(3);
    expect(report.failed[0]?.error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });

  it('aborts a hanging request at the deadline with DEADLINE_EXCEEDED, passing the abort to the SDK', async () => {
    const signals: AbortSignal[] = [];
    ddb.on(PutItemCommand).callsFake(() => new Promise(() => undefined));
    const send = client.send.bind(client);
    const deadline = clock.now() + 300;

    const store = new SampleStore({
      client: {
        send: (command: unknown, options: { abortSignal: AbortSignal }) => {
          signals.push(options.abortSignal);
          return (send as (c: unknown, o: unknown) => Promise<unknown>)(command, options);
        },
      } as unknown as DynamoDBClient,
      tableName: 'rows',
      clock,
    });
    const report = await store.write(DEVICE, samplesAt(T0, 50), { deadline });

    expect(report.failed[0]?.error).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true });
    expect(report.requests).toBe(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(clock.now()).toBe(deadline);
  });

  it('gives up with THROTTLED after maxTransientRetries', async () => {
    ddb.on(PutItemCommand).rejects(throttled());

    const report = await newStore({ maxTransientRetries: 3 }).write(DEVICE, samplesAt(T0, 50));

    expect(report.retries).toBe(3);
    expect(report.requests).toBe(4);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.error.code).toBe('THROTTLED');
    expect(report.failed[0]?.error.cause).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(report.failed[0]?.row.samples).toHaveLength(50);
  });

  it('starts nothing once the deadline has passed', async () => {
    const report = await newStore().write(DEVICE, samplesAt(T0, 100), { deadline: clock.now() - 1 });

    expect(report.failed.map((f) => f.error.code)).toEqual(['DEADLINE_EXCEEDED', 'DEADLINE_EXCEEDED']);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('SampleStore.write() when the row exists', () => {
  it('merges from the item returned by a failed optimistic create, without a read', async () => {
    // Prepare: the first half of the second is stored already.
    const [storedRow] = packRows(samplesAt(T0, 25));
    ddb
      .on(PutItemCommand, { ConditionExpression: 'attribute_not_exists(#d)' })
      .rejects(conditionFailed(rowItem(storedRow!)))
      .on(PutItemCommand, { ConditionExpression: '#p = :p' })
      .resolves({ ConsumedCapacity: { TableName: 'rows', CapacityUnits: 1 } });

    // Act: the whole second arrives (its head is present, so the store tries to create first).
    const report = await newStore().write(DEVICE, samplesAt(T0, 50));

    // Assess
    expect(report).toMatchObject({
      rowsWritten: 0,
      rowsMerged: 1,
      samplesStored: 25,
      duplicatesDropped: 25,
      conditionalCheckFailures: 1,
      readUnits: 0,
      retries: 0,
      failed: [],
    });
    expect(report.writeUnits).toBe(2); // the merge put + the estimated failed check
    expect(report.writeUnitsEstimated).toBe(1);
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(0);
    const [, merge] = putInputs();
    expect(merge?.ExpressionAttributeValues?.[':p']).toEqual(rowItem(storedRow!).p);
    expect(storedSamples(merge!)).toEqual(packRows(samplesAt(T0, 50))[0]!.samples);
  });

  it('falls back to a consistent GetItem when the failed check returns no item', async () => {
    const [storedRow] = packRows(samplesAt(T0, 25));
    ddb
      .on(PutItemCommand, { ConditionExpression: 'attribute_not_exists(#d)' })
      .rejects(conditionFailed())
      .on(PutItemCommand, { ConditionExpression: '#p = :p' })
      .resolves({ ConsumedCapacity: { TableName: 'rows', CapacityUnits: 1 } })
      .on(GetItemCommand)
      .resolves({ Item: rowItem(storedRow!), ConsumedCapacity: { TableName: 'rows', CapacityUnits: 1 } });

    const report = await newStore().write(DEVICE, samplesAt(T0, 50));

    expect(report).toMatchObject({ rowsMerged: 1, readUnits: 1, conditionalCheckFailures: 1, failed: [] });
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });

  it('writes nothing when every sample is stored already', async () => {
    const samples = samplesAt(T0, 50);
    ddb.on(PutItemCommand).rejects(conditionFailed(rowItem(packRows(samples)[0]!)));

    const report = await newStore().write(DEVICE, samples);

    expect(report).toMatchObject({
      rowsUnchanged: 1,
      rowsMerged: 0,
      samplesStored: 0,
      duplicatesDropped: 50,
    });
    expect(putInputs()).toHaveLength(1);
  });

  it('retries with the fresh item when a concurrent writer wins the race', async () => {
    // Prepare: we see 25 samples stored, then another writer adds 10 more before our merge lands.
    const first = packRows(samplesAt(T0, 25))[0]!;
    const second = packRows([...samplesAt(T0, 25), ...samplesAt(T0 + 500, 10)])[0]!;
    ddb
      .on(PutItemCommand, { ConditionExpression: 'attribute_not_exists(#d)' })
      .rejects(conditionFailed(rowItem(first)))
      .on(PutItemCommand, { ConditionExpression: '#p = :p' })
      .rejectsOnce(conditionFailed(rowItem(second)))
      .resolves({ ConsumedCapacity: { TableName: 'rows', CapacityUnits: 1 } });
    const ours = samplesAt(T0 + 700, 15);

    // Act
    const report = await newStore({ readFirstWhenHeadMissing: false }).write(DEVICE, ours);

    // Assess
    expect(report).toMatchObject({ rowsMerged: 1, retries: 1, conditionalCheckFailures: 2, failed: [] });
    const last = putInputs().at(-1)!;
    expect(last.ExpressionAttributeValues?.[':p']).toEqual(rowItem(second).p);
    expect(storedSamples(last)).toEqual(unpackRows(packRows([...second.samples, ...ours])));
  });

  it('reports CONFLICT_RETRIES_EXHAUSTED with the samples when the row changes on every try', async () => {
    let version = 0;
    ddb.on(PutItemCommand).callsFake(() => {
      // Every check fails and every returned item is new: a writer always gets in between.
      version += 1;
      throw conditionFailed(rowItem(packRows(samplesAt(T0 + 900, 1, version))[0]!));
    });

    const report = await newStore({ maxAttempts: 4 }).write(DEVICE, samplesAt(T0, 10));

    expect(putInputs()).toHaveLength(4);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.error.code).toBe('CONFLICT_RETRIES_EXHAUSTED');
    expect(report.failed[0]?.row.samples).toHaveLength(10);
    expect(report.retries).toBe(2); // the first failure is the normal 'row exists' path, not a lost race
  });

  it('reports a permanent DynamoDB error without retrying or throwing', async () => {
    const error = new Error('One or more parameter values were invalid');
    error.name = 'ValidationException';
    ddb.on(PutItemCommand).rejects(error);

    const report = await newStore().write(DEVICE, samplesAt(T0, 50));

    expect(report.retries).toBe(0);
    expect(report.requests).toBe(1);
    expect(report.failed[0]?.error).toMatchObject({ code: 'DYNAMODB_ERROR', retryable: false });
    expect(report.failed[0]?.error.cause).toBe(error);
  });

  it('reports an undecodable stored row as a permanent INCOMPATIBLE_ITEM', async () => {
    const item = { ...rowItem(packRows(samplesAt(T0, 25))[0]!), p: { B: new Uint8Array([1, 2, 3]) } };
    ddb.on(PutItemCommand).rejects(conditionFailed(item));

    const report = await newStore().write(DEVICE, samplesAt(T0, 50));

    expect(report.failed[0]?.error).toMatchObject({ code: 'INCOMPATIBLE_ITEM', retryable: false });
    expect(report.failed[0]?.error.cause).toMatchObject({ name: 'DecodeError' });
  });
});
