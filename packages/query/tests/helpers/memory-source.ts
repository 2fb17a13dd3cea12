import type { ColumnChunk, ColumnReadOptions, DeviceInfo, SampleSource } from '../../src/index.js';

/** Samples of one device as columns, times ascending. */
export interface Columns {
  t: Float64Array;
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
}

/** Builds columns from `{ t, x, y, z }` objects (sorted by t). */
export function columnsOf(samples: ReadonlyArray<{ t: number; x: number; y: number; z: number }>): Columns {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  return {
    t: Float64Array.from(sorted, (s) => s.t),
    x: Float64Array.from(sorted, (s) => s.x),
    y: Float64Array.from(sorted, (s) => s.y),
    z: Float64Array.from(sorted, (s) => s.z),
  };
}

/** Options of {@link MemorySource}. */
export interface MemorySourceOptions {
  /** Sizes of successive pages, cycled; default one page of 1,000 samples at a time. */
  pageSizes?: readonly number[];
  /** Read units each page reports; default 1. */
  readUnitsPerPage?: number;
}

/** What a {@link MemorySource} saw: the reads it served. */
export interface ReadLog {
  deviceId: string;
  fromMs: number;
  toMs: number;
  consistentRead: boolean;
  pagesServed: number;
}

/** An in-memory {@link SampleSource}: pages are views of the stored columns, cut by `pageSizes`. */
export class MemorySource implements SampleSource {
  readonly reads: ReadLog[] = [];
  private readonly data: Map<string, Columns>;
  private readonly pageSizes: readonly number[];
  private readonly readUnitsPerPage: number;

  constructor(data: Map<string, Columns> | Record<string, Columns>, options: MemorySourceOptions = {}) {
    this.data = data instanceof Map ? data : new Map(Object.entries(data));
    this.pageSizes = options.pageSizes ?? [1000];
    this.readUnitsPerPage = options.readUnitsPerPage ?? 1;
  }

  async *columns(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ColumnReadOptions,
  ): AsyncGenerator<ColumnChunk> {
    const log: ReadLog = { deviceId, fromMs, toMs, consistentRead: options.consistentRead, pagesServed: 0 };
    this.reads.push(log);
    const cols = this.data.get(deviceId);
    if (cols === undefined) return;
    let i = lowerBound(cols.t, fromMs);
    const end = lowerBound(cols.t, toMs);
    let page = 0;
    while (i < end) {
      options.signal?.throwIfAborted();
      const size = Math.max(1, this.pageSizes[page++ % this.pageSizes.length] as number);
      const stop = Math.min(end, i + size);
      log.pagesServed++;
      yield {
        length: stop - i,
        t: cols.t.subarray(i, stop),
        x: cols.x.subarray(i, stop),
        y: cols.y.subarray(i, stop),
        z: cols.z.subarray(i, stop),
        readUnits: this.readUnitsPerPage,
      };
      i = stop;
    }
  }

  async devices(): Promise<DeviceInfo[]> {
    const out: DeviceInfo[] = [];
    for (const deviceId of this.data.keys()) {
      const info = await this.device(deviceId);
      if (info !== undefined) out.push(info);
    }
    return out;
  }

  async device(deviceId: string): Promise<DeviceInfo | undefined> {
    const cols = this.data.get(deviceId);
    if (cols === undefined) return undefined;
    const n = cols.t.length;
    // A device registered before its first sample arrives: its span is unknown, shown as empty.
    return n === 0
      ? { deviceId, firstMs: 0, lastMs: 0 }
      : { deviceId, firstMs: cols.t[0] as number, lastMs: cols.t[n - 1] as number };
  }
}

/** First index with `t[i] >= value`. */
function lowerBound(t: Float64Array, value: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A source that fails the test if anything is read from it. */
export function untouchableSource(fail: (message: string) => never): SampleSource {
  return {
    columns: () => fail('columns() was called for a rejected request'),
    devices: () => fail('devices() was called for a rejected request'),
    device: () => fail('device() was called for a rejected request'),
  };
}

/** A source that knows devices but fails the test if samples are read. */
export function registryOnlySource(
  known: Record<string, DeviceInfo>,
  fail: (message: string) => never,
): SampleSource {
  return {
    columns: () => fail('columns() was called for a rejected request'),
    devices: async () => Object.values(known),
    device: async (deviceId) => known[deviceId],
  };
}
