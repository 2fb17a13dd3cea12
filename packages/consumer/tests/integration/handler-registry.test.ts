import { DeviceRegistry, SampleStore, StoreError } from '@secondrow/codec/dynamodb';
import { createHandler, type DeviceNoter, type ProcessResult } from '@secondrow/consumer';
import { jsonV1, kinesisEvent, kinesisRecord, lambdaContext, makeSamples } from '@secondrow/devkit';
import { createRowTable, type LocalAws, startLocalAws, uniqueTableName } from '@secondrow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeStore } from '../helpers/fake-store.js';
import { memoryLogger } from '../helpers/quiet.js';

let dynamo: LocalAws;
beforeAll(async () => {
  dynamo = await startLocalAws({ kinesis: false });
});
afterAll(async () => {
  await dynamo?.close();
});

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/** Three devices, two records each, the second record of each starting mid-second. */
function threeDevices() {
  const devices = ['watch-a', 'watch-b', 'cognito-c'].map((deviceId, d) => ({
    deviceId,
    samples: makeSamples(T0 + d * 333, 150, 50, d + 1),
  }));
  const records = devices.flatMap(({ deviceId, samples }) => [
    kinesisRecord(jsonV1(deviceId, samples.slice(0, 75))),
    kinesisRecord(jsonV1(deviceId, samples.slice(75))),
  ]);
  return { devices, event: kinesisEvent(records) };
}

async function setup(registry: (tableName: string) => DeviceNoter) {
  const tableName = await createRowTable(dynamo.dynamodb, uniqueTableName('samples'));
  const logger = memoryLogger();
  const results: ProcessResult[] = [];
  const handler = createHandler({
    store: new SampleStore({ client: dynamo.dynamodb, tableName }),
    registry: registry(tableName),
    logger,
    metrics: false,
    onResult: (r) => results.push(r),
  });
  return { tableName, logger, results, handler };
}

describe('createHandler() with a device registry', () => {
  it('notes every device written with its stored range', async () => {
    // Prepare
    const { handler, results, tableName } = await setup(
      (table) => new DeviceRegistry({ client: dynamo.dynamodb, tableName: table, intervalMs: 0 }),
    );
    const { devices, event } = threeDevices();

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const listed = await new DeviceRegistry({ client: dynamo.dynamodb, tableName }).list({
      consistentRead: true,
    });
    expect(listed.devices.sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1))).toEqual(
      devices
        .map(({ deviceId, samples }) => ({
          deviceId,
          firstMs: samples[0]!.t,
          lastMs: samples[samples.length - 1]!.t,
        }))
        .sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1)),
    );
    expect(results[0]?.summary.registry).toEqual({
      devices: 3,
      writes: 3,
      writeUnits: 3,
      readUnits: 3,
      failures: 0,
    });
  });

  it('acknowledges the batch when the registry cannot work (missing table), logging and counting the devices', async () => {
    // Prepare: the registry points at a table that does not exist; the rows go to the real one.
    const { handler, results, logger } = await setup(
      () =>
        new DeviceRegistry({
          client: dynamo.newDynamoDbClient({ maxAttempts: 1 }),
          tableName: uniqueTableName('missing'),
        }),
    );
    const { event } = threeDevices();

    // Act
    const response = await handler(event, lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(results[0]?.summary.store.rowsWritten).toBeGreaterThan(0);
    expect(results[0]?.summary.registry).toMatchObject({ devices: 3, writes: 0, failures: 3 });
    expect(results[0]?.registryFailures.map((f) => (f.error as { code?: string }).code)).toEqual([
      'DYNAMODB_ERROR',
      'DYNAMODB_ERROR',
      'DYNAMODB_ERROR',
    ]);
    expect(
      logger.lines.find((l) => l.message.startsWith('device registry not updated'))?.extra,
    ).toMatchObject({
      devices: 3,
      retried: 0,
    });
  });

  it('retries the records of a device whose note failed for a passing reason, and only those', async () => {
    // Prepare: the rows are stored; the registry is throttled on one device and races on another.
    const failing: Record<string, StoreError> = {
      'watch-b': new StoreError('THROTTLED', 'registry throttled'),
      'cognito-c': new StoreError('CONFLICT_RETRIES_EXHAUSTED', 'registry raced'),
    };
    const registry: DeviceNoter = {
      noteMany: async (entries) => ({
        writes: 1,
        writeUnits: 1,
        readUnits: 0,
        failed: entries.flatMap(({ deviceId }) =>
          failing[deviceId] === undefined ? [] : [{ deviceId, error: failing[deviceId] }],
        ),
      }),
    };
    const { handler, results, logger } = await setup(() => registry);
    const { event } = threeDevices();

    // Act
    const response = await handler(event, lambdaContext());

    // Assess: records 2-5 are watch-b's and cognito-c's (two each, in event order).
    expect(response.batchItemFailures).toEqual(
      event.Records.slice(2).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
    );
    expect(results[0]?.summary.store.rowsWritten).toBeGreaterThan(0);
    expect(results[0]?.summary.failedRows).toBe(0);
    expect(
      logger.lines.find((l) => l.message.startsWith('device registry not updated'))?.extra,
    ).toMatchObject({ devices: 2, retried: 2 });
  });

  it('acknowledges the batch when the registry throws', async () => {
    const throwing: DeviceNoter = {
      noteMany: () => Promise.reject(new Error('registry down')),
    };
    const { handler, results } = await setup(() => throwing);

    const response = await handler(threeDevices().event, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(results[0]?.summary.registry).toMatchObject({ devices: 3, failures: 3 });
  });

  it('leaves rows that were not stored out of the noted range', async () => {
    // Prepare: the store fails the device's last second (transient), so its records are retried.
    const noted: { deviceId: string; firstMs: number; lastMs: number }[] = [];
    const registry: DeviceNoter = {
      noteMany: async (entries) => {
        noted.push(...entries);
        return { writes: entries.length, writeUnits: entries.length, readUnits: 0, failed: [] };
      },
    };
    const samples = makeSamples(T0, 150); // 3 s at 50 Hz
    const handler = createHandler({
      store: fakeStore((_, row) => row.startMs === T0 + 2000),
      registry,
      logger: memoryLogger(),
      metrics: false,
    });

    // Act
    const response = await handler(kinesisEvent([kinesisRecord(jsonV1('watch', samples))]), lambdaContext());

    // Assess
    expect(response.batchItemFailures).toHaveLength(1);
    expect(noted).toEqual([{ deviceId: 'watch', firstMs: T0, lastMs: T0 + 1980 }]);
  });
});
