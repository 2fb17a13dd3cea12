import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../src/bits.js';
import { encodeRowV1 } from '../../src/encode.js';
import {
  DecodeError,
  decodeRow,
  decodeRowSteps,
  encodeRow,
  encodeRowSteps,
  InvalidOptionError,
  InvalidSampleError,
  itemSize,
  packRows,
  ROW_SCHEMA_FINGERPRINT,
  ROW_V2_SCHEMA_ID,
  toItem,
  writeUnits,
} from '../../src/index.js';
import { bitLength, FIRST_VALUE_K, writeRiceValue, zigzag } from '../../src/row-bits.js';
import { TIME_RICE } from '../../src/row-bits-v2.js';
import { emptyHeaderV2, writeHeaderV2 } from '../../src/row-header-v2.js';
import { rowType } from '../../src/row-type.js';
import { regularSamples, rowOf } from '../helpers/factories.js';

const T0 = 1_700_000_000_000;

describe('encodeRow()', () => {
  it('writes v2: the schema id in the top three bits of the first byte, no flags for a 1 s, 1 mg row', () => {
    const bytes = encodeRow(rowOf(T0, regularSamples(T0, 50, 50)));
    expect(bytes[0]! >>> 5).toBe(ROW_V2_SCHEMA_ID);
    expect(bytes[0]! & 0x1f).toBe(0);
    // startSeconds, 4 bytes big-endian, then count 50 and period 20 as varints.
    expect([...bytes.subarray(1, 7)]).toEqual([0x65, 0x53, 0xf1, 0x00, 50, 20]);
  });

  it('sets a flag and writes the field for each non-default window, resolution and count', () => {
    const row = {
      ...rowOf(T0, [{ t: T0 + 1, x: 0, y: 0, z: 1 }], { duplicates: 3, conflicts: 300 }),
      windowSeconds: 5 as const,
      resolution: 0.0005,
    };
    const bytes = encodeRow(row);
    expect(bytes[0]! & 0x1f).toBe(0x0f);
    // startSeconds, window 5, resolution 500 µg (F4 03), count 1, duplicates 3, conflicts 300 (AC 02).
    expect([...bytes.subarray(5, 13)]).toEqual([5, 0xf4, 0x03, 1, 3, 0xac, 0x02, bytes[12]]);
    expect(decodeRow(bytes)).toEqual(row);
  });

  it('writes v1 rows (version 1 writer, kept for tests) starting with C3 01 and the schema fingerprint, little-endian', () => {
    const bytes = encodeRowV1(rowOf(T0, regularSamples(T0, 50, 50)));
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
    for (const row of rows) {
      expect(decodeRow(encodeRow(row))).toEqual(row);
      expect(decodeRow(encodeRowV1(row))).toEqual(row);
    }
  });

  it('is smaller than v1 by the framing: 17 bytes per row for a 1 s, 1 mg row', () => {
    const row = rowOf(T0, regularSamples(T0, 50, 50));
    expect(encodeRowV1(row).length - encodeRow(row).length).toBeGreaterThanOrEqual(17);
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
    expect(decodeRow(encodeRowV1(row))).toEqual(row);
    expect(itemSize(item)).toBeLessThanOrEqual(1024);
    expect(writeUnits(item)).toBe(1);
  });
});

/** Re-encodes the Avro record of v1 `bytes` with another `count` (the data stays as it is). */
function withCount(bytes: Uint8Array, count: number): Uint8Array {
  const record = rowType.decode(bytes, 'row');
  return rowType.encode({ ...record, count });
}

/** A v2 row of 50 samples with its count varint (byte 5) replaced by the varint of `count`. */
function withCountV2(bytes: Uint8Array, count: number): Uint8Array {
  const varint: number[] = [];
  for (let v = count; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      varint.push(v);
      break;
    }
    varint.push((v % 128) | 128);
  }
  return new Uint8Array([...bytes.subarray(0, 5), ...varint, ...bytes.subarray(6)]);
}

describe('decodeRow()', () => {
  const v1 = encodeRowV1(rowOf(T0, regularSamples(T0, 50, 50)));
  const bytes = encodeRow(rowOf(T0, regularSamples(T0, 50, 50)));

  it.each([
    ['truncated v1', v1.subarray(0, v1.length - 1), 'DECODE_FAILED'],
    ['trailing v1', new Uint8Array([...v1, 0]), 'DECODE_FAILED'],
    ['unknown v1 schema', new Uint8Array([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0]), 'UNKNOWN_SCHEMA'],
    ['hostile v1 sample count', withCount(v1, 1001), 'DECODE_FAILED'],
    [
      'hostile v1 bytes length',
      new Uint8Array([...v1.subarray(0, v1.length - 1), 0xff, 0xff, 0xff, 0xff, 0x0f]),
      'DECODE_FAILED',
    ],
    ['later row schema id', new Uint8Array([0x80, ...bytes.subarray(1)]), 'UNKNOWN_SCHEMA'],
    ['v2 header cut short', bytes.subarray(0, 4), 'DECODE_FAILED'],
    ['hostile v2 sample count', withCountV2(bytes, 1001), 'DECODE_FAILED'],
    ['huge v2 sample count', withCountV2(bytes, 2 ** 40), 'DECODE_FAILED'],
    [
      'endless v2 varint',
      new Uint8Array([0xa0, 0, 0, 0, 0, ...new Array<number>(20).fill(0xff)]),
      'DECODE_FAILED',
    ],
  ])('rejects %s bytes with a DecodeError', (_, input, code) => {
    expect(() => decodeRow(input)).toThrow(DecodeError);
    expect(() => decodeRow(input)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['truncated', bytes.subarray(0, bytes.length - 1), 'DECODE_FAILED'],
    ['trailing', new Uint8Array([...bytes, 0]), 'DECODE_FAILED'],
    ['foreign', new TextEncoder().encode('{"deviceId":"x"}'), 'DECODE_FAILED'],
    ['empty', new Uint8Array(0), 'DECODE_FAILED'],
  ])('rejects %s bytes with a DecodeError', (_, input, code) => {
    expect(() => decodeRow(input)).toThrow(DecodeError);
    expect(() => decodeRow(input)).toThrow(expect.objectContaining({ code }));
  });
});

describe('decodeRow() of hand-written v2 bit streams', () => {
  /**
   * A v2 row of five samples whose time section is Rice-coded with parameter 7 from `residuals` (each an
   * interval's difference from the 20 ms period, zigzag coded) and whose axes are constant 0 (fixed width 0).
   */
  function riceTimes(residuals: readonly number[]): Uint8Array {
    const w = new BitWriter(64);
    w.reset(64);
    writeHeaderV2(w, {
      ...emptyHeaderV2(),
      startSeconds: T0 / 1000,
      count: residuals.length + 1,
      periodMs: 20,
    });
    w.write(TIME_RICE, 2);
    writeRiceValue(w, 0, bitLength(20));
    w.write(7, 3);
    for (const r of residuals) writeRiceValue(w, zigzag(r), 7);
    for (let axis = 0; axis < 3; axis++) {
      w.write(1, 1);
      writeRiceValue(w, 0, FIRST_VALUE_K);
      w.write(0, 5);
    }
    return w.buf.slice(0, w.finish());
  }

  it('reads a valid one', () => {
    expect(decodeRow(riceTimes([0, 1, -1, 0])).samples.map((s) => s.t - T0)).toEqual([0, 20, 41, 60, 80]);
  });

  it.each([
    ['an offset before the previous one', [0, 0, -25, 0]],
    ['an offset equal to the previous one', [0, -20, 0, 0]],
    ['an offset past the window', [0, 0, 950, 0]],
  ])('rejects %s with a DecodeError', (_, residuals) => {
    expect(() => decodeRow(riceTimes(residuals))).toThrow(
      expect.objectContaining({ name: 'DecodeError', code: 'DECODE_FAILED' }),
    );
  });
});

describe('encodeRowSteps()', () => {
  const steps = () => ({
    startMs: T0,
    windowSeconds: 1 as const,
    resolutionMicroG: 1000,
    count: 2,
    duplicates: 0,
    conflicts: 0,
    offsets: Int32Array.of(0, 20),
    x: Int32Array.of(12, 15),
    y: Int32Array.of(-981, -979),
    z: Int32Array.of(34, 31),
  });

  it('encodes what encodeRow encodes for the same samples', () => {
    const row = rowOf(T0, [
      { t: T0, x: 0.012, y: -0.981, z: 0.034 },
      { t: T0 + 20, x: 0.015, y: -0.979, z: 0.031 },
    ]);
    expect(encodeRowSteps(steps())).toEqual(encodeRow(row));
  });

  it('round-trips axes stored in fixed width: 25-bit fields (the whole range), 24-bit ones and constants', () => {
    const count = 40;
    const full = (1 << 24) - 1;
    const row = {
      ...steps(),
      count,
      offsets: Int32Array.from({ length: count }, (_, i) => i * 25),
      x: Int32Array.from({ length: count }, (_, i) => (i % 2 === 0 ? full : -full)),
      y: Int32Array.from({ length: count }, (_, i) => (i % 2 === 0 ? (i * 7919) % (1 << 23) : -(1 << 23))),
      z: new Int32Array(count).fill(-full),
    };
    expect(decodeRowSteps(encodeRowSteps(row))).toEqual(row);
  });

  it.each([
    ['a start off the window grid', { startMs: T0 + 1 }, InvalidOptionError],
    ['a fractional resolution', { resolutionMicroG: 0.5 }, InvalidOptionError],
    ['a negative duplicate count', { duplicates: -1 }, InvalidOptionError],
    ['a count beyond the columns', { count: 3 }, InvalidSampleError],
    ['a Float64Array column', { x: Float64Array.of(1, 2) as unknown as Int32Array }, InvalidSampleError],
    ['times out of order', { offsets: Int32Array.of(20, 20) }, InvalidSampleError],
    ['a time past the window', { offsets: Int32Array.of(0, 1000) }, InvalidSampleError],
    ['a value beyond 2^24 - 1 steps', { z: Int32Array.of(0, 1 << 24) }, InvalidSampleError],
    // 9,007,199,254,740,000 + 992 ms is 2^53: not exact in a double, and readers reject the row.
    [
      'a time after 2^53 - 1 ms',
      { startMs: 9_007_199_254_740_000, offsets: Int32Array.of(0, 992) },
      InvalidSampleError,
    ],
  ])('rejects %s', (_, change, error) => {
    expect(() => encodeRowSteps({ ...steps(), ...change })).toThrow(error);
  });

  it('writes the last window of safe times up to its last safe millisecond', () => {
    const row = { ...steps(), startMs: 9_007_199_254_740_000, offsets: Int32Array.of(0, 991) };
    expect(decodeRowSteps(encodeRowSteps(row))).toEqual(row);
  });
});
