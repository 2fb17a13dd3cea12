/**
 * A query `SampleSource` over the codec's `SampleStore.readColumns` and `DeviceRegistry`.
 *
 * TEMPORARY: `@secondrow/query` is getting its own store-backed source; when it lands, `serve-cli.ts`
 * uses that one and this module is deleted. Kept minimal on purpose.
 */
import type { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import type { ColumnChunk, ColumnReadOptions, DeviceInfo, SampleSource } from '@secondrow/query';

/** Reads samples from a `SampleStore` and devices from its table's `DeviceRegistry`. */
export class RegistryStoreSource implements SampleSource {
  constructor(
    private readonly store: SampleStore,
    private readonly registry: DeviceRegistry,
  ) {}

  /** One chunk per DynamoDB page, with the read units DynamoDB reported for it. */
  async *columns(
    deviceId: string,
    fromMs: number,
    toMs: number,
    options: ColumnReadOptions,
  ): AsyncGenerator<ColumnChunk> {
    for await (const page of this.store.readColumns(deviceId, fromMs, toMs, {
      consistentRead: options.consistentRead,
    })) {
      options.signal?.throwIfAborted();
      const { t, x, y, z } = page.columns.views();
      yield { length: page.columns.length, t, x, y, z, readUnits: page.readUnits };
    }
  }

  /** Every device of the registry, all pages. */
  async devices(): Promise<DeviceInfo[]> {
    const out: DeviceInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.registry.list(cursor === undefined ? {} : { cursor });
      out.push(...page.devices);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return out.sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  }

  /** One device of the registry. */
  device(deviceId: string): Promise<DeviceInfo | undefined> {
    return this.registry.get(deviceId);
  }
}
