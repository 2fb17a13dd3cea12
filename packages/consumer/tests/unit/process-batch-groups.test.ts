import { parseRecord, processBatch } from '@secondrow/consumer';
import { gzip, jsonV1, kinesisEvent, kinesisRecord, legacy2015, makeSamples } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { toSamples } from '../../src/packed-samples.js';
import { recordParser } from '../../src/parse-record.js';
import { fakeStore } from '../helpers/fake-store.js';

const T0 = 1_700_000_000_000;
const meta = { sequenceNumber: '1', partitionKey: 'pk' };

describe('recordParser().parsePacked()', () => {
  it('gives the parts of parseRecord, with JSON v1 samples packed', () => {
    const payloads = [
      Buffer.from(jsonV1('w', makeSamples(T0, 200), { instrumentation: { a: [1, { b: null }] } })),
      gzip(jsonV1('w', makeSamples(T0, 20))),
      Buffer.from(legacy2015('u', makeSamples(T0, 5))),
      Buffer.from('{"deviceId":"w\\u0041","samples":[[1700000000000,0,0,1]]}'),
    ];
    for (const payload of payloads) {
      const plain = parseRecord(payload, meta);
      const packed = recordParser().parsePacked(payload, meta);
      expect(
        packed.parts.map((part) => (part.ok ? { ...part, samples: toSamples(part.samples) } : part)),
      ).toEqual(plain.parts);
    }
    const first = recordParser().parsePacked(payloads[0] as Uint8Array, meta).parts[0];
    expect(first?.ok && first.samples).toBeInstanceOf(Float64Array);
  });

  it('keeps each part its own values, small parts in shared blocks and large ones alone', () => {
    const sizes = [200, 10_000, 3, 200, 8_000, 200];
    const payloads = sizes.map((n, i) => Buffer.from(jsonV1(`w-${i}`, makeSamples(T0, n, 50, i + 1))));
    // Parse all first, so that later parts would overwrite earlier ones if blocks were shared wrongly.
    const parser = recordParser();
    const parts = payloads.map((payload) => parser.parsePacked(payload, meta).parts[0]);
    parts.forEach((part, i) => {
      expect(part?.ok && toSamples(part.samples)).toEqual(makeSamples(T0, sizes[i] as number, 50, i + 1));
    });
  });

  it.each([
    ['a time that is not an integer', `[${T0}.5,0,0,1]`, 'INVALID_SAMPLE', 't'],
    ['a negative time', '[-20,0,0,1]', 'INVALID_SAMPLE', 't'],
    ['an infinite value', `[${T0},0,-1e999,1]`, 'INVALID_SAMPLE', 'y'],
    ['a value out of range', `[${T0},0,0,16.5]`, 'OUT_OF_RANGE', 'z'],
  ])('rejects packed samples with %s exactly as parseRecord does', (_name, sample, code, field) => {
    const payload = Buffer.from(`{"deviceId":"w","samples":[[${T0 - 20},0,0,1],${sample}]}`);
    const packed = recordParser().parsePacked(payload, meta).parts[0];
    expect(packed).toEqual(parseRecord(payload, meta).parts[0]);
    expect(packed?.ok === false && packed.error).toMatchObject({ code, index: 1, field });
  });

  it('keeps the range option when checking packed samples', () => {
    const payload = Buffer.from(`{"deviceId":"w","samples":[[${T0},0,0,3]]}`);
    const part = recordParser({ range: 2 }).parsePacked(payload, meta).parts[0];
    expect(part?.ok === false && part.error).toMatchObject({ code: 'OUT_OF_RANGE', index: 0, field: 'z' });
  });
});

describe('processBatch() with many samples', () => {
  it('writes devices in groups, each device whole in one call, every sample once', async () => {
    // Prepare: 40 devices x 1 000 samples, more than one write group.
    const records = [];
    for (let d = 0; d < 40; d++) {
      for (let b = 0; b < 5; b++) {
        records.push(kinesisRecord(jsonV1(`w-${d}`, makeSamples(T0 + b * 4_000, 200, 50, d * 5 + b + 1))));
      }
    }
    const store = fakeStore();
    // Act
    const { response, summary } = await processBatch(kinesisEvent(records), undefined, { store });
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(summary.samples).toBe(40_000);
    expect(summary.devices).toBe(40);
    expect(store.calls.length).toBeGreaterThan(1);
    const seen = new Map<string, number>();
    let samples = 0;
    for (const call of store.calls) {
      const devices = new Set(call.entries.map((e) => e.deviceId));
      for (const device of devices) {
        expect(seen.has(device)).toBe(false);
        seen.set(device, 1);
      }
      for (const entry of call.entries) samples += entry.samples.length;
    }
    expect(seen.size).toBe(40);
    expect(samples).toBe(40_000);
    expect(summary.store.rowsWritten).toBe(40 * 20);
  });

  it('retries the records behind failed rows of any group', async () => {
    const records = [];
    for (let d = 0; d < 40; d++) {
      for (let b = 0; b < 5; b++)
        records.push(kinesisRecord(jsonV1(`w-${d}`, makeSamples(T0 + b * 4_000, 200))));
    }
    // Row [T0 + 8 s, T0 + 9 s) of the last device comes from its third record only.
    const store = fakeStore((deviceId, row) => deviceId === 'w-39' && row.startMs === T0 + 8_000);
    const { response, summary } = await processBatch(kinesisEvent(records), undefined, { store });
    expect(summary.failedRows).toBe(1);
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: records[39 * 5 + 2]?.kinesis.sequenceNumber },
    ]);
  });
});
