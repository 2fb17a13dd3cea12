/**
 * Parquet writers compared on one device-hour (180,000 samples at 50 Hz, values of a real wrist recording on
 * the 1 mg grid): wall time to write the file and its size, same schema (t INT64 timestamp ms, x_g/y_g/z_g
 * DOUBLE), Snappy, 100,000-row groups. Each library is given columns the way it takes them.
 *
 *   pnpm exec tsx packages/cli/bench/parquet-libraries.ts [--hours N]
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ParquetWriter as DsnpWriter, ParquetSchema } from '@dsnp/parquetjs';
import { listRecordings, parseNumberFlag } from '@secondrow/devkit';
import { makeVector, Table, TimestampMillisecond, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import * as wasm from 'parquet-wasm';
import { PARQUET_ROW_GROUP, PARQUET_SCHEMA } from '../src/sample-sinks.js';

const { values } = parseArgs({ options: { hours: { type: 'string' } } });
const hours =
  values.hours === undefined ? 1 : parseNumberFlag('--hours', values.hours, { min: 0.01, max: 24 });
const n = Math.round(hours * 3_600 * 50);

// A device-hour: the 50 Hz recordings' values looped, at exact 20 ms steps from 2024-01-01.
const source = listRecordings()
  .filter((r) => r.name.includes('50hz'))
  .flatMap((r) => r.samples);
const t = new Float64Array(n);
const x = new Float64Array(n);
const y = new Float64Array(n);
const z = new Float64Array(n);
const t0 = Date.UTC(2024, 0, 1);
for (let i = 0; i < n; i++) {
  const s = source[i % source.length];
  if (s === undefined) throw new Error('no 50 Hz recording');
  t[i] = t0 + i * 20;
  x[i] = Math.round(s.x * 1000) / 1000;
  y[i] = Math.round(s.y * 1000) / 1000;
  z[i] = Math.round(s.z * 1000) / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'parquet-bench-'));

async function hyparquetWriter(file: string): Promise<void> {
  const bytes = new ByteWriter();
  const writer = new ParquetWriter({
    writer: bytes,
    schema: PARQUET_SCHEMA.map((e) => ({ ...e })) as never,
    codec: 'SNAPPY',
  });
  const times = new BigInt64Array(n);
  for (let i = 0; i < n; i++) times[i] = BigInt(t[i] as number);
  await writer.write({
    columnData: [
      { name: 't', data: times, encoding: 'DELTA_BINARY_PACKED' },
      { name: 'x_g', data: x, encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'y_g', data: y, encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'z_g', data: z, encoding: 'BYTE_STREAM_SPLIT' },
    ],
    rowGroupSize: PARQUET_ROW_GROUP,
  });
  await writer.finish();
  writeFileSync(file, bytes.getBytes());
}

async function hyparquetWriterPlain(file: string): Promise<void> {
  const bytes = new ByteWriter();
  const writer = new ParquetWriter({ writer: bytes, schema: PARQUET_SCHEMA.map((e) => ({ ...e })) as never });
  const times = new BigInt64Array(n);
  for (let i = 0; i < n; i++) times[i] = BigInt(t[i] as number);
  await writer.write({
    columnData: [
      { name: 't', data: times },
      { name: 'x_g', data: x },
      { name: 'y_g', data: y },
      { name: 'z_g', data: z },
    ],
    rowGroupSize: PARQUET_ROW_GROUP,
  });
  await writer.finish();
  writeFileSync(file, bytes.getBytes());
}

async function parquetWasm(file: string): Promise<void> {
  const table = new Table({
    t: vectorFromArray(Array.from(t), new TimestampMillisecond()),
    x_g: makeVector(x),
    y_g: makeVector(y),
    z_g: makeVector(z),
  });
  const properties = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression.SNAPPY)
    .setMaxRowGroupSize(PARQUET_ROW_GROUP)
    .build();
  writeFileSync(file, wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties));
}

async function dsnpParquetjs(file: string): Promise<void> {
  const schema = new ParquetSchema({
    t: { type: 'TIMESTAMP_MILLIS' },
    x_g: { type: 'DOUBLE' },
    y_g: { type: 'DOUBLE' },
    z_g: { type: 'DOUBLE' },
  });
  const writer = await DsnpWriter.openFile(schema, file, {
    rowGroupSize: PARQUET_ROW_GROUP,
    compression: 'SNAPPY',
  } as never);
  for (let i = 0; i < n; i++) {
    await writer.appendRow({ t: new Date(t[i] as number), x_g: x[i], y_g: y[i], z_g: z[i] });
  }
  await writer.close();
}

const candidates: [string, (file: string) => Promise<void>][] = [
  ['hyparquet-writer (delta t, byte-stream-split values, Snappy)', hyparquetWriter],
  ['hyparquet-writer (defaults: plain, Snappy)', hyparquetWriterPlain],
  ['parquet-wasm (Arrow table, Snappy)', parquetWasm],
  ['@dsnp/parquetjs 1.8.9 (rows, Snappy)', dsnpParquetjs],
];

console.log(
  `${n.toLocaleString('en-US')} samples (${hours} device-hour), Node ${process.version}, load ${loadavg()[0]?.toFixed(2)}`,
);
console.log(
  'library                                                        ms   samples/s      bytes  bytes/sample  reads back',
);
try {
  for (const [name, write] of candidates) {
    const file = join(dir, `${name.split(' ')[0]?.replace(/\W/g, '_')}.parquet`);
    await write(file); // warm-up
    const start = performance.now();
    await write(file);
    const ms = performance.now() - start;
    const size = statSync(file).size;
    const bytes = readFileSync(file);
    const rows = (await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      rowStart: n - 1,
      rowEnd: n,
    })) as { t: Date | bigint; z_g: number }[];
    const last = rows[0];
    const ok =
      last !== undefined &&
      Number(last.t instanceof Date ? last.t.getTime() : last.t) === t[n - 1] &&
      last.z_g === z[n - 1];
    console.log(
      `${name.padEnd(60)} ${ms.toFixed(0).padStart(6)} ${Math.round((n / ms) * 1000)
        .toLocaleString('en-US')
        .padStart(
          11,
        )} ${size.toLocaleString('en-US').padStart(10)} ${(size / n).toFixed(2).padStart(13)}  ${ok ? 'yes' : 'NO'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
