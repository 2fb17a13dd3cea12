import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SampleColumns, type WindowSeconds } from '@secondrow/codec';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { InvalidOptionError, sourceFailure } from './errors.js';
import { STORE_PAGE_ROWS } from './limits.js';
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
   * Ask for the next page of rows while the query works on the current one (the store's `prefetch`), so
   * DynamoDB's latency overlaps the decoding. A raw read that stops at its page limit may then pay for one
   * page it does not return, not counted in `consumedReadUnits`. Default true: a day's envelope from a local
   * DynamoDB on its own thread comes back about a quarter sooner (`pnpm --filter @secondrow/viewer bench`).
   */
  prefetch?: boolean;
}

/**
 * The production {@link SampleSource}: samples from the codec's `SampleStore.readColumns`, devices from its
 * `DeviceRegistry`, both on the row table.
 *
 * - `columns` reads eventually consistent unless `consistentRead` is set, one chunk per DynamoDB page,
 *   decoding every page into one `SampleColumns` per read (so a day's read allocates a few arrays, not one
 *   per page); a chunk's arrays are valid until the next one is requested. Each chunk carries its rows'
 *   audit times (first written, stream arrival) and the read units DynamoDB reported.
 * - `devices` pages through the whole registry; `device` is one `GetItem` (eventually consistent).
 *   `lastMs` is the registry's upper bound of the last sample time (see `DeviceRegistry`).
 *
 * Store failures are thrown as the query's `SourceError`: `SOURCE_UNAVAILABLE` (503) when the store's
 * error is `retryable` (throttling, 5xx, timeouts), `SOURCE_FAILED` (500) otherwise (e.g. an item that is
 * not a row, `INCOMPATIBLE_ITEM`).
 *
 * @throws {InvalidOptionError} naming the option when `client`, `tableName`, `windowSeconds`, `pageSize`,
 *   `registryPageSize` or `prefetch` is invalid (at creation).
 */
export function createStoreSource(options: StoreSourceOptions): SampleSource {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'createStoreSource needs an options object');
  }
  const { client, tableName, windowSeconds, pageSize, registryPageSize, prefetch } = options;
  for (const [name, value] of [
    ['pageSize', pageSize],
    ['registryPageSize', registryPageSize],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) {
      throw new InvalidOptionError(name, `${name} must be a positive integer, got ${String(value)}`);
    }
  }
  if (prefetch !== undefined && typeof prefetch !== 'boolean') {
    throw new InvalidOptionError('prefetch', `prefetch must be a boolean, got ${String(prefetch)}`);
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
  return new StoreSource(store, registry, pageSize ?? STORE_PAGE_ROWS, registryPageSize, prefetch ?? true);
}

class StoreSource implements SampleSource {
  constructor(
    private readonly store: SampleStore,
    private readonly registry: DeviceRegistry,
    private readonly pageSize: number,
    private readonly registryPageSize: number | undefined,
    private readonly prefetch: boolean,
  ) {}

  async *columns(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ColumnReadOptions,
  ): AsyncGenerator<ColumnChunk> {
    // One buffer for the whole read: the query copies what it keeps before asking for the next page.
    const columns = new SampleColumns(0);
    const pages = this.store.readColumns(deviceId, fromMs, toMs, {
      consistentRead: options.consistentRead,
      prefetch: this.prefetch,
      columns,
      pageSize: this.pageSize,
    });
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        const next = await pages.next();
        if (next.done === true) return;
        const { columns: page, rows, readUnits } = next.value;
        yield {
          length: page.length,
          t: page.t,
          x: page.x,
          y: page.y,
          z: page.z,
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
    } catch (error) {
      throw sourceFailure(error);
    } finally {
      await pages.return(undefined);
    }
  }

  async devices(): Promise<DeviceInfo[]> {
    const out: DeviceInfo[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.registry.list({
          ...(cursor === undefined ? {} : { cursor }),
          ...(this.registryPageSize === undefined ? {} : { limit: this.registryPageSize }),
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
