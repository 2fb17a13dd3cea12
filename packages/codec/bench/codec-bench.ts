/**
 * Codec benchmark: compactness, DynamoDB cost and speed of secondrow rows against the 2015 pipeline
 * (one JSON item per sample), on real recordings.
 *
 *   pnpm --filter @secondrow/codec bench [path ...] [--ms 600] [--reps 5] [--side-by-side-only]
 *
 * First the codec beside plain Avro int arrays, msgpackr, cbor-x, JSON, brotli and the entropy floor on the
 * same rows (side-by-side.ts; `--side-by-side-only` stops after it), then the codec against the 2015 pipeline.
 *
 * The script runs node with `--expose-gc`, so the read-path section can measure retained memory after a
 * full collection (without it, that part is skipped).
 *
 * `path` is a directory of `t_ms,x,y,z` CSV files or a file (default: devkit's data/accel recordings).
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readRecording, recordingFiles, recordingsDir } from '@secondrow/devkit';
import {
  decodeRow,
  decodeRowColumns,
  encodeRow,
  itemSize,
  packRows,
  type Row,
  type Sample,
  SampleColumns,
  toItem,
  writeUnits,
} from '../src/index.js';
import { cpuMs, rate as rateFor } from './cpu-rate.js';
import { entropyFloorBytes, sideBySide } from './side-by-side.js';

/** A Cognito identity id: the longest device id we expect in production (46 characters). */
const DEVICE_ID = 'us-east-1:8c6b2e1a-0f3d-4b7e-9a51-2d4c6e8f0a1b';
const EXPIRES_AT = 2_000_000_000;

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ms: { type: 'string', default: '600' },
    reps: { type: 'string', default: '5' },
    'side-by-side-only': { type: 'boolean', default: false },
  },
});
const measureMs = Number(options.ms);

/** Calls per CPU-second of `fn` over about `--ms` of CPU time. */
const rate = (fn: () => void): number => rateFor(fn, measureMs);

/** The 2015 pipeline's record: one JSON document and one DynamoDB item per sample. */
function baselineItem(s: Sample, i: number) {
  return {
    userId: DEVICE_ID,
    id: `${DEVICE_ID}:${s.t}:${i}`,
    ts: s.t,
    x: s.x,
    y: s.y,
    z: s.z,
    type: 'accel',
  };
}

function baselineDynamoItem(doc: ReturnType<typeof baselineItem>) {
  return {
    userId: { S: doc.userId },
    id: { S: doc.id },
    ts: { N: String(doc.ts) },
    x: { N: String(doc.x) },
    y: { N: String(doc.y) },
    z: { N: String(doc.z) },
    type: { S: doc.type },
  };
}

interface Figures {
  samples: number;
  payloadBytes: number;
  /** Bytes of each row cut to its first sample: the single-object header, the record's fields and first values. */
  framingBytes: number;
  /** Rows the samples were packed into (1 s windows). */
  rows: number;
  floorBytes: number;
  itemBytesSum: number;
  items: number;
  itemBytesMax: number;
  deviceSeconds: number;
  wcu1: number;
  wcu4: number;
  /** Seconds to encode (decode) all samples once. */
  encodeSeconds: number;
  decodeSeconds: number;
}

function emptyFigures(): Figures {
  return {
    samples: 0,
    payloadBytes: 0,
    framingBytes: 0,
    rows: 0,
    floorBytes: 0,
    itemBytesSum: 0,
    items: 0,
    itemBytesMax: 0,
    deviceSeconds: 0,
    wcu1: 0,
    wcu4: 0,
    encodeSeconds: 0,
    decodeSeconds: 0,
  };
}

function add(total: Figures, f: Figures): void {
  for (const key of Object.keys(total) as (keyof Figures)[]) {
    total[key] = key === 'itemBytesMax' ? Math.max(total[key], f[key]) : total[key] + f[key];
  }
}

function measureSecondrow(samples: Sample[]): Figures {
  const rows1 = packRows(samples, { windowSeconds: 1 });
  const rows4 = packRows(samples, { windowSeconds: 4 });
  const n = rows1.reduce((sum, r) => sum + r.samples.length, 0);
  const encoded = rows1.map(encodeRow);
  const f = emptyFigures();
  f.samples = n;
  f.payloadBytes = encoded.reduce((sum, b) => sum + b.length, 0);
  f.framingBytes = rows1.reduce(
    (sum, r) => sum + encodeRow({ ...r, samples: r.samples.slice(0, 1) }).length,
    0,
  );
  f.rows = rows1.length;
  f.floorBytes = entropyFloorBytes(samples);
  f.deviceSeconds = rows1.length;
  for (const row of rows1) {
    const item = toItem(DEVICE_ID, row, { expiresAt: EXPIRES_AT });
    const size = itemSize(item);
    f.itemBytesSum += size;
    f.items++;
    f.itemBytesMax = Math.max(f.itemBytesMax, size);
    f.wcu1 += writeUnits(item);
  }
  for (const row of rows4) f.wcu4 += writeUnits(toItem(DEVICE_ID, row, { expiresAt: EXPIRES_AT }));
  f.encodeSeconds =
    1 /
    rate(() => {
      for (const row of rows1) encodeRow(row);
    });
  f.decodeSeconds =
    1 /
    rate(() => {
      for (const bytes of encoded) decodeRow(bytes);
    });
  return f;
}

function measureBaseline(samples: Sample[], deviceSeconds: number): Figures {
  const docs = samples.map(baselineItem);
  const json = docs.map((d) => JSON.stringify(d));
  const f = emptyFigures();
  f.samples = samples.length;
  f.payloadBytes = json.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  f.floorBytes = Number.NaN;
  f.deviceSeconds = deviceSeconds;
  for (const doc of docs) {
    const item = baselineDynamoItem(doc);
    const size = itemSize(item);
    f.itemBytesSum += size;
    f.items++;
    f.itemBytesMax = Math.max(f.itemBytesMax, size);
    f.wcu1 += writeUnits(item);
  }
  f.wcu4 = f.wcu1;
  f.encodeSeconds =
    1 /
    rate(() => {
      for (const d of docs) JSON.stringify(d);
    });
  f.decodeSeconds =
    1 /
    rate(() => {
      for (const s of json) JSON.parse(s);
    });
  return f;
}

const COLUMNS = [
  'file',
  'samples',
  'B/sample',
  'framing B/row',
  'rest B/sample',
  'floor B/s',
  'item mean',
  'item max',
  'WCU/dev-s 1s',
  'WCU/dev-s 4s',
  'encode/s',
  'decode/s',
] as const;

function mega(perSecond: number): string {
  return `${(perSecond / 1e6).toFixed(2)} M`;
}

function line(name: string, f: Figures): string[] {
  return [
    name,
    String(f.samples),
    (f.payloadBytes / f.samples).toFixed(3),
    f.rows === 0 ? '-' : (f.framingBytes / f.rows).toFixed(1),
    f.rows === 0 ? '-' : ((f.payloadBytes - f.framingBytes) / (f.samples - f.rows)).toFixed(3),
    Number.isNaN(f.floorBytes) ? '-' : (f.floorBytes / f.samples).toFixed(3),
    (f.itemBytesSum / f.items).toFixed(1),
    String(f.itemBytesMax),
    (f.wcu1 / f.deviceSeconds).toFixed(3),
    (f.wcu4 / f.deviceSeconds).toFixed(3),
    mega(f.samples / f.encodeSeconds),
    mega(f.samples / f.decodeSeconds),
  ];
}

function ratioLine(name: string, ours: Figures, base: Figures): string[] {
  const x = (v: number) => `${v.toFixed(1)}x`;
  return [
    name,
    '',
    x(base.payloadBytes / base.samples / (ours.payloadBytes / ours.samples)),
    '',
    '',
    '',
    '',
    '',
    x(base.wcu1 / ours.wcu1),
    x(base.wcu4 / ours.wcu4),
    x(base.encodeSeconds / base.samples / (ours.encodeSeconds / ours.samples)),
    x(base.decodeSeconds / base.samples / (ours.decodeSeconds / ours.samples)),
  ];
}

function printTable(title: string, body: string[][]): void {
  const table = [[...COLUMNS], ...body];
  const widths = COLUMNS.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  console.log(`\n${title}`);
  table.forEach((r, i) => {
    console.log(
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

const files = (positionals.length > 0 ? positionals : [recordingsDir()]).flatMap(recordingFiles);
const corpus = files.map((file) => ({ file, samples: readRecording(file).samples }));

sideBySide(
  corpus.map(({ file, samples }) => ({ name: basename(file), samples })),
  { ms: Math.max(50, measureMs / 3), reps: Number(options.reps) },
);
if (options['side-by-side-only']) process.exit(0);

// Warm-up on every file first, so the first file is not measured while the JIT still compiles.
for (const { samples } of corpus) {
  const rows = packRows(samples);
  const encoded = rows.map(encodeRow);
  const docs = samples.map(baselineItem);
  const json = docs.map((d) => JSON.stringify(d));
  const until = cpuMs() + 150;
  while (cpuMs() < until) {
    for (const row of rows) encodeRow(row);
    for (const bytes of encoded) decodeRow(bytes);
    for (const d of docs) JSON.stringify(d);
    for (const j of json) JSON.parse(j);
  }
}

const ours: string[][] = [];
const base: string[][] = [];
const ratios: string[][] = [];
const oursTotal = emptyFigures();
const baseTotal = emptyFigures();
let packRate = 0;
for (const { file, samples } of corpus) {
  const name = basename(file);
  packRate += samples.length * rate(() => packRows(samples));
  const o = measureSecondrow(samples);
  const b = measureBaseline(samples, o.deviceSeconds);
  add(oursTotal, o);
  add(baseTotal, b);
  ours.push(line(name, o));
  base.push(line(name, b));
  ratios.push(ratioLine(name, o, b));
}
ours.push(line('overall', oursTotal));
base.push(line('overall', baseTotal));
ratios.push(ratioLine('overall', oursTotal, baseTotal));

console.log(
  `secondrow codec benchmark: 1 mg, ±16 g, device id ${DEVICE_ID.length} chars, TTL set; ${files.length} file(s); node ${process.version}`,
);
console.log(
  'B/sample: encoded row bytes incl. 10-byte header / samples (1 s windows); floor: zero-order entropy of',
);
console.log(
  'framing: bytes of each row cut to its first sample (header, fields, first values), paid once per row;',
);
console.log('rest: bytes of every further sample of a row. floor: zero-order entropy of');
console.log(
  'first differences (t and 1 mg axes); item: DynamoDB item bytes; WCU/dev-s: write units per second',
);
console.log('of data; encode/decode: samples per CPU-second on one core (encodeRow/decodeRow; baseline:');
console.log('JSON.stringify/JSON.parse of one document per sample).');
printTable('secondrow rows (1 s windows; the 4 s column re-packs into 4 s windows)', ours);
printTable('2015 baseline (one JSON document and one DynamoDB item per sample)', base);
printTable('ratio (baseline / secondrow for sizes and units; secondrow / baseline for speed)', ratios);
console.log(
  `\npackRows (validate, quantize, sort, group, allocate output; GC-bound, varies with V8 heap state): ${mega(packRate / files.length)} samples/s (mean over files)`,
);

// ---------- read path: columnar decode against decodeRow ----------

/** Retained memory after a full collection: JS heap and array buffers (typed arrays live outside the heap). */
function retained(): { heap: number; buffers: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

/**
 * Decodes `copies` passes over `encoded` and keeps every result, as reading a long range into memory does:
 * samples per CPU-second (garbage collection included) and the memory the results keep, per sample.
 */
function keepAll(
  encoded: readonly Uint8Array[],
  samples: number,
  copies: number,
  decode: (rows: readonly Uint8Array[], copies: number) => unknown,
): { rate: number; heap: number; buffers: number } {
  const before = retained();
  const start = cpuMs();
  const kept = decode(encoded, copies);
  const elapsed = cpuMs() - start;
  const after = retained();
  if (kept === undefined) throw new Error('nothing decoded'); // keeps the result reachable until here
  const n = samples * copies;
  return {
    rate: (n * 1000) / elapsed,
    heap: (after.heap - before.heap) / n,
    buffers: (after.buffers - before.buffers) / n,
  };
}

const allEncoded = corpus.flatMap(({ samples }) => packRows(samples).map(encodeRow));
const allSamples = allEncoded.reduce((n, bytes) => n + decodeRow(bytes).samples.length, 0);
const reused = new SampleColumns();
const objectsRate =
  allSamples *
  rate(() => {
    for (const bytes of allEncoded) decodeRow(bytes);
  });
const columnsRate =
  allSamples *
  rate(() => {
    reused.clear();
    for (const bytes of allEncoded) decodeRowColumns(bytes, reused);
  });
// About 3 device-hours at 50 Hz kept in memory, like a long read collected by its caller.
const COPIES = Math.max(1, Math.round(540_000 / allSamples));
const keptObjects = keepAll(allEncoded, allSamples, COPIES, (rows, copies) => {
  const out: Row[] = [];
  for (let c = 0; c < copies; c++) for (const bytes of rows) out.push(decodeRow(bytes));
  return out;
});
const keptColumns = keepAll(allEncoded, allSamples, COPIES, (rows, copies) => {
  const columns = new SampleColumns(0);
  for (let c = 0; c < copies; c++) for (const bytes of rows) decodeRowColumns(bytes, columns);
  columns.trim(); // as readColumns does with each page it hands over
  return columns;
});
const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
const memory = (v: number) => (hasGc ? Math.max(0, v).toFixed(1) : 'n/a');
const table: string[][] = [
  ['decoder', 'samples/s (discarded)', 'samples/s (kept)', 'heap B/sample', 'array-buffer B/sample'],
  [
    'decodeRow (objects)',
    mega(objectsRate),
    mega(keptObjects.rate),
    memory(keptObjects.heap),
    memory(keptObjects.buffers),
  ],
  [
    'decodeRowColumns (columns)',
    mega(columnsRate),
    mega(keptColumns.rate),
    memory(keptColumns.heap),
    memory(keptColumns.buffers),
  ],
  [
    'columns / objects',
    `${(columnsRate / objectsRate).toFixed(2)}x`,
    `${(keptColumns.rate / keptObjects.rate).toFixed(2)}x`,
    '',
    '',
  ],
];
console.log(`\nRead path: ${allEncoded.length} rows, ${allSamples} samples (1 s windows)`);
const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
for (const [i, r] of table.entries()) {
  console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log('targets: columns >= 1.3x decodeRow samples/s, <= 30 B of heap per sample.');
console.log(
  'discarded: per CPU-second over all rows, result dropped (columns reused), so no sample outlives a pass;',
);
console.log(
  `kept: ${COPIES} passes (${allSamples * COPIES} samples) decoded and kept, CPU time incl. GC, then memory retained after gc`,
);
console.log(
  '(objects: a Row per row, an object per sample; columns: one SampleColumns grown from empty, then trimmed;',
);
console.log(
  'typed arrays are array buffers, outside the JS heap: 32 B/sample is the Float64 t, x, y, z floor).',
);
if (!hasGc) console.log('memory not measured: run node with --expose-gc (the bench script does).');
