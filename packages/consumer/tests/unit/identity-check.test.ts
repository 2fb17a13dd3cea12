import { createHandler, loadConfig, parseRecord } from '@secondrow/consumer';
import {
  avroBatch,
  jsonV1,
  kinesisEvent,
  kinesisRecord,
  lambdaContext,
  makeSamples,
} from '@secondrow/devkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeStore } from '../helpers/fake-store.js';
import { memoryQuarantine } from '../helpers/memory-quarantine.js';
import { memoryLogger } from '../helpers/quiet.js';

const T0 = 1_700_000_000_000;
const id = fc.stringMatching(/^[a-z]{2}-[a-z]+-\d:[0-9a-f]{8}$/);

describe('REQUIRE_PARTITION_KEY_MATCH: a record must carry its publisher identity as partition key', () => {
  it('law: with the check on, a record is accepted exactly when its device id is its partition key', () => {
    fc.assert(
      fc.property(id, id, (deviceId, key) => {
        const bytes = avroBatch(deviceId, makeSamples(T0, 3));
        const part = parseRecord(
          bytes,
          { sequenceNumber: '1', partitionKey: key },
          { requirePartitionKeyMatch: true },
        ).parts[0];
        expect(part?.ok).toBe(deviceId === key);
        if (part !== undefined && !part.ok) {
          expect(part.error).toMatchObject({ code: 'IDENTITY_MISMATCH', field: 'deviceId' });
          expect(part.raw).toEqual(bytes);
        }
        // Off (the default), the partition key is never looked at.
        expect(parseRecord(bytes, { sequenceNumber: '1', partitionKey: key }).parts[0]?.ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('quarantines the forged record as a permanent failure and stores the honest one', async () => {
    const store = fakeStore();
    const quarantine = memoryQuarantine();
    const handler = createHandler({
      store,
      quarantine,
      logger: memoryLogger(),
      metrics: false,
      config: { requirePartitionKeyMatch: true },
    });
    const honest = kinesisRecord(avroBatch('dev-a', makeSamples(T0, 5)), { partitionKey: 'dev-a' });
    // dev-b publishes on its own topic (the rule keys the record dev-b) a batch naming dev-a.
    const forged = kinesisRecord(jsonV1('dev-a', makeSamples(T0 + 5_000, 5)), { partitionKey: 'dev-b' });
    const response = await handler(kinesisEvent([honest, forged]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(quarantine.entries).toHaveLength(1);
    expect(quarantine.entries[0]).toMatchObject({
      code: 'IDENTITY_MISMATCH',
      sequenceNumber: forged.kinesis.sequenceNumber,
    });
    const stored = store.calls.flatMap((c) => c.entries.flatMap((e) => e.samples.map((s) => s.t)));
    expect(stored.sort()).toEqual(makeSamples(T0, 5).map((s) => s.t));
  });

  it('is off by default and read from the environment strictly', () => {
    expect(loadConfig({ TABLE_NAME: 't' }).requirePartitionKeyMatch).toBe(false);
    expect(loadConfig({ TABLE_NAME: 't', REQUIRE_PARTITION_KEY_MATCH: 'on' }).requirePartitionKeyMatch).toBe(
      true,
    );
    expect(() => loadConfig({ TABLE_NAME: 't', REQUIRE_PARTITION_KEY_MATCH: 'yes' })).toThrow(
      /REQUIRE_PARTITION_KEY_MATCH must be on or off/,
    );
  });
});
