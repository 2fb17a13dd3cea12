import { readUnits } from '@secondrow/codec';
import type { SampleStore } from '@secondrow/codec/dynamodb';
import type { ColumnChunk, ColumnReadOptions, DeviceInfo, SampleSource } from '../../src/index.js';

/** Rows per page handed to the query layer. */
const ROWS_PER_CHUNK = 64;

/**
 * A {@link SampleSource} over today's `SampleStore`: its rows (cut to the range) become column pages, and
 * each page reports the read units of its items' bytes. The device registry is the list given, with
 * first/last times read from the store.
 */
export class StoreSource implements SampleSource {
  constructor(
    private readonly store: SampleStore,
    private readonly deviceIds: readonly string[],
  ) {}

  async *columns(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ColumnReadOptions,
  ): AsyncGenerator<ColumnChunk> {
    let t: number[] = [];
    let x: number[] = [];
    let y: number[] = [];
    let z: number[] = [];
    let bytes = 0;
    let rows = 0;
    const page = (): ColumnChunk => ({
      length: t.length,
      t: Float64Array.from(t),
      x: Float64Array.from(x),
      y: Float64Array.from(y),
      z: Float64Array.from(z),
      readUnits: readUnits(bytes, options.consistentRead),
    });
    for await (const { row, itemBytes } of this.store.readRows(deviceId, fromMs, toMs, {
      consistentRead: options.consistentRead,
    })) {
      options.signal?.throwIfAborted();
      for (const s of row.samples) {
        if (s.t < fromMs || s.t >= toMs) continue;
        t.push(s.t);
        x.push(s.x);
        y.push(s.y);
        z.push(s.z);
      }
      bytes += itemBytes;
      if (++rows === ROWS_PER_CHUNK) {
        yield page();
        t = [];
        x = [];
        y = [];
        z = [];
        bytes = 0;
        rows = 0;
      }
    }
    if (rows > 0) yield page();
  }

  async devices(): Promise<DeviceInfo[]> {
    const out: DeviceInfo[] = [];
    for (const deviceId of this.deviceIds) {
      const info = await this.device(deviceId);
      if (info !== undefined) out.push(info);
    }
    return out;
  }

  async device(deviceId: string): Promise<DeviceInfo | undefined> {
    if (!this.deviceIds.includes(deviceId)) return undefined;
    let firstMs: number | undefined;
    let lastMs = 0;
    for await (const s of this.store.read(deviceId, 0, 2 ** 52, { consistentRead: false })) {
      firstMs ??= s.t;
      lastMs = s.t;
    }
    return firstMs === undefined ? undefined : { deviceId, firstMs, lastMs };
  }
}
