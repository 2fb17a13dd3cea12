import { ItemError, type Row } from '@secondrow/codec';
import { StoreError } from '@secondrow/codec/dynamodb';
import { processBatch, type QuarantineEntry, type RowQuarantineEntry } from '@secondrow/consumer';
import { jsonV1, kinesisEvent, kinesisRecord, lambdaContext, makeSamples } from '@secondrow/devkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failureKind } from '../../src/failure-policy.js';
import { fakeStore } from '../helpers/fake-store.js';
import { memoryQuarantine } from '../helpers/memory-quarantine.js';

const T0 = 1_700_000_000_000; // a whole second

const rows = (quarantine: { entries: QuarantineEntry[] }) =>
  quarantine.entries.filter((e): e is RowQuarantineEntry => e.kind === 'row');

/** a: seconds 0 and 1; b: second 1; c: second 2 (all device w). */
function threeRecords() {
  return [
    kinesisRecord(jsonV1('w', makeSamples(T0 + 500, 40))),
    kinesisRecord(jsonV1('w', makeSamples(T0 + 1300, 20))),
    kinesisRecord(jsonV1('w', makeSamples(T0 + 2000, 10))),
  ] as const;
}

describe('failureKind()', () => {
  it("follows the store's retryable flag: INCOMPATIBLE_ITEM is permanent, every other code transient", () => {
    expect(failureKind(new StoreError('INCOMPATIBLE_ITEM', 'x'))).toBe('permanent');
    for (const code of [
      'THROTTLED',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
      'CONFLICT_RETRIES_EXHAUSTED',
      'DYNAMODB_ERROR',
    ] as const) {
      expect(failureKind(new StoreError(code, 'x'))).toBe('transient');
    }
    expect(failureKind(new StoreError('DYNAMODB_ERROR', 'ValidationException', { retryable: false }))).toBe(
      'permanent',
    );
  });

  it('treats codec errors as permanent and anything unknown as transient', () => {
    expect(failureKind(new ItemError('ROW_TOO_LARGE', 'too large'))).toBe('permanent');
    expect(failureKind(new Error('socket hang up'))).toBe('transient');
  });
});

describe('processBatch() failure policy', () => {
  it('quarantines a row that can never be stored with its samples and acknowledges its records; retries transient ones', async () => {
    // Prepare: second 1 is incompatible with the stored item, second 2 is throttled.
    const [a, b, c] = threeRecords();
    const store = fakeStore((_d, row) =>
      row.startMs === T0 + 1000
        ? new StoreError('INCOMPATIBLE_ITEM', 'stored item has another resolution')
        : row.startMs === T0 + 2000
          ? new StoreError('THROTTLED', 'throttled')
          : false,
    );
    const quarantine = memoryQuarantine();
    // Act
    const { response, summary, failedRows } = await processBatch(kinesisEvent([a, b, c]), lambdaContext(), {
      store,
      quarantine,
    });
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: c.kinesis.sequenceNumber }]);
    const [row] = rows(quarantine);
    expect(rows(quarantine)).toHaveLength(1);
    expect(row).toMatchObject({
      kind: 'row',
      deviceId: 'w',
      startMs: T0 + 1000,
      windowSeconds: 1,
      code: 'INCOMPATIBLE_ITEM',
      records: [
        { shardId: expect.any(String), sequenceNumber: a.kinesis.sequenceNumber },
        { shardId: expect.any(String), sequenceNumber: b.kinesis.sequenceNumber },
      ],
    });
    // Every sample of second 1, from both records.
    const second1 = [...makeSamples(T0 + 500, 40), ...makeSamples(T0 + 1300, 20)].filter(
      (s) => s.t >= T0 + 1000 && s.t < T0 + 2000,
    );
    expect(row?.samples.map((s) => s.t).sort()).toEqual(second1.map((s) => s.t).sort());
    expect(summary).toMatchObject({
      failedRows: 2,
      rowsQuarantined: 1,
      rowQuarantineFailures: 0,
      failedRecords: 1,
    });
    expect(failedRows.map((f) => [f.kind, f.code, f.quarantine])).toEqual([
      ['permanent', 'INCOMPATIBLE_ITEM', 'written'],
      ['transient', 'THROTTLED', undefined],
    ]);
  });

  it('retries the records of a permanent row when its quarantine write fails, or when there is no quarantine', async () => {
    const [a, b, c] = threeRecords();
    const store = fakeStore((_d, row) =>
      row.startMs === T0 + 1000 ? new StoreError('INCOMPATIBLE_ITEM', 'incompatible') : false,
    );
    const failing = memoryQuarantine((entry) => entry.kind === 'row');
    const withFailure = await processBatch(kinesisEvent([a, b, c]), lambdaContext(), {
      store,
      quarantine: failing,
    });
    const without = await processBatch(kinesisEvent([a, b, c]), lambdaContext(), { store });
    for (const { response, summary } of [withFailure, without]) {
      expect(response.batchItemFailures).toEqual([
        { itemIdentifier: a.kinesis.sequenceNumber },
        { itemIdentifier: b.kinesis.sequenceNumber },
      ]);
      expect(summary).toMatchObject({ rowsQuarantined: 0, rowQuarantineFailures: 1 });
    }
  });

  it('quarantines the devices of a store call that threw a codec error, and retries one that threw anything else', async () => {
    const [a, b] = threeRecords();
    const v = kinesisRecord(jsonV1('v', makeSamples(T0, 10)));
    const quarantine = memoryQuarantine();
    const codecFailure = {
      writeMany: () => Promise.reject(new ItemError('ROW_TOO_LARGE', 'row does not fit an item')),
    };
    const permanent = await processBatch(kinesisEvent([a, b, v]), lambdaContext(), {
      store: codecFailure,
      quarantine,
    });
    expect(permanent.response.batchItemFailures).toEqual([]);
    expect(rows(quarantine).map((r) => [r.deviceId, r.startMs, r.samples.length, r.code])).toEqual([
      ['w', T0 + 500, 60, 'ROW_TOO_LARGE'],
      ['v', T0, 10, 'ROW_TOO_LARGE'],
    ]);
    const reset = {
      writeMany: () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    };
    const transient = await processBatch(kinesisEvent([a, b, v]), lambdaContext(), {
      store: reset,
      quarantine: memoryQuarantine(),
    });
    expect(transient.response.batchItemFailures).toHaveLength(3);
  });

  it('never acknowledges a record whose samples are neither stored nor quarantined', async () => {
    const outcome = fc.constantFrom('ok', 'transient', 'permanent');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom('w', 'v'),
            fc.integer({ min: 0, max: 4_000 }),
            fc.integer({ min: 1, max: 80 }),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.func(outcome),
        fc.func(fc.boolean()),
        async (specs, rowOutcome, quarantineFails) => {
          const records = specs.map(([device, offset, count], i) =>
            kinesisRecord(jsonV1(device, makeSamples(T0 + offset, count, 50, i + 1))),
          );
          const stored = new Set<string>();
          const key = (deviceId: string, row: Row) => `${deviceId}@${row.startMs}`;
          const store = fakeStore((deviceId, row) => {
            const what = rowOutcome(deviceId, row.startMs);
            if (what === 'ok') {
              stored.add(key(deviceId, row));
              return false;
            }
            return new StoreError(what === 'permanent' ? 'INCOMPATIBLE_ITEM' : 'THROTTLED', what);
          });
          const quarantine = memoryQuarantine(
            (entry) => entry.kind === 'row' && quarantineFails(entry.deviceId, entry.startMs),
          );
          const { response } = await processBatch(kinesisEvent(records), lambdaContext(), {
            store,
            quarantine,
          });
          const kept = new Set(rows(quarantine).map((r) => `${r.deviceId}@${r.startMs}`));
          const retried = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
          records.forEach((record, i) => {
            if (retried.has(record.kinesis.sequenceNumber)) return;
            const [device, offset, count] = specs[i] as [string, number, number];
            for (const sample of makeSamples(T0 + offset, count, 50, i + 1)) {
              const window = `${device}@${Math.floor(sample.t / 1000) * 1000}`;
              expect(stored.has(window) || kept.has(window)).toBe(true);
            }
          });
        },
      ),
    );
  });
});
