/**
 * The codec beside general-purpose encodings, in one process, on the same quantized rows of each recording
 * (1 s windows, 1 mg): plain Avro int arrays (avsc), msgpackr, cbor-x, JSON, brotli q11 (node:zlib) and the
 * zero-order entropy floor. Every other scheme gets the same integers the codec stores, already delta coded
 * (time offsets as intervals, each axis as first differences), so the comparison is of the coding alone.
 *
 * Speed is samples per CPU-second, each side paying for the collection of its own garbage; each repetition
 * measures a scheme and plain avsc int arrays as avsc, scheme, scheme, avsc (`pairedRates`) and keeps their ratio; the table prints the median ratio and its range over the repetitions, so load from other
 * processes moves both sides of a ratio alike.
 */
import { loadavg } from 'node:os';
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import avsc from 'avsc';
import { decode as cborDecode, encode as cborEncode } from 'cbor-x';
import { pack, unpack } from 'msgpackr';
import { encodeRowV1 } from '../src/encode.js';
import {
  decodeRow,
  decodeRowColumns,
  decodeRowSteps,
  encodeRow,
  encodeRowSteps,
  itemSize,
  packRows,
  type Row,
  type Sample,
  SampleColumns,
  type SizedItem,
  toItem,
  writeUnits,
} from '../src/index.js';
import { quantize } from '../src/quantize.js';
import { stepsOf } from '../tests/helpers/factories.js';
import { pairedRates } from './cpu-rate.js';

/** One row as the other schemes get it: the codec's integers, delta coded. */
interface IntRow {
  s: number;
  t: number[];
  x: number[];
  y: number[];
  z: number[];
}

const INT_ROW = avsc.Type.forSchema({
  type: 'record',
  name: 'IntRow',
  fields: [
    { name: 's', type: 'long' },
    { name: 't', type: { type: 'array', items: 'int' } },
    { name: 'x', type: { type: 'array', items: 'int' } },
    { name: 'y', type: { type: 'array', items: 'int' } },
    { name: 'z', type: { type: 'array', items: 'int' } },
  ],
});

function deltas(values: number[]): number[] {
  return values.map((v, i) => (i === 0 ? v : v - (values[i - 1] as number)));
}

function intRow(row: Row): IntRow {
  const q = (v: number) => quantize(v, row.resolution);
  return {
    s: row.startMs / 1000,
    t: deltas(row.samples.map((s) => s.t - row.startMs)),
    x: deltas(row.samples.map((s) => q(s.x))),
    y: deltas(row.samples.map((s) => q(s.y))),
    z: deltas(row.samples.map((s) => q(s.z))),
  };
}

function entropyBits(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let bits = 0;
  for (const c of counts.values()) bits -= c * Math.log2(c / values.length);
  return bits;
}

/**
 * Zero-order entropy floor of a recording, in bytes: the entropy of the histogram of its time intervals
 * plus that of each axis's first differences at 1 mg, over the whole recording (no per-row framing).
 */
export function entropyFloorBytes(samples: readonly Sample[]): number {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const diffs: number[][] = [[], [], [], []];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as Sample;
    const b = sorted[i] as Sample;
    diffs[0]?.push(b.t - a.t);
    diffs[1]?.push(quantize(b.x, 0.001) - quantize(a.x, 0.001));
    diffs[2]?.push(quantize(b.y, 0.001) - quantize(a.y, 0.001));
    diffs[3]?.push(quantize(b.z, 0.001) - quantize(a.z, 0.001));
  }
  return diffs.reduce((sum, d) => sum + entropyBits(d), 0) / 8;
}

interface Scheme {
  name: string;
  /** Encoded bytes of every row. */
  encodeAll(): Uint8Array[];
  encode(): void;
  decode(encoded: readonly Uint8Array[]): void;
}

function schemes(rows: readonly Row[], ints: readonly IntRow[]): Scheme[] {
  const steps = rows.map(stepsOf);
  const reused = stepsOf(rows[0] as Row);
  const json = new TextEncoder();
  const text = new TextDecoder();
  const columns = new SampleColumns();
  const brotli = {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: 16 },
  };
  return [
    {
      name: 'codec encodeRow / decodeRow (objects)',
      encodeAll: () => rows.map(encodeRow),
      encode: () => {
        for (const row of rows) encodeRow(row);
      },
      decode: (encoded) => {
        for (const bytes of encoded) decodeRow(bytes);
      },
    },
    {
      name: 'codec encodeRow / decodeRowColumns (Float64)',
      encodeAll: () => rows.map(encodeRow),
      encode: () => {
        for (const row of rows) encodeRow(row);
      },
      decode: (encoded) => {
        columns.clear();
        for (const bytes of encoded) decodeRowColumns(bytes, columns);
      },
    },
    {
      name: 'codec encodeRowSteps / decodeRowSteps (Int32)',
      encodeAll: () => steps.map(encodeRowSteps),
      encode: () => {
        for (const r of steps) encodeRowSteps(r);
      },
      decode: (encoded) => {
        for (const bytes of encoded) decodeRowSteps(bytes, reused);
      },
    },
    {
      name: 'avsc int arrays',
      encodeAll: () => ints.map((r) => INT_ROW.toBuffer(r)),
      encode: () => {
        for (const r of ints) INT_ROW.toBuffer(r);
      },
      decode: (encoded) => {
        for (const bytes of encoded) INT_ROW.fromBuffer(bytes as Buffer);
      },
    },
    {
      name: 'msgpackr',
      encodeAll: () => ints.map((r) => pack(r)),
      encode: () => {
        for (const r of ints) pack(r);
      },
      decode: (encoded) => {
        for (const bytes of encoded) unpack(bytes);
      },
    },
    {
      name: 'cbor-x',
      encodeAll: () => ints.map((r) => cborEncode(r)),
      encode: () => {
        for (const r of ints) cborEncode(r);
      },
      decode: (encoded) => {
        for (const bytes of encoded) cborDecode(bytes);
      },
    },
    {
      name: 'JSON',
      encodeAll: () => ints.map((r) => json.encode(JSON.stringify(r))),
      encode: () => {
        for (const r of ints) json.encode(JSON.stringify(r));
      },
      decode: (encoded) => {
        for (const bytes of encoded) JSON.parse(text.decode(bytes));
      },
    },
    {
      name: 'brotli q11 of avsc int arrays',
      encodeAll: () => ints.map((r) => brotliCompressSync(INT_ROW.toBuffer(r), brotli)),
      encode: () => {
        for (const r of ints) brotliCompressSync(INT_ROW.toBuffer(r), brotli);
      },
      decode: (encoded) => {
        for (const bytes of encoded) INT_ROW.fromBuffer(brotliDecompressSync(bytes));
      },
    },
  ];
}

/** The index of the plain-Avro scheme every speed ratio is relative to. */
const PEER = 3;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function ratioCell(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return `${median(values).toFixed(2)}x (${lo.toFixed(2)}–${hi.toFixed(2)})`;
}

function printTable(rows: string[][]): void {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  rows.forEach((r, i) => {
    console.log(
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

/**
 * The recording at twice its rate: a sample is inserted midway (time floored, values averaged) between
 * neighbours closer than 2.5 times the median interval. None of the recordings is at 100 Hz; doubling a
 * 50 Hz one gives rows of about the size 100 Hz data of the same motion would have (smoother steps, twice
 * the samples; a real 100 Hz sensor's noise is not averaged, so its rows would rather be larger).
 */
function doubled(samples: readonly Sample[]): Sample[] {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const gaps = sorted
    .slice(1)
    .map((s, i) => s.t - (sorted[i] as Sample).t)
    .sort((a, b) => a - b);
  const medianGap = gaps[gaps.length >> 1] ?? 0;
  const out: Sample[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as Sample;
    out.push(a);
    const b = sorted[i + 1];
    if (b !== undefined && b.t - a.t >= 2 && b.t - a.t <= 2.5 * medianGap) {
      out.push({
        t: Math.floor((a.t + b.t) / 2),
        x: (a.x + b.x) / 2,
        y: (a.y + b.y) / 2,
        z: (a.z + b.z) / 2,
      });
    }
  }
  return out;
}

/** The same device id and TTL as the main bench: the longest id expected (46 characters). */
const DEVICE_ID = 'us-east-1:8c6b2e1a-0f3d-4b7e-9a51-2d4c6e8f0a1b';

/** Bytes of one write unit (DynamoDB bills a put per started KB). */
const UNIT_BYTES = 1024;

/**
 * Prints what rows of the recording doubled to 100 Hz ({@link doubled}) cost to write at 1 mg, per window of
 * 1, 2 and 4 s: the largest item, the rows over one write unit and the write units per second of data (v1
 * beside v2 at 4 s). Then, for the 4 s rows, each row's own zero-order entropy of its time intervals and first
 * differences against the bytes the row may take to stay in one unit (1,024 minus its keys and attributes):
 * a row whose floor is over that budget stays out of one unit for any coder that codes the first differences
 * independently of each other at this resolution (the codec's slope predictor gains a few percent at most).
 */
function hundredHzProxy(samples: readonly Sample[]): void {
  const fast = doubled(samples);
  const table: string[][] = [
    ['100 Hz proxy, 1 mg', 'rows', 'samples max', 'item B max', 'rows over 1 unit', 'units / s of data'],
  ];
  const line = (label: string, windowSeconds: 1 | 2 | 4, rows: readonly Row[], items: SizedItem[]) => {
    const units = items.reduce((sum, item) => sum + writeUnits(item), 0);
    table.push([
      label,
      String(items.length),
      String(Math.max(...rows.map((r) => r.samples.length))),
      String(Math.max(...items.map(itemSize))),
      String(items.filter((item) => writeUnits(item) > 1).length),
      (units / (items.length * windowSeconds)).toFixed(3),
    ]);
  };
  let rows4: Row[] = [];
  for (const windowSeconds of [1, 2, 4] as const) {
    const rows = packRows(fast, { windowSeconds });
    line(`${windowSeconds} s rows`, windowSeconds, rows, rows.map(itemOf));
    if (windowSeconds === 4) {
      rows4 = rows;
      line(
        '4 s rows, v1',
        4,
        rows,
        rows.map((row) => ({ ...itemOf(row), p: { B: encodeRowV1(row) } })),
      );
    }
  }
  console.log('');
  printTable(table);
  const budgets = rows4.map((row) => {
    const bytes = encodeRow(row).length;
    return {
      bytes,
      budget: UNIT_BYTES - (itemSize(itemOf(row)) - bytes),
      floor: entropyFloorBytes(row.samples),
    };
  });
  const over = budgets.filter((b) => b.floor > b.budget);
  const missed = budgets.filter((b) => b.bytes > b.budget && b.floor <= b.budget);
  const ratios = budgets.filter((b) => b.bytes > b.budget).map((b) => b.bytes / b.floor);
  const range = (values: number[], digits: number) =>
    `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  const overUnit =
    ratios.length === 0
      ? 'no row is over one unit'
      : `the rows over one unit take ${range(ratios, 3)}x their floor; rows over one unit though their floor fits: ${missed.length}`;
  console.log(
    `4 s rows: one unit leaves ${range(
      budgets.map((b) => b.budget),
      0,
    )} B for the row; each row's own floor (zero-order entropy of its intervals and first differences) is over that budget in ${over.length} of ${budgets.length} rows; ${overUnit}.`,
  );
}

/** The item of `row` as the store writes it, with the longest device id expected. */
function itemOf(row: Row): SizedItem {
  return toItem(DEVICE_ID, row, { expiresAt: 2_000_000_000 });
}

/** Options of {@link sideBySide}. */
export interface SideBySideOptions {
  /** CPU ms per speed measurement. */
  ms: number;
  /** Repetitions of each codec / avsc pair of measurements. */
  reps: number;
}

/**
 * Prints, per recording, size (B/sample and ratio to the floor) and speed (samples per CPU-second, and the
 * median ratio per repetition to plain avsc int arrays) of every scheme, with the load average.
 */
export function sideBySide(
  corpus: readonly { name: string; samples: Sample[] }[],
  { ms, reps }: SideBySideOptions,
): void {
  const before = loadavg();
  console.log(
    `\nSide by side on the same quantized rows (1 s windows, 1 mg); ${reps} repetitions of ${ms} CPU-ms per measurement; load average ${before.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    'B/sample: encoded bytes of every row / samples; xfloor: that over the zero-order entropy floor (per recording).',
  );
  console.log(
    'enc, dec: samples per CPU-second (median of the repetitions); vs avsc: this scheme / avsc int arrays, median',
  );
  console.log(
    '(min–max) of the ratios in each repetition (avsc, scheme, scheme, avsc; a full GC before each and inside its timing).',
  );
  console.log('Other schemes get the delta-coded integers.');
  for (const { name, samples } of corpus) {
    const rows = packRows(samples, { windowSeconds: 1 });
    const ints = rows.map(intRow);
    const n = rows.reduce((sum, r) => sum + r.samples.length, 0);
    const floor = entropyFloorBytes(samples) / samples.length;
    const all = schemes(rows, ints);
    const encoded = all.map((s) => s.encodeAll());
    const enc: number[][] = all.map(() => []);
    const dec: number[][] = all.map(() => []);
    const encRatio: number[][] = all.map(() => []);
    const decRatio: number[][] = all.map(() => []);
    for (let rep = 0; rep < reps; rep++) {
      for (let i = 0; i < all.length; i++) {
        const scheme = all[i] as Scheme;
        const peer = all[PEER] as Scheme;
        const bytes = encoded[i] as Uint8Array[];
        const peerBytes = encoded[PEER] as Uint8Array[];
        // Brotli q11 is ~1000x slower; a fraction of the budget is plenty to measure it.
        const budget = scheme.name.startsWith('brotli') ? ms / 4 : ms;
        const [pe, e] = pairedRates(
          () => peer.encode(),
          () => scheme.encode(),
          budget,
          2,
        ).map((r) => r * n) as [number, number];
        const [pd, d] = pairedRates(
          () => peer.decode(peerBytes),
          () => scheme.decode(bytes),
          budget,
          2,
        ).map((r) => r * n) as [number, number];
        enc[i]?.push(e);
        dec[i]?.push(d);
        encRatio[i]?.push(e / pe);
        decRatio[i]?.push(d / pd);
      }
    }
    const table: string[][] = [
      ['scheme', 'B/sample', 'xfloor', 'enc/s', 'enc vs avsc', 'dec/s', 'dec vs avsc'],
    ];
    all.forEach((scheme, i) => {
      const size = (encoded[i] as Uint8Array[]).reduce((sum, b) => sum + b.length, 0) / n;
      table.push([
        scheme.name,
        size.toFixed(3),
        `${(size / floor).toFixed(3)}x`,
        `${(median(enc[i] as number[]) / 1e6).toFixed(2)} M`,
        ratioCell(encRatio[i] as number[]),
        `${(median(dec[i] as number[]) / 1e6).toFixed(2)} M`,
        ratioCell(decRatio[i] as number[]),
      ]);
    });
    table.push(['zero-order entropy floor', floor.toFixed(3), '1.000x', '', '', '', '']);
    console.log(`\n${name}: ${rows.length} rows, ${n} samples`);
    printTable(table);
    hundredHzProxy(samples);
  }
  const after = loadavg();
  console.log(`\nload average after: ${after.map((l) => l.toFixed(2)).join(' ')}`);
}
