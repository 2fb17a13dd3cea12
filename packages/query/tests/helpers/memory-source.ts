import type { ColumnChunk, ColumnReadOptions, DeviceInfo, RowChunk, SampleSource } from '../../src/index.js';

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
  /**
   * Row audit times by window start (windows of `windowMs`): when given, pages carry rows and end at a
   * row's end, as the store's do. NaN leaves a time unrecorded.
   */
  audit?: (startMs: number) => { firstWrittenMs: number; arrivalMs: number };
  /** Row window, ms; default 1000. */
  windowMs?: number;
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
  private readonly audit: MemorySourceOptions['audit'];
  private readonly windowMs: number;

  constructor(data: Map<string, Columns> | Record<string, Columns>, options: MemorySourceOptions = {}) {
    this.data = data instanceof Map ? data : new Map(Object.entries(data));
    this.pageSizes = options.pageSizes ?? [1000];
    this.readUnitsPerPage = options.readUnitsPerPage ?? 1;
    this.audit = options.audit;
    this.windowMs = options.windowMs ?? 1000;
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
      let stop = Math.min(end, i + size);
      if (this.audit !== undefined) {
        // A row is never split across pages.
        const window = Math.floor((cols.t[stop - 1] as number) / this.windowMs);
        while (stop < end && Math.floor((cols.t[stop] as number) / this.windowMs) === window) stop++;
      }
      log.pagesServed++;
      const t = cols.t.subarray(i, stop);
      yield {
        length: stop - i,
        t,
        x: cols.x.subarray(i, stop),
        y: cols.y.subarray(i, stop),
        z: cols.z.subarray(i, stop),
        readUnits: this.readUnitsPerPage,
        ...(this.audit === undefined ? {} : { rows: rowsOf(t, this.windowMs, this.audit) }),
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

/** The rows of a page whose samples `t` are whole rows of `windowMs`. */
function rowsOf(
  t: Float64Array,
  windowMs: number,
  audit: NonNullable<MemorySourceOptions['audit']>,
): RowChunk {
  const first: number[] = [];
  const count: number[] = [];
  const firstWrittenMs: number[] = [];
  const arrivalMs: number[] = [];
  let window = Number.NaN;
  for (let i = 0; i < t.length; i++) {
    const w = Math.floor((t[i] as number) / windowMs);
    if (w !== window) {
      window = w;
      const times = audit(w * windowMs);
      first.push(i);
      count.push(0);
      firstWrittenMs.push(times.firstWrittenMs);
      arrivalMs.push(times.arrivalMs);
    }
    count[count.length - 1]!++;
  }
  return {
    length: first.length,
    first: Uint32Array.from(first),
    count: Uint32Array.from(count),
    firstWrittenMs: Float64Array.from(firstWrittenMs),
    arrivalMs: Float64Array.from(arrivalMs),
  };
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
