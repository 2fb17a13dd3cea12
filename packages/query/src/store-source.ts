import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_WINDOW_SECONDS, SampleColumns, type WindowSeconds } from '@secondrow/codec';
import { type ColumnPage, DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { InvalidOptionError, sourceFailure } from './errors.js';
import { STORE_PAGE_ROWS, STORE_READ_AHEAD_PAGES, STORE_READ_SEGMENTS } from './limits.js';
import { SegmentedPages } from './segmented-pages.js';
import type { ColumnChunk, ColumnReadOptions, DeviceInfo, SampleSource } from './source.js';

/** Options of {@link createStoreSource}. */
export interface StoreSourceOptions {
  /** DynamoDB client (region, endpoint, credentials); reads keep its retries (`maxAttempts`). */
  client: DynamoDBClient;
  /** The row table written by the consumer (`SampleStore` rows and the `DeviceRegistry` items). */
  tableName: string;
  /** The table's row window, s (1, 2, 5, 10, 15, 30 or 60); must match the writers. Default 1. */
  windowSeconds?: WindowSeconds;
  /**
   * Rows per DynamoDB `Query` page, a positive integer. Default {@link STORE_PAGE_ROWS} (1,000): a day's
   * envelope then peaks at about 33 MB above baseline instead of about 71 MB with DynamoDB's 1 MB pages
   * (about 4,800 one-second rows), for 1 % more read units and 87 requests a day instead of 18.
   */
  pageSize?: number;
  /** Registry pages read by `devices()` per `Query` (DynamoDB `Limit`), a positive integer. Default: 1 MB pages. */
  registryPageSize?: number;
  /**
   * Parts a range of more than one page of rows is read in at once, a positive integer (1: one `Query` from
   * start to end). Default {@link STORE_READ_SEGMENTS} (4). The range is cut at row-window edges into parts
   * of at least `pageSize` rows; the pages still come in time order.
   */
  readSegments?: number;
  /**
   * Pages each later part may read ahead of the part being answered, a positive integer. Default
   * {@link STORE_READ_AHEAD_PAGES} (4).
   */
  readAhead?: number;
}

/**
 * The production {@link SampleSource}: samples from the codec's `SampleStore.readColumns`, devices from its
 * `DeviceRegistry`, both on the row table.
 *
 * - `columns` reads eventually consistent unless `consistentRead` is set, one chunk per DynamoDB page; a
 *   chunk's arrays are valid until the next one is requested. A range of at most one page of rows is one
 *   `Query` decoded into one `SampleColumns` (a few arrays, not one per page). A longer one is cut into up
 *   to `readSegments` parts read at once, each part's pages decoded into their own columns, the later parts
 *   reading at most `readAhead` pages ahead; the chunks still come in time order. Each chunk carries its
 *   rows' audit times (first written, stream arrival) and the read units DynamoDB reported.
 * - `devices` pages through the whole registry; `device` is one `GetItem` (eventually consistent).
 *   `lastMs` is the registry's upper bound of the last sample time (see `DeviceRegistry`).
 *
 * Store failures are thrown as the query's `SourceError`: `SOURCE_UNAVAILABLE` (503) when the store's
 * error is `retryable` (throttling, 5xx, timeouts), `SOURCE_FAILED` (500) otherwise (e.g. an item that is
 * not a row, `INCOMPATIBLE_ITEM`).
 *
 * @throws {InvalidOptionError} naming the option when `client`, `tableName`, `windowSeconds`, `pageSize`,
 *   `registryPageSize`, `readSegments` or `readAhead` is invalid (at creation).
 */
export function createStoreSource(options: StoreSourceOptions): SampleSource {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'createStoreSource needs an options object');
  }
  const { client, tableName, windowSeconds, pageSize, registryPageSize, readSegments, readAhead } = options;
  for (const [name, value] of [
    ['pageSize', pageSize],
    ['registryPageSize', registryPageSize],
    ['readSegments', readSegments],
    ['readAhead', readAhead],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) {
      throw new InvalidOptionError(name, `${name} must be a positive integer, got ${String(value)}`);
    }
  }
  let store: SampleStore;
  let registry: DeviceRegistry;
  try {
    store = new SampleStore({
      client,
      tableName,
      ...(windowSeconds === undefined ? {} : { windowSeconds }),
    });
    registry = new DeviceRegistry({ client, tableName });
  } catch (error) {
    const option = (error as { option?: unknown }).option;
    throw new InvalidOptionError(
      typeof option === 'string' ? option : 'options',
      error instanceof Error ? error.message : String(error),
    );
  }
  return new StoreSource(store, registry, {
    pageSize: pageSize ?? STORE_PAGE_ROWS,
    registryPageSize,
    windowMs: (windowSeconds ?? DEFAULT_WINDOW_SECONDS) * 1000,
    segments: readSegments ?? STORE_READ_SEGMENTS,
    readAhead: readAhead ?? STORE_READ_AHEAD_PAGES,
  });
}

/**
 * Cuts `[fromMs, toMs)` into at most `segments` consecutive parts at multiples of `windowMs`, each spanning
 * at least `pageSize` windows, so no row spans two parts. One part when the range is shorter.
 */
export function readParts(
  fromMs: number,
  toMs: number,
  windowMs: number,
  pageSize: number,
  segments: number,
): Array<[number, number]> {
  const firstWindow = Math.floor(fromMs / windowMs);
  const windows = Math.ceil(toMs / windowMs) - firstWindow;
  const count = Math.max(1, Math.min(segments, Math.floor(windows / pageSize)));
  const parts: Array<[number, number]> = [];
  let start = fromMs;
  for (let k = 1; k < count; k++) {
    const edge = (firstWindow + Math.round((windows * k) / count)) * windowMs;
    if (edge <= start || edge >= toMs) continue;
    parts.push([start, edge]);
    start = edge;
  }
  parts.push([start, toMs]);
  return parts;
}

/** Settings of a {@link StoreSource}, checked by `createStoreSource`. */
interface StoreReadSettings {
  pageSize: number;
  registryPageSize: number | undefined;
  windowMs: number;
  segments: number;
  readAhead: number;
}

class StoreSource implements SampleSource {
  constructor(
    private readonly store: SampleStore,
    private readonly registry: DeviceRegistry,
    private readonly settings: StoreReadSettings,
  ) {}

  async *columns(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ColumnReadOptions,
  ): AsyncGenerator<ColumnChunk> {
    const { pageSize, windowMs, segments, readAhead } = this.settings;
    const parts = readParts(fromMs, toMs, windowMs, pageSize, segments);
    const read = (from: number, to: number, columns?: SampleColumns) =>
      this.store.readColumns(deviceId, from, to, {
        consistentRead: options.consistentRead,
        pageSize,
        ...(columns === undefined ? {} : { columns }),
      });
    if (parts.length === 1) {
      // One buffer for the whole read: the query copies what it keeps before asking for the next page.
      const pages = read(fromMs, toMs, new SampleColumns(0));
      try {
        for (;;) {
          options.signal?.throwIfAborted();
          const next = await pages.next();
          if (next.done === true) return;
          yield toChunk(next.value);
        }
      } catch (error) {
        throw sourceFailure(error);
      } finally {
        await pages.return(undefined);
      }
    }
    // Each part's pages get their own columns: they wait in its read-ahead while an earlier part is answered.
    const segmented = new SegmentedPages(
      parts.map(([from, to]) => read(from, to)),
      readAhead,
    );
    try {
      for await (const page of segmented.pages()) {
        options.signal?.throwIfAborted();
        yield toChunk(page);
      }
    } catch (error) {
      throw sourceFailure(error);
    } finally {
      await segmented.close();
    }
  }

  async devices(): Promise<DeviceInfo[]> {
    const { registryPageSize } = this.settings;
    const out: DeviceInfo[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.registry.list({
          ...(cursor === undefined ? {} : { cursor }),
          ...(registryPageSize === undefined ? {} : { limit: registryPageSize }),
        });
        for (const { deviceId, firstMs, lastMs } of page.devices) out.push({ deviceId, firstMs, lastMs });
        cursor = page.cursor;
      } while (cursor !== undefined);
    } catch (error) {
      throw sourceFailure(error);
    }
    // The registry lists by a hash of the id; people look devices up by name.
    return out.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }

  async device(deviceId: string): Promise<DeviceInfo | undefined> {
    try {
      const range = await this.registry.get(deviceId);
      return range === undefined
        ? undefined
        : { deviceId: range.deviceId, firstMs: range.firstMs, lastMs: range.lastMs };
    } catch (error) {
      throw sourceFailure(error);
    }
  }
}

function toChunk(page: ColumnPage): ColumnChunk {
  const { columns, rows, readUnits } = page;
  return {
    length: columns.length,
    t: columns.t,
    x: columns.x,
    y: columns.y,
    z: columns.z,
    readUnits,
    rows: {
      length: rows.length,
      first: rows.first,
      count: rows.count,
      firstWrittenMs: rows.firstWrittenMs,
      arrivalMs: rows.arrivalMs,
    },
  };
}
