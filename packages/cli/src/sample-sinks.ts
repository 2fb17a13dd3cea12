import type { Writable } from 'node:stream';
import type { SampleColumns } from '@secondrow/codec';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { TimeFormat } from './args.js';
import { writeChunk } from './output-stream.js';
import { isoTime } from './time-flag.js';

/** Where exported samples go, page by page. Nothing is kept after `write` returns. */
export interface SampleSink {
  /**
   * Writes samples `[0, columns.length)`, in time order after everything written before.
   *
   * @throws {WriteFailedError} when the output fails.
   */
  write(columns: SampleColumns): Promise<void>;
  /** Writes what is left (Parquet's last row group and footer). Does not close the stream. */
  end(): Promise<void>;
}

/** CSV header of {@link CsvSink}: units in the names (epoch ms or ISO-8601 UTC; g). */
export function csvHeader(time: TimeFormat): string {
  return `${time === 'ms' ? 't_ms' : 't_utc'},x_g,y_g,z_g\n`;
}

/**
 * CSV, `t_ms,x_g,y_g,z_g` (or `t_utc` with ISO times): one line per sample, values as the shortest text that
 * reads back as the same double (e.g. `0.184`), so every stored value survives exactly.
 */
export class CsvSink implements SampleSink {
  readonly #out: Writable;
  readonly #time: TimeFormat;
  #headerWritten = false;

  constructor(out: Writable, time: TimeFormat) {
    this.#out = out;
    this.#time = time;
  }

  async write(columns: SampleColumns): Promise<void> {
    let text = this.#headerWritten ? '' : csvHeader(this.#time);
    this.#headerWritten = true;
    const { t, x, y, z } = columns;
    const iso = this.#time === 'iso';
    for (let i = 0; i < columns.length; i++) {
      text += `${iso ? isoTime(t[i] as number) : t[i]},${x[i]},${y[i]},${z[i]}\n`;
    }
    await writeChunk(this.#out, text);
  }

  async end(): Promise<void> {
    // An empty range still gets its header, so the file says what it would hold.
    if (!this.#headerWritten) await writeChunk(this.#out, csvHeader(this.#time));
    this.#headerWritten = true;
  }
}

/** NDJSON: one object per sample and line, `{"t_ms":…,"x_g":…,"y_g":…,"z_g":…}` (`t_utc` with ISO times). */
export class NdjsonSink implements SampleSink {
  readonly #out: Writable;
  readonly #time: TimeFormat;

  constructor(out: Writable, time: TimeFormat) {
    this.#out = out;
    this.#time = time;
  }

  async write(columns: SampleColumns): Promise<void> {
    let text = '';
    const { t, x, y, z } = columns;
    const iso = this.#time === 'iso';
    for (let i = 0; i < columns.length; i++) {
      const time = iso ? `"t_utc":"${isoTime(t[i] as number)}"` : `"t_ms":${t[i]}`;
      text += `{${time},"x_g":${x[i]},"y_g":${y[i]},"z_g":${z[i]}}\n`;
    }
    await writeChunk(this.#out, text);
  }

  async end(): Promise<void> {}
}

/** Rows per Parquet row group: about 3.2 MB of columns buffered at most (32 bytes per sample). */
export const PARQUET_ROW_GROUP = 100_000;

/**
 * The Parquet schema of an export: `t` INT64 timestamp (ms, UTC), `x_g`, `y_g`, `z_g` DOUBLE (g), all
 * required. DOUBLE, not FLOAT: a stored value such as 0.184 g is a double, and a FLOAT would read back as
 * 0.18400000035762787; the byte-stream-split encoding and Snappy keep the columns small anyway.
 */
export const PARQUET_SCHEMA = [
  { name: 'root', num_children: 4 },
  {
    name: 't',
    type: 'INT64',
    repetition_type: 'REQUIRED',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
  { name: 'x_g', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'y_g', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'z_g', type: 'DOUBLE', repetition_type: 'REQUIRED' },
] as const;

/** Key-value metadata of an export: the units, and what the file holds. */
export function parquetMetadata(
  deviceId: string,
  fromMs: number,
  toMs: number,
): { key: string; value: string }[] {
  return [
    { key: 'secondrow.device', value: deviceId },
    { key: 'secondrow.from', value: isoTime(fromMs) },
    { key: 'secondrow.to', value: isoTime(toMs) },
    {
      key: 'secondrow.units',
      value: JSON.stringify({ t: 'ms since 1970-01-01 UTC', x_g: 'g', y_g: 'g', z_g: 'g' }),
    },
  ];
}

/**
 * A hyparquet-writer `Writer` that hands its bytes to a stream after every row group (`flush`), waiting
 * for the stream to drain, so the file never exists in memory.
 */
class StreamByteWriter extends ByteWriter {
  readonly #out: Writable;

  constructor(out: Writable) {
    super(1 << 20);
    this.#out = out;
  }

  flush(): Promise<void> {
    // A copy: the buffer is reused for the next row group while the stream may still hold the chunk.
    const chunk = new Uint8Array(this.buffer, 0, this.index).slice();
    this.index = 0;
    return writeChunk(this.#out, chunk);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

/**
 * Parquet through hyparquet-writer. Chosen over parquet-wasm and @dsnp/parquetjs by bench/parquet-libraries.ts
 * on a device-hour (180,000 samples): hyparquet-writer wrote 3.50 bytes/sample at 1.8 M samples/s with
 * delta-encoded times and byte-stream-split values; parquet-wasm was about 20 % faster but 10.5 bytes/sample
 * with its defaults, needs the whole table as Arrow in memory (plus apache-arrow and a wasm module);
 * @dsnp/parquetjs took rows one object at a time (0.28 M samples/s, 32 bytes/sample) and its latest
 * release (1.9.3) ships without its build. hyparquet-writer is pure JS with one dependency, maintained with
 * the hyparquet reader, and writes row groups incrementally through a flushing writer. Row groups of
 * {@link PARQUET_ROW_GROUP} samples written as they fill, `t` delta-encoded, values byte-stream-split,
 * Snappy-compressed. Memory: one row group of columns plus the encoder's buffers.
 */
export class ParquetSink implements SampleSink {
  readonly #writer: ParquetWriter;
  readonly #bytes: StreamByteWriter;
  readonly #t = new BigInt64Array(PARQUET_ROW_GROUP);
  readonly #x = new Float64Array(PARQUET_ROW_GROUP);
  readonly #y = new Float64Array(PARQUET_ROW_GROUP);
  readonly #z = new Float64Array(PARQUET_ROW_GROUP);
  #length = 0;

  /**
   * @param out - Where the file goes (a file stream, or a pipe).
   * @param kvMetadata - Key-value metadata, e.g. {@link parquetMetadata}.
   */
  constructor(out: Writable, kvMetadata: { key: string; value: string }[]) {
    this.#bytes = new StreamByteWriter(out);
    this.#writer = new ParquetWriter({
      writer: this.#bytes,
      schema: PARQUET_SCHEMA.map((element) => ({ ...element })) as never,
      codec: 'SNAPPY',
      kvMetadata,
      createdBy: 'secondrow export (hyparquet-writer)',
    });
  }

  async write(columns: SampleColumns): Promise<void> {
    const { t, x, y, z } = columns;
    let i = 0;
    while (i < columns.length) {
      const n = Math.min(columns.length - i, PARQUET_ROW_GROUP - this.#length);
      for (let k = 0; k < n; k++) this.#t[this.#length + k] = BigInt(t[i + k] as number);
      this.#x.set(x.subarray(i, i + n), this.#length);
      this.#y.set(y.subarray(i, i + n), this.#length);
      this.#z.set(z.subarray(i, i + n), this.#length);
      this.#length += n;
      i += n;
      if (this.#length === PARQUET_ROW_GROUP) await this.#flushGroup();
    }
  }

  async end(): Promise<void> {
    if (this.#length > 0) await this.#flushGroup();
    await this.#writer.finish();
  }

  async #flushGroup(): Promise<void> {
    const n = this.#length;
    this.#length = 0;
    await this.#writer.write({
      columnData: [
        { name: 't', data: this.#t.subarray(0, n), encoding: 'DELTA_BINARY_PACKED' },
        { name: 'x_g', data: this.#x.subarray(0, n), encoding: 'BYTE_STREAM_SPLIT' },
        { name: 'y_g', data: this.#y.subarray(0, n), encoding: 'BYTE_STREAM_SPLIT' },
        { name: 'z_g', data: this.#z.subarray(0, n), encoding: 'BYTE_STREAM_SPLIT' },
      ],
      rowGroupSize: n,
    });
  }
}
