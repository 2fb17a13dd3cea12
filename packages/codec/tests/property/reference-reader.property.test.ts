import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRecording, recordingFiles, recordingsDir } from '@secondrow/devkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRowV1 } from '../../src/encode.js';
import {
  DecodeError,
  decodeRow,
  decodeRowSteps,
  encodeRow,
  encodeRowSteps,
  packRows,
  type RowSteps,
  WINDOW_SECONDS,
  type WindowSeconds,
} from '../../src/index.js';
import { MAX_QUANTUM } from '../../src/quantize.js';
import { attempt, mutatedBytesArb, NUM_RUNS, windowStartArb } from '../helpers/fc.js';

// Law: FORMAT.md is enough to read rows. reference/secondrow_row.py is a second reader, written from FORMAT.md
// and the schemas alone; for any bytes, it and this package agree: both reject (with the same code) or both
// accept with the same header fields, times and values.

const READER = fileURLToPath(new URL('../../reference/secondrow_row.py', import.meta.url));
const WRITER = fileURLToPath(new URL('../reference/write_rows.py', import.meta.url));
const fixture = (name: string) =>
  Uint8Array.from(
    Buffer.from(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8').trim(), 'hex'),
  );

/** The Python interpreter, or undefined when this machine has none (CI always has one: it fails there). */
const PYTHON = ['python3', 'python'].find(
  (cmd) => spawnSync(cmd, ['-c', 'import sys; assert sys.version_info >= (3, 9)']).status === 0,
);

/** What the reference reader prints for one row. */
type Reading =
  | {
      ok: true;
      version: 1 | 2;
      startMs: number;
      windowSeconds: number;
      resolutionMicroG: number;
      count: number;
      duplicates: number;
      conflicts: number;
      offsets: number[];
      x: number[];
      y: number[];
      z: number[];
    }
  | { ok: false; code: string; error: string };

/** Runs the reference reader once over `rows`, one hex line each. */
function readAll(rows: readonly Uint8Array[]): Reading[] {
  const run = spawnSync(PYTHON as string, [READER], {
    // Each row a line ending in a newline: an empty row is an empty line, even as the last one.
    input: rows.map((r) => `${Buffer.from(r).toString('hex')}\n`).join(''),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  // A traceback on stderr is a bug of the reader even when it turned the line into an error.
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  expect(lines.length).toBe(rows.length);
  return lines.map((l) => JSON.parse(l) as Reading);
}

/** What the second writer (tests/reference/write_rows.py) prints: a row with what it holds, or an edge row. */
type Written =
  | (Extract<Reading, { ok: true }> & { hex: string })
  | { hex: string; label: string; expect: 'ok' | 'DECODE_FAILED' | 'UNKNOWN_SCHEMA' };

/** Runs the second writer with `args`. */
function writeRows(args: string[]): Written[] {
  const run = spawnSync(PYTHON as string, [WRITER, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Written);
}

const bytesOf = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

/** This package's reading of `bytes`, in the reference reader's shape. */
function expected(bytes: Uint8Array): Reading {
  const { value, error } = attempt(() => decodeRowSteps(bytes));
  if (value === undefined) {
    expect(error).toBeInstanceOf(DecodeError);
    return { ok: false, code: (error as DecodeError).code, error: (error as Error).message };
  }
  const n = value.count;
  return {
    ok: true,
    // A v1 row opens with Avro's single-object marker (FORMAT.md §1.1).
    version: bytes[0] === 0xc3 ? 1 : 2,
    startMs: value.startMs,
    windowSeconds: value.windowSeconds,
    resolutionMicroG: value.resolutionMicroG,
    count: n,
    duplicates: value.duplicates,
    conflicts: value.conflicts,
    offsets: Array.from(value.offsets.subarray(0, n)),
    x: Array.from(value.x.subarray(0, n)),
    y: Array.from(value.y.subarray(0, n)),
    z: Array.from(value.z.subarray(0, n)),
  };
}

/** Checks that the reference reader reads every row of `rows` as this package does. */
function expectSameReadings(rows: readonly Uint8Array[]): void {
  const readings = readAll(rows);
  rows.forEach((bytes, i) => {
    const want = expected(bytes);
    const got = readings[i] as Reading;
    const hex = Buffer.from(bytes).toString('hex');
    if (want.ok) {
      expect({ row: i, hex, ...got }).toEqual({ row: i, hex, ...want, periodMs: expect.any(Number) });
    } else {
      expect({ row: i, hex, ok: got.ok, code: got.ok ? undefined : got.code }).toEqual({
        row: i,
        hex,
        ok: false,
        code: want.code,
      });
    }
  });
}

/** The same row in format v1 (as rows written before v2 are stored). */
function asV1(bytes: Uint8Array): Uint8Array {
  return encodeRowV1(decodeRow(bytes));
}

/** Sorted distinct offsets in `[0, windowMs)`: regular, jittery, regular but for a few, or anywhere. */
function offsetsArb(windowMs: number): fc.Arbitrary<number[]> {
  const maxCount = Math.min(windowMs, 600);
  const clocked = (jitter: fc.Arbitrary<number>) =>
    fc
      .record({
        first: fc.integer({ min: 0, max: 40 }),
        period: fc.integer({ min: 1, max: 100 }),
        count: fc.integer({ min: 1, max: maxCount }),
        jitter: fc.array(jitter, { minLength: maxCount, maxLength: maxCount }),
      })
      .map(({ first, period, count, jitter }) => {
        const out: number[] = [];
        let t = first;
        for (let i = 0; i < count && t < windowMs; i++) {
          if (out.length === 0 || t > (out[out.length - 1] as number)) out.push(t);
          t += Math.max(1, period + (jitter[i] as number));
        }
        return out;
      });
  return fc.oneof(
    clocked(fc.constant(0)),
    clocked(fc.integer({ min: -3, max: 3 })),
    clocked(fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, fc.integer({ min: -30, max: 300 }))),
    fc
      .uniqueArray(fc.integer({ min: 0, max: windowMs - 1 }), { maxLength: maxCount })
      .map((o) => o.sort((a, b) => a - b)),
  );
}

/** Values of one axis: a random walk with small or large steps, a constant, or anything in range. */
function axisArb(count: number): fc.Arbitrary<number[]> {
  const walk = (step: number) =>
    fc
      .record({
        start: fc.integer({ min: -MAX_QUANTUM, max: MAX_QUANTUM }),
        steps: fc.array(fc.integer({ min: -step, max: step }), { minLength: count, maxLength: count }),
      })
      .map(({ start, steps }) => {
        let v = start;
        return steps.map((s) => {
          v = Math.max(-MAX_QUANTUM, Math.min(MAX_QUANTUM, v + s));
          return v;
        });
      });
  return fc.oneof(
    walk(3),
    walk(60),
    walk(1 << 20),
    fc.integer({ min: -MAX_QUANTUM, max: MAX_QUANTUM }).map((v) => Array<number>(count).fill(v)),
    fc.array(fc.integer({ min: -MAX_QUANTUM, max: MAX_QUANTUM }), { minLength: count, maxLength: count }),
  );
}

/** Any valid row as integer columns, every header field and bit-stream mode of the format within reach. */
const stepsArb: fc.Arbitrary<RowSteps> = fc
  .constantFrom(...WINDOW_SECONDS)
  .chain((windowSeconds: WindowSeconds) =>
    fc.record({
      windowSeconds: fc.constant(windowSeconds),
      startMs: fc.oneof(
        windowStartArb(windowSeconds),
        // Beyond 2^40 s the start takes its wide form.
        fc.integer({ min: 0, max: Math.floor(9e12 / windowSeconds) }).map((w) => w * windowSeconds * 1000),
      ),
      resolutionMicroG: fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 1_000_000 })),
      duplicates: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0x7fffffff })),
      conflicts: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0x7fffffff })),
      offsets: offsetsArb(windowSeconds * 1000),
    }),
  )
  .chain((r) =>
    fc
      .tuple(axisArb(r.offsets.length), axisArb(r.offsets.length), axisArb(r.offsets.length))
      .map(([x, y, z]) => ({
        ...r,
        count: r.offsets.length,
        offsets: Int32Array.from(r.offsets),
        x: Int32Array.from(x),
        y: Int32Array.from(y),
        z: Int32Array.from(z),
      })),
  );

// A run spawns the reader once for a batch of rows, so each run checks many. A failure names its row and
// bytes; shrinking a batch would spawn the reader hundreds of times (minutes), so it is left out.
const RUNS = Math.max(5, Math.ceil(NUM_RUNS / 10));
const params = { numRuns: RUNS, endOnFailure: true };

describe.skipIf(PYTHON === undefined && !process.env.CI)('reference reader (FORMAT.md) properties', () => {
  it('reads the golden rows of both versions as this package does', () => {
    expectSameReadings([fixture('golden-row.hex'), fixture('golden-row-v2.hex')]);
  });

  it('reads no bytes as no row, alone, first or last in a batch', () => {
    const empty = new Uint8Array(0);
    for (const rows of [
      [empty],
      [empty, fixture('golden-row-v2.hex')],
      [fixture('golden-row-v2.hex'), empty],
    ]) {
      expectSameReadings(rows);
    }
  });

  it('reads every shipped recording, in both versions and every window length, as this package does', () => {
    const rows: Uint8Array[] = [];
    for (const file of recordingFiles(recordingsDir())) {
      const { samples } = readRecording(file);
      for (const windowSeconds of [1, 4, 60] as const) {
        for (const row of packRows(samples, { windowSeconds })) {
          const bytes = encodeRow(row).slice();
          rows.push(bytes, asV1(bytes));
        }
      }
    }
    expectSameReadings(rows);
  });

  it('reads any valid row of either version as this package does', () => {
    fc.assert(
      fc.property(fc.array(stepsArb, { minLength: 1, maxLength: 40 }), (all) => {
        const rows = all.flatMap((steps) => {
          const bytes = encodeRowSteps(steps).slice();
          return [bytes, asV1(bytes)];
        });
        // An empty row too: packRows makes none, but the format allows it.
        rows.push(
          encodeRow({
            startMs: 0,
            windowSeconds: 1,
            resolution: 0.001,
            samples: [],
            duplicates: 0,
            conflicts: 0,
          }).slice(),
        );
        expectSameReadings(rows);
      }),
      params,
    );
  });

  it('reads rows that a second writer (FORMAT.md) wrote in every mode the format allows, as it meant them', () => {
    // The codec's encoder picks the cheapest mode of each section; these rows also take the others.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const written = writeRows(['--seed', String(seed), '--count', '60']);
        const rows = written.map((w) => bytesOf(w.hex));
        written.forEach(({ hex, ...meant }, i) => {
          expect({ row: i, hex, ...expected(rows[i] as Uint8Array) }).toEqual({
            row: i,
            hex,
            ok: true,
            ...meant,
          });
        });
        expectSameReadings(rows);
      }),
      { ...params, numRuns: Math.max(3, Math.ceil(RUNS / 2)) },
    );
  });

  it('gives each edge row of the format the outcome the format gives it, as the reference reader does', () => {
    const edges = writeRows(['--edges']);
    expect(edges.length).toBeGreaterThan(40);
    for (const edge of edges) {
      if (!('label' in edge)) throw new Error('write_rows.py --edges printed a row without a label');
      const reading = expected(bytesOf(edge.hex));
      expect({ label: edge.label, outcome: reading.ok ? 'ok' : reading.code }).toEqual({
        label: edge.label,
        outcome: edge.expect,
      });
    }
    expectSameReadings(edges.map((e) => bytesOf(e.hex)));
  });

  it('rejects what this package rejects, with the same code, and reads alike what it accepts', () => {
    const bytesArb = stepsArb.chain((steps) => {
      const bytes = encodeRowSteps(steps).slice();
      return fc.oneof(mutatedBytesArb(bytes), mutatedBytesArb(asV1(bytes)));
    });
    fc.assert(
      fc.property(fc.array(bytesArb, { minLength: 1, maxLength: 60 }), (rows) => {
        expectSameReadings(rows);
      }),
      params,
    );
  });
});
