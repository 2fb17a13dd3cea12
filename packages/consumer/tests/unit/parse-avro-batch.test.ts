import { parseRecord, type RejectedPart } from '@secondrow/consumer';
import { avroBatch, makeSamples, sampleKeys } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';

const meta = { sequenceNumber: '1' };
const T0 = 1_700_000_000_000;

function rejected(bytes: Uint8Array, options = {}): RejectedPart {
  const part = parseRecord(bytes, meta, options).parts[0];
  if (part === undefined || part.ok) throw new Error('expected a rejected part');
  return part;
}

describe('parseRecord() with an Avro producer batch', () => {
  it('reads the batch', () => {
    const samples = makeSamples(T0, 200);
    const part = parseRecord(avroBatch('watch-9', samples, { batchId: 'b-3', sentAt: T0 + 4_100 }), meta)
      .parts[0];
    expect(part).toMatchObject({
      ok: true,
      format: 'avro-batch',
      deviceId: 'watch-9',
      batchId: 'b-3',
      sentAt: T0 + 4_100,
    });
    // Avro batches carry float32 values: compare on the 1 mg grid the rows are stored on.
    expect(part?.ok && sampleKeys(part.samples)).toEqual(sampleKeys(samples));
  });

  it('rejects truncated bytes as undecodable and keeps them', () => {
    const bytes = avroBatch('watch-9', makeSamples(T0, 20)).subarray(0, 40);
    const part = rejected(bytes);
    expect(part.error.code).toBe('UNDECODABLE');
    expect(part.error.cause).toMatchObject({ name: 'DecodeError' });
    expect(part.raw).toEqual(bytes);
  });

  it('rejects trailing bytes', () => {
    const bytes = avroBatch('watch-9', makeSamples(T0, 2));
    expect(rejected(Buffer.concat([bytes, Buffer.from([1, 2, 3])])).error.code).toBe('UNDECODABLE');
  });

  it('rejects more samples than maxSamplesPerRecord and values out of the configured range', () => {
    const bytes = avroBatch('watch-9', [{ t: T0, x: 0, y: 0, z: 3 }, ...makeSamples(T0 + 20, 2)]);
    expect(rejected(bytes, { maxSamplesPerRecord: 2 }).error.code).toBe('TOO_MANY_SAMPLES');
    expect(rejected(bytes, { range: 2 }).error).toMatchObject({ code: 'OUT_OF_RANGE', index: 0, field: 'z' });
  });

  it('rejects a reserved device id', () => {
    expect(rejected(avroBatch('quarantine#1', makeSamples(T0, 2))).error.code).toBe('NO_DEVICE_ID');
  });
});
