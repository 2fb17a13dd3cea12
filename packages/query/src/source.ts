/**
 * What the query layer reads. It owns these interfaces, so it does not depend on a store's page format;
 * an adapter maps a store (e.g. the codec's columnar reads) onto them.
 */

/** One page of samples of one device, in time order, all within the requested `[fromMs, toMs)`. */
export interface ColumnChunk {
  /** Number of samples in this page; every array has at least this many entries. */
  length: number;
  /** Sample times, epoch ms, non-decreasing within and across the pages of one read. */
  t: Float64Array;
  /** Accelerations along x, in g. */
  x: Float64Array;
  /** Accelerations along y, in g. */
  y: Float64Array;
  /** Accelerations along z, in g. */
  z: Float64Array;
  /** DynamoDB read units this page cost (0 for an in-memory source). */
  readUnits: number;
  /**
   * The stored rows the page's samples came from, with their audit times; absent when the source does not
   * know them (then the lateness figures are `null`).
   */
  rows?: RowChunk;
}

/**
 * The rows of one {@link ColumnChunk}, as parallel arrays indexed by row, in time order. Row `r` holds the
 * page's samples `first[r]` to `first[r] + count[r] - 1`. Audit times are epoch ms, `NaN` when the row
 * does not record them (rows written before the store kept them, or no stream arrival passed).
 */
export interface RowChunk {
  /** Rows in the page; every array has at least this many entries. */
  length: number;
  /** Index in the page's columns of each row's first sample within the range. */
  first: Uint32Array;
  /** Samples of each row within the range (0 when the row only overlaps the range's window). */
  count: Uint32Array;
  /** When each row was first written to the table, epoch ms, or NaN. */
  firstWrittenMs: Float64Array;
  /** Earliest stream (Kinesis) arrival among the writes that added samples to each row, epoch ms, or NaN. */
  arrivalMs: Float64Array;
}

/** Options of {@link SampleSource.columns}. */
export interface ColumnReadOptions {
  /** Strongly consistent reads (twice the read units in DynamoDB); the API reads eventually consistent by default. */
  consistentRead: boolean;
  /** Aborts the read, e.g. when the client went away or the function is about to time out. */
  signal?: AbortSignal;
}

/** A device the registry knows, with the time span its data covers. */
export interface DeviceInfo {
  /** Device id (the store's partition key). */
  deviceId: string;
  /** Time of its first sample, epoch ms. */
  firstMs: number;
  /**
   * Time of its last sample, epoch ms; from the store's `DeviceRegistry` an upper bound (at most the
   * registry's `intervalMs` past the last sample, default one hour).
   */
  lastMs: number;
}

/** Where samples and devices come from: the store in production, memory in tests and benchmarks. */
export interface SampleSource {
  /**
   * Samples of one device in `[fromMs, toMs)`, in time order, page by page. A page's arrays need only stay
   * valid until the next page is requested (the query copies what it keeps), so a source may reuse them.
   */
  columns(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ColumnReadOptions,
  ): AsyncIterable<ColumnChunk>;
  /** Every device with its first/last data time. */
  devices(): Promise<DeviceInfo[]>;
  /** One device, or `undefined` when the registry does not know it. */
  device(deviceId: string): Promise<DeviceInfo | undefined>;
}
