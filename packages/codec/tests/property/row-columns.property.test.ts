import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeRow,
  decodeRowColumns,
  decodeRowSteps,
  encodeRow,
  packRows,
  type Row,
  type Sample,
  SampleColumns,
} from '../../src/index.js';
import { rowOf, smoothRow, stepsOf } from '../helpers/factories.js';
import { attempt, fcParams, mutatedBytesArb, smoothSamplesArb, windowSamplesArb } from '../helpers/fc.js';

const RESOLUTIONS = [0.001, 0.0005, 0.01, 0.000244, 1] as const;

/** The columns' samples `[from, to)` as plain objects, for comparison with `decodeRow`. */
function samplesOf(columns: SampleColumns, from = 0, to = columns.length): Sample[] {
  const out: Sample[] = [];
  for (let i = from; i < to; i++) {
    out.push({ t: columns.t[i]!, x: columns.x[i]!, y: columns.y[i]!, z: columns.z[i]! });
  }
  return out;
}

/** Exact equality, -0 and 0 told apart (toEqual would also do so; this names the field that differs). */
function expectSameSamples(actual: Sample[], expected: readonly Sample[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((s, i) => {
    const e = expected[i]!;
    for (const k of ['t', 'x', 'y', 'z'] as const) {
      if (!Object.is(s[k], e[k]))
        expect({ index: i, field: k, value: s[k] }).toEqual({ index: i, field: k, value: e[k] });
    }
  });
}

const rowArb: fc.Arbitrary<Row> = fc
  .oneof(
    fc
      .tuple(windowSamplesArb(100), fc.constantFrom(...RESOLUTIONS))
      .map(([w, resolution]) => packRows(w.samples, { windowSeconds: w.windowSeconds, resolution })),
    smoothSamplesArb(1, 50).map((samples) => packRows(samples)),
  )
  .chain((rows) =>
    rows.length > 0
      ? fc.constant(rows[0] as Row)
      : // An empty row: packRows makes none, but the format allows it.
        fc.constant<Row>(rowOf(0, [])),
  );

describe('decodeRowColumns() properties', () => {
  it('for any row, the columns equal decodeRow’s samples exactly, and the header its fields', () => {
    fc.assert(
      fc.property(rowArb, (row) => {
        const bytes = encodeRow(row);
        const expected = decodeRow(bytes);

        const { columns, header } = decodeRowColumns(bytes);

        expectSameSamples(samplesOf(columns), expected.samples);
        expect(header).toEqual({
          startMs: expected.startMs,
          windowSeconds: expected.windowSeconds,
          resolution: expected.resolution,
          count: expected.samples.length,
          duplicates: expected.duplicates,
          conflicts: expected.conflicts,
          first: 0,
        });
      }),
      fcParams,
    );
  });

  it('appends rows one after the other into one growing set of columns', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 8 }), fc.nat(300), (rows, capacity) => {
        const columns = new SampleColumns(capacity);
        const expected: Sample[] = [];
        for (const row of rows) {
          const bytes = encodeRow(row);
          const { header } = decodeRowColumns(bytes, columns);
          expect(header.first).toBe(expected.length);
          expected.push(...decodeRow(bytes).samples);
        }
        expect(columns.length).toBe(expected.length);
        expect(columns.capacity).toBeGreaterThanOrEqual(columns.length);
        expectSameSamples(samplesOf(columns), expected);
      }),
      fcParams,
    );
  });

  it('turns garbage into a DecodeError and leaves the rows decoded before it untouched', () => {
    const bytes = encodeRow(smoothRow());
    fc.assert(
      fc.property(mutatedBytesArb(bytes), fc.integer({ min: 1, max: 3 }), (input, before) => {
        const columns = new SampleColumns(0);
        for (let i = 0; i < before; i++) decodeRowColumns(bytes, columns);
        const kept = samplesOf(columns);
        // Where decodeRow rejects the bytes, decodeRowColumns must too, with a typed error and nothing appended.
        const decoded = attempt(() => decodeRow(input)).value;
        const { error } = attempt(() => decodeRowColumns(input, columns));
        if (decoded === undefined) {
          expect(error).toBeInstanceOf(DecodeError);
          expect(['DECODE_FAILED', 'UNKNOWN_SCHEMA']).toContain((error as DecodeError).code);
          expect(columns.length).toBe(kept.length);
          expectSameSamples(samplesOf(columns), kept);
        } else {
          expect(error).toBeUndefined();
          expectSameSamples(samplesOf(columns, 0, kept.length), kept);
          expectSameSamples(samplesOf(columns, kept.length), decoded.samples);
        }
      }),
      { ...fcParams, numRuns: fcParams.numRuns * 5 },
    );
  });
});

describe('decodeRowSteps() properties', () => {
  it('turns garbage into a DecodeError and leaves the RowSteps it was given holding no row', () => {
    const bytes = encodeRow(smoothRow());
    fc.assert(
      fc.property(mutatedBytesArb(bytes), (input) => {
        const into = decodeRowSteps(bytes);
        const { startMs, windowSeconds, resolutionMicroG, duplicates, conflicts } = into;
        // Where decodeRow rejects the bytes, decodeRowSteps must too.
        const decoded = attempt(() => decodeRow(input)).value;
        const { error } = attempt(() => decodeRowSteps(input, into));
        if (decoded === undefined) {
          expect(error).toBeInstanceOf(DecodeError);
          expect(['DECODE_FAILED', 'UNKNOWN_SCHEMA']).toContain((error as DecodeError).code);
          expect(into.count).toBe(0);
          expect(into).toMatchObject({ startMs, windowSeconds, resolutionMicroG, duplicates, conflicts });
        } else {
          expect(error).toBeUndefined();
          expect({
            ...into,
            offsets: into.offsets.subarray(0, into.count),
            x: into.x.subarray(0, into.count),
            y: into.y.subarray(0, into.count),
            z: into.z.subarray(0, into.count),
          }).toEqual(stepsOf(decoded));
        }
      }),
      { ...fcParams, numRuns: fcParams.numRuns * 5 },
    );
  });
});

describe('SampleColumns', () => {
  it('rejects a capacity that is not an integer >= 0', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => new SampleColumns(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', option: 'capacity' }),
      );
    }
  });

  it('clip() keeps the samples in [fromMs, toMs) of one sorted run and leaves those before it', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 60 })
          .map((ts) => ts.sort((a, b) => a - b)),
        fc.nat(5),
        fc.integer({ min: -10, max: 1010 }),
        fc.integer({ min: -10, max: 1010 }),
        (times, head, fromMs, toMs) => {
          const columns = new SampleColumns(0);
          columns.reserve(head + times.length);
          for (let i = 0; i < head; i++) columns.t[i] = -1 - i;
          times.forEach((t, i) => {
            columns.t[head + i] = t;
            columns.x[head + i] = t / 1000;
          });
          columns.length = head + times.length;

          const kept = columns.clip(head, fromMs, toMs);

          const expected = times.filter((t) => t >= fromMs && t < toMs);
          expect(kept).toBe(expected.length);
          expect(columns.length).toBe(head + kept);
          expect([...columns.views().t]).toEqual([
            ...Array.from({ length: head }, (_, i) => -1 - i),
            ...expected,
          ]);
          expect([...columns.views().x.subarray(head)]).toEqual(expected.map((t) => t / 1000));
        },
      ),
      fcParams,
    );
  });

  it('trim() shrinks the capacity to the valid samples and keeps them', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 200 }), fc.nat(100), (values, spare) => {
        const columns = new SampleColumns(values.length + spare);
        values.forEach((v, i) => {
          columns.t[i] = i;
          columns.x[i] = v;
          columns.y[i] = -v;
          columns.z[i] = 2 * v;
        });
        columns.length = values.length;

        columns.trim();

        expect(columns.capacity).toBe(values.length);
        expect([...columns.x]).toEqual(values);
        expect([...columns.z]).toEqual(values.map((v) => 2 * v));
      }),
      fcParams,
    );
  });

  it('clear() keeps the capacity; views() are the valid part', () => {
    const columns = new SampleColumns(4);
    columns.reserve(10);
    columns.length = 3;
    expect(columns.views().t).toHaveLength(3);
    const capacity = columns.capacity;
    columns.clear();
    expect(columns.length).toBe(0);
    expect(columns.capacity).toBe(capacity);
  });
});
