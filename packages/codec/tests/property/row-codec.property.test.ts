import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRowV1 } from '../../src/encode.js';
import {
  DecodeError,
  decodeRow,
  decodeRowSteps,
  encodeRow,
  encodeRowSteps,
  InvalidSampleError,
  isCodecError,
  metadataAttributes,
  packRows,
  type Row,
  type RowMetadata,
  type RowSteps,
  toItem,
  unpackRows,
  writeUnits,
} from '../../src/index.js';
import { MAX_QUANTUM } from '../../src/quantize.js';
import { rowOf, smoothRow, stepsOf } from '../helpers/factories.js';
import { fcParams, mutatedBytesArb, smoothSamplesArb, windowSamplesArb } from '../helpers/fc.js';

const RESOLUTIONS = [0.001, 0.0005, 0.01, 0.000244] as const;
const DEVICE_ID = `us-east-1:${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`.padEnd(64, 'x');

/** Checks the invariants every decoded row must satisfy. */
function expectValidRow(row: Row): void {
  const end = row.startMs + row.windowSeconds * 1000;
  let last = -1;
  for (const s of row.samples) {
    expect(s.t).toBeGreaterThan(last);
    expect(s.t).toBeGreaterThanOrEqual(row.startMs);
    expect(s.t).toBeLessThan(end);
    last = s.t;
  }
  expect(decodeRow(encodeRow(row))).toEqual(row);
}

describe('encodeRow() / decodeRow() properties', () => {
  it('encodeRowSteps writes the bytes of encodeRow, and decodeRowSteps reads its columns back, for any row', () => {
    const reused: RowSteps = stepsOf(rowOf(0, []));
    fc.assert(
      fc.property(windowSamplesArb(100), fc.constantFrom(...RESOLUTIONS), (w, resolution) => {
        for (const row of packRows(w.samples, { windowSeconds: w.windowSeconds, resolution })) {
          const steps = stepsOf(row);
          const bytes = encodeRowSteps(steps);
          expect(bytes).toEqual(encodeRow(row));
          expect(decodeRowSteps(bytes)).toEqual(steps);
          const into = decodeRowSteps(bytes, reused);
          expect(into).toBe(reused);
          expect(into.count).toBe(steps.count);
          expect(into.z.subarray(0, into.count)).toEqual(steps.z);
          expect(decodeRowSteps(encodeRowV1(row))).toEqual(steps);
        }
      }),
      fcParams,
    );
  });

  it('keep the bytes of every row returned intact while later rows are encoded into the same buffer', () => {
    fc.assert(
      fc.property(fc.array(windowSamplesArb(100), { minLength: 1, maxLength: 40 }), (windows) => {
        const rows = windows.flatMap((w) => packRows(w.samples, { windowSeconds: w.windowSeconds }));
        const kept = rows.map((row) => {
          const bytes = encodeRow(row);
          return { bytes, copy: bytes.slice() };
        });
        for (let i = 0; i < rows.length; i++) encodeRowSteps(stepsOf(rows[i] as Row));
        for (const { bytes, copy } of kept) expect(bytes).toEqual(copy);
        rows.forEach((row, i) => {
          expect(decodeRow((kept[i] as { bytes: Uint8Array }).bytes)).toEqual(decodeRow(encodeRow(row)));
        });
      }),
      fcParams,
    );
  });

  it('encodeRowSteps names the first bad sample of any row, and a rejected row leaves every other row intact', () => {
    const badValue = fc.constantFrom(MAX_QUANTUM + 1, -MAX_QUANTUM - 1, 2 ** 31 - 1, -(2 ** 31));
    const fault = fc.oneof(
      fc.record({ kind: fc.constant('repeat' as const) }),
      fc.record({ kind: fc.constant('past' as const) }),
      fc.record({ kind: fc.constant('negative' as const) }),
      fc.record({
        kind: fc.constant('value' as const),
        axis: fc.constantFrom('x' as const, 'y', 'z'),
        v: badValue,
      }),
    );
    fc.assert(
      fc.property(windowSamplesArb(100), fault, fc.nat(), (w, f, pick) => {
        const rows = packRows(w.samples, { windowSeconds: w.windowSeconds });
        fc.pre(rows.length === 1 && (rows[0] as Row).samples.length >= 2);
        const row = rows[0] as Row;
        const n = row.samples.length;
        // A time fault needs an earlier sample to repeat; a negative offset only fits the first sample.
        const i = f.kind === 'negative' ? 0 : f.kind === 'value' ? pick % n : 1 + (pick % (n - 1));
        const before = encodeRow(row);
        const copy = before.slice();
        const bad = stepsOf(row);
        const windowMs = row.windowSeconds * 1000;
        if (f.kind === 'repeat') bad.offsets[i] = bad.offsets[i - 1] as number;
        else if (f.kind === 'past') bad.offsets[i] = windowMs;
        else if (f.kind === 'negative') bad.offsets[i] = -1;
        else bad[f.axis][i] = f.v;

        let thrown: unknown;
        try {
          encodeRowSteps(bad);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(InvalidSampleError);
        expect(thrown).toMatchObject({
          code: f.kind === 'value' ? 'OUT_OF_RANGE' : 'INVALID_SAMPLE',
          // A time past the window at i also puts every later sample out of order; i is still the first.
          index: i,
          field: f.kind === 'value' ? f.axis : 't',
        });
        // The row encoded before is untouched, and the same row, valid again, encodes as before.
        expect(before).toEqual(copy);
        const after = encodeRowSteps(stepsOf(row));
        expect(after).toEqual(copy);
        expect(decodeRow(after)).toEqual(row);
      }),
      fcParams,
    );
  });

  it('round-trip any window at up to 100 Hz within half the resolution', () => {
    fc.assert(
      fc.property(windowSamplesArb(100), fc.constantFrom(...RESOLUTIONS), (w, resolution) => {
        const rows = packRows(w.samples, { windowSeconds: w.windowSeconds, resolution });
        expect(rows.length).toBeLessThanOrEqual(1);
        for (const row of rows) {
          const decoded = decodeRow(encodeRow(row));
          expect(decoded).toEqual(row);
          expect(decodeRow(encodeRowV1(row))).toEqual(row);
        }
        const byTime = new Map(w.samples.map((s) => [s.t, s]));
        for (const s of unpackRows(rows)) {
          const original = byTime.get(s.t);
          expect(original).toBeDefined();
          for (const axis of ['x', 'y', 'z'] as const) {
            expect(Math.abs(s[axis] - (original?.[axis] ?? Number.NaN))).toBeLessThanOrEqual(
              resolution / 2 + 1e-12,
            );
          }
        }
      }),
      fcParams,
    );
  });

  it('round-trip smooth sensor-like series exactly', () => {
    fc.assert(
      fc.property(smoothSamplesArb(1, 50), (samples) => {
        for (const row of packRows(samples)) expect(decodeRow(encodeRow(row))).toEqual(row);
      }),
      fcParams,
    );
  });

  it('fit a one-second row at up to 100 Hz in one write unit, even for full-range noise and jitter', () => {
    // Audit times up to ±300 years from the window start (negative: a skewed clock), so their N values
    // take the most digits and the sign byte.
    const relativeMs = fc.option(fc.integer({ min: -1e13, max: 1e13 }), { nil: undefined });
    const metadataArb = fc.record({ c: relativeMs, m: relativeMs, a: relativeMs });
    fc.assert(
      fc.property(
        windowSamplesArb(100, 16, [1]),
        fc.integer({ min: 0, max: 0x7fffffff }),
        metadataArb,
        (w, counts, { c, m, a }) => {
          for (const row of packRows(w.samples, { windowSeconds: 1 })) {
            const worst = { ...row, duplicates: counts, conflicts: counts };
            const metadata: RowMetadata = {};
            if (c !== undefined) metadata.firstWrittenMs = row.startMs + c;
            if (m !== undefined) metadata.lastMergedMs = row.startMs + m;
            if (a !== undefined) metadata.arrivalMs = row.startMs + a;
            const item = {
              ...toItem(DEVICE_ID, worst, { expiresAt: 9_999_999_999 }),
              ...metadataAttributes(row.startMs, metadata),
            };
            expect(writeUnits(item)).toBe(1);
          }
        },
      ),
      { ...fcParams, examples: [] },
    );
    // The largest case spelled out: 100 samples of ±16 g noise, every audit time present and longest.
    const noise = Array.from({ length: 100 }, (_, i) => ({
      t: 1_700_000_000_000 + i * 10 + (i % 3),
      x: i % 2 === 0 ? 15.999 : -15.999,
      y: i % 2 === 0 ? -15.999 : 15.999,
      z: ((i * 7919) % 32_000) / 1000 - 16,
    }));
    const [row] = packRows(noise);
    const full = {
      ...toItem(
        DEVICE_ID,
        { ...row!, duplicates: 0x7fffffff, conflicts: 0x7fffffff },
        { expiresAt: 9_999_999_999 },
      ),
      ...metadataAttributes(row!.startMs, {
        firstWrittenMs: row!.startMs - 9_999_999_999_999,
        lastMergedMs: row!.startMs - 9_999_999_999_998,
        arrivalMs: row!.startMs - 9_999_999_999_997,
      }),
    };
    expect(Object.keys(full).sort()).toEqual(['a', 'c', 'd', 'm', 'p', 's', 'x']);
    expect(writeUnits(full)).toBe(1);
  });

  it.each([
    ['v2', encodeRow, false],
    ['v2 (jittery clock)', encodeRow, true],
    ['v1', encodeRowV1, false],
    ['v1 (jittery clock)', encodeRowV1, true],
  ] as const)('turn random or mutated %s bytes into a typed error or a valid row', (_, encode, jitter) => {
    const bytes = encode(smoothRow(jitter));
    fc.assert(
      fc.property(mutatedBytesArb(bytes), (input) => {
        let row: Row | undefined;
        try {
          row = decodeRow(input);
        } catch (error) {
          expect(isCodecError(error)).toBe(true);
          expect(error).toBeInstanceOf(DecodeError);
          expect(['DECODE_FAILED', 'UNKNOWN_SCHEMA']).toContain((error as DecodeError).code);
          return;
        }
        expectValidRow(row);
      }),
      { ...fcParams, numRuns: fcParams.numRuns * 5 },
    );
  });
});
