import { describe, expect, it } from 'vitest';
import {
  type Batch,
  DecodeError,
  decodeBatch,
  encodeBatch,
  encodeRow,
  InvalidOptionError,
  InvalidSampleError,
  isBatchBytes,
  packRows,
} from '../../src/index.js';
import { regularSamples } from '../helpers/factories.js';

const T0 = 1_700_000_000_000;
const batch: Batch = {
  deviceId: 'us-east-1:8c6b2e1a-0f3d-4b7e-9a51-2d4c6e8f0a1b',
  batchId: '42',
  sentAt: T0 + 5000,
  samples: [...regularSamples(T0, 50, 200), { t: T0 - 7, x: 0.123456789, y: -15.9, z: 3 }],
};

describe('encodeBatch() / decodeBatch()', () => {
  it('round-trips times exactly and values as float32', () => {
    const decoded = decodeBatch(encodeBatch(batch));

    expect({ ...decoded, samples: [] }).toEqual({ ...batch, samples: [] });
    expect(decoded.samples.map((s) => s.t)).toEqual(batch.samples.map((s) => s.t));
    decoded.samples.forEach((s, i) => {
      const original = batch.samples[i]!;
      expect(s.x).toBe(Math.fround(original.x));
      expect(s.y).toBe(Math.fround(original.y));
      expect(s.z).toBe(Math.fround(original.z));
    });
  });

  it('costs about 14 bytes per sample', () => {
    expect(encodeBatch(batch).length / batch.samples.length).toBeLessThan(14.5);
  });

  it('rejects invalid samples naming index and field', () => {
    const bad = { ...batch, samples: [{ t: 1, x: 0, y: Number.NaN, z: 0 }] };
    expect(() => encodeBatch(bad)).toThrow(InvalidSampleError);
    expect(() => encodeBatch(bad)).toThrow(expect.objectContaining({ index: 0, field: 'y' }));
  });

  it.each([
    ['sentAt', { sentAt: 2 ** 53 - 1 }],
    ['sentAt', { sentAt: 2 ** 52 + 1 }],
    ['sentAt', { sentAt: -1 }],
    ['sentAt', { sentAt: 1.5 }],
    ['deviceId', { deviceId: '' }],
    ['batchId', { batchId: 7 as unknown as string }],
    ['samples', { samples: 'none' as unknown as Batch['samples'] }],
  ])('rejects a bad %s with an InvalidOptionError naming it (%o)', (option, change) => {
    expect(() => encodeBatch({ ...batch, ...change })).toThrow(InvalidOptionError);
    expect(() => encodeBatch({ ...batch, ...change })).toThrow(expect.objectContaining({ option }));
  });

  it('accepts the largest sentAt it documents', () => {
    expect(decodeBatch(encodeBatch({ ...batch, sentAt: 2 ** 52 })).sentAt).toBe(2 ** 52);
  });

  it('rejects truncated, trailing, foreign and hostile bytes with a DecodeError', () => {
    const bytes = encodeBatch(batch);
    const hostile = encodeBatch({ ...batch, samples: [] });
    // count is the 4th field; bump it to a huge value without adding sample bytes.
    const huge = Uint8Array.from([
      ...hostile.subarray(0, hostile.length - 2),
      0xfe,
      0xff,
      0xff,
      0xff,
      0x0f,
      0x00,
    ]);
    for (const input of [
      bytes.subarray(0, bytes.length - 3),
      Uint8Array.from([...bytes, 1]),
      new Uint8Array([1, 2]),
      huge,
    ]) {
      expect(() => decodeBatch(input)).toThrow(DecodeError);
    }
  });
});

describe('isBatchBytes()', () => {
  it('recognises batch bytes only', () => {
    expect(isBatchBytes(encodeBatch(batch))).toBe(true);
    expect(isBatchBytes(encodeRow(packRows(batch.samples)[0]!))).toBe(false);
    expect(isBatchBytes(new TextEncoder().encode('{"deviceId":"d"}'))).toBe(false);
    expect(isBatchBytes(new Uint8Array(0))).toBe(false);
  });
});
