import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeRow,
  encodeRow,
  InvalidSampleError,
  itemSize,
  packRows,
  ROW_SCHEMA_FINGERPRINT,
  toItem,
  writeUnits,
} from '../../src/index.js';
import { rowType } from '../../src/row-type.js';
import { regularSamples, rowOf } from '../helpers/factories.js';

const T0 = 1_700_000_000_000;

describe('encodeRow()', () => {
  it('starts with C3 01 and the schema fingerprint, little-endian', () => {
    const bytes = encodeRow(rowOf(T0, regularSamples(T0, 50, 50)));
    const fp = [...bytes.subarray(2, 10)]
      .reverse()
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    expect([bytes[0], bytes[1]]).toEqual([0xc3, 0x01]);
    expect(fp).toBe(ROW_SCHEMA_FINGERPRINT);
  });

  it('round-trips rows of every shape', () => {
    const rows = [
      rowOf(T0, []),
      rowOf(T0, [{ t: T0 + 999, x: -16, y: 16, z: 0 }], { duplicates: 3, conflicts: 4 }),
      rowOf(T0, regularSamples(T0, 100, 100)),
      ...packRows(regularSamples(T0, 50, 3000), { windowSeconds: 60 }),
      ...packRows(regularSamples(T0, 1000, 5000), { windowSeconds: 5, resolution: 0.000001 }),
    ];
    for (const row of rows) expect(decodeRow(encodeRow(row))).toEqual(row);
  });

  it('rejects samples out of order or outside the window', () => {
    const s = { t: T0, x: 0, y: 0, z: 0 };
    expect(() => encodeRow(rowOf(T0, [s, s]))).toThrow(InvalidSampleError);
    expect(() => encodeRow(rowOf(T0, [{ ...s, t: T0 + 1000 }]))).toThrow(InvalidSampleError);
  });
});

describe('worst case', () => {
  it('keeps a 100 Hz second of full-range noise with jittery times in one write unit', () => {
    // Prepare: alternating ±16 g on every axis defeats prediction; irregular times defeat the period.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const samples = Array.from({ length: 100 }, (_, i) => ({
      t: T0 + i * 10 + Math.floor(random() * 10),
      x: i % 2 ? 16 : -16,
      y: random() * 32 - 16,
      z: -16 + (i % 3) * 16,
    }));
    const row = { ...packRows(samples)[0]!, duplicates: 0x7fffffff, conflicts: 0x7fffffff };
    expect(row.samples).toHaveLength(100);

    // Act
    const item = toItem('d'.repeat(64), row, { expiresAt: 9_999_999_999 });

    // Assess
    expect(decodeRow(encodeRow(row))).toEqual(row);
    expect(itemSize(item)).toBeLessThanOrEqual(1024);
    expect(writeUnits(item)).toBe(1);
  });
});

/** Re-encodes the Avro record of `bytes` with another `count` (the data stays as it is). */
function withCount(bytes: Uint8Array, count: number): Uint8Array {
  const record = rowType.decode(bytes, 'row');
  return rowType.encode({ ...record, count });
}

describe('decodeRow()', () => {
  const bytes = encodeRow(rowOf(T0, regularSamples(T0, 50, 50)));

  it.each([
    ['truncated', bytes.subarray(0, bytes.length - 1), 'DECODE_FAILED'],
    ['trailing', new Uint8Array([...bytes, 0]), 'DECODE_FAILED'],
    ['foreign', new TextEncoder().encode('{"deviceId":"x"}'), 'DECODE_FAILED'],
    ['empty', new Uint8Array(0), 'DECODE_FAILED'],
    ['unknown schema', new Uint8Array([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0]), 'UNKNOWN_SCHEMA'],
    ['hostile sample count', withCount(bytes, 1001), 'DECODE_FAILED'],
    [
      'hostile bytes length',
      new Uint8Array([...bytes.subarray(0, bytes.length - 1), 0xff, 0xff, 0xff, 0xff, 0x0f]),
      'DECODE_FAILED',
    ],
  ])('rejects %s bytes with a DecodeError', (_, input, code) => {
    expect(() => decodeRow(input)).toThrow(DecodeError);
    expect(() => decodeRow(input)).toThrow(expect.objectContaining({ code }));
  });
});
