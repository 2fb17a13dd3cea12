import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ITEM_STORAGE_OVERHEAD_BYTES, type Prices } from '@secondrow/devkit';
import { cycledSizes, queryReadUnits, sizeOf, writeUnitsOf } from './capacity.js';
import type { Corpus } from './corpus.js';
import { occupiedSeconds } from './corpus.js';
import { provisionedWrites, type UsageAssumptions, usdPerDeviceMonth } from './cost.js';
import type { Item, Layout } from './layouts/layout.js';
import type { LayoutResult, UnitCheck } from './results.js';
import { BATCH_WRITE_MAX_ITEMS, batchWrite, createLayoutTable, queryDevice } from './table-io.js';

/** Options of {@link measureLayout}. */
export interface LayoutFigureOptions {
  /** Client of the local DynamoDB the items are written to. */
  client: DynamoDBClient;
  /** At most this many items are written per layout (split evenly over devices, a prefix of each). */
  maxMeasuredItems: number;
  /** Minimum wall time spent timing encode and decode each, ms. */
  minTimingMs: number;
  usage: UsageAssumptions;
  prices: Prices;
}

/** Runs `fn` once to warm up, then until `minMs` have passed (at least once); returns ns per call. */
function timePerCall(fn: () => void, minMs: number): number {
  // The first call pays for JIT compilation and lazy module state; it would make the first layout look slow.
  fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    fn();
    calls += 1;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < BigInt(minMs) * 1_000_000n);
  return Number(elapsed) / calls;
}

/** The item with only its payload attributes, to size the payload by the same rules. */
function payloadOnly(layout: Layout, item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([name]) => layout.isPayload(name)));
}

/**
 * Every figure of one layout: sizes and units computed by the rules on the whole corpus, the same units
 * measured on dynalite for a bounded prefix, encode/decode time, and dollars.
 */
export async function measureLayout(
  layout: Layout,
  corpus: Corpus,
  options: LayoutFigureOptions,
): Promise<LayoutResult> {
  const perDevice = corpus.devices.map((d) => ({ device: d, items: layout.toItems(d.deviceId, d.samples) }));
  const items = perDevice.flatMap((d) => d.items);
  const sizes = items.map(sizeOf);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const payloadBytes = items.reduce((n, item) => n + sizeOf(payloadOnly(layout, item)), 0);
  const wruTotal = items.reduce((n, item) => n + writeUnitsOf(item), 0);

  const itemsPerDeviceSecond = items.length / corpus.deviceSeconds;
  const itemsPerDeviceHour = itemsPerDeviceSecond * 3600;
  const meanItemBytes = totalBytes / items.length;
  const wruPerDeviceSecond = wruTotal / corpus.deviceSeconds;
  const rruPerDeviceHour = queryReadUnits(cycledSizes(sizes, Math.round(itemsPerDeviceHour)));
  const storageBytesPerDeviceDay =
    (meanItemBytes + ITEM_STORAGE_OVERHEAD_BYTES) * itemsPerDeviceHour * options.usage.activeHoursPerDay;

  const check = await measureOnDynamoDB(layout, perDevice, options);

  const encodeNs = timePerCall(() => {
    for (const d of corpus.devices) layout.toItems(d.deviceId, d.samples);
  }, options.minTimingMs);
  const decodeNs = timePerCall(() => {
    for (const d of perDevice) layout.fromItems(d.items);
  }, options.minTimingMs);

  return {
    layout: layout.name,
    payloadBytesPerSample: payloadBytes / corpus.samples,
    meanItemBytes,
    maxItemBytes: Math.max(...sizes),
    itemsPerDeviceHour,
    wruPerDeviceSecond,
    wruPerDeviceSecondMeasured: check.writeUnitsMeasured / check.deviceSeconds,
    rruPerDeviceHour,
    storageBytesPerDeviceDay,
    usdPerDeviceMonth: usdPerDeviceMonth(
      wruPerDeviceSecond,
      rruPerDeviceHour,
      storageBytesPerDeviceDay,
      options.usage,
      options.prices,
    ),
    encodeNsPerSample: encodeNs / corpus.samples,
    decodeNsPerSample: decodeNs / corpus.samples,
    rruPerDeviceHourMeasured: (check.readUnitsMeasured * 3600) / check.deviceSeconds,
    provisioned: provisionedWrites(wruPerDeviceSecond, options.usage, options.prices),
    check,
    description: layout.description,
    items: items.length,
  };
}

/**
 * Writes a prefix of each device's items to a fresh table with BatchWriteItem (ReturnConsumedCapacity TOTAL),
 * reads each device back with one Query, and compares the units reported with the units computed.
 */
async function measureOnDynamoDB(
  layout: Layout,
  perDevice: readonly { device: { deviceId: string }; items: Item[] }[],
  options: LayoutFigureOptions,
): Promise<UnitCheck> {
  const table = await createLayoutTable(options.client, `bench-${layout.name}`, layout.keySchema);
  const perDeviceBudget = Math.max(1, Math.floor(options.maxMeasuredItems / perDevice.length));
  let itemsWritten = 0;
  let deviceSeconds = 0;
  let writeUnitsComputed = 0;
  let writeUnitsMeasured = 0;
  let readUnitsComputed = 0;
  let readUnitsMeasured = 0;
  for (const { device, items } of perDevice) {
    const written = items.slice(0, perDeviceBudget);
    for (let i = 0; i < written.length; i += BATCH_WRITE_MAX_ITEMS) {
      writeUnitsMeasured += await batchWrite(
        options.client,
        table,
        written.slice(i, i + BATCH_WRITE_MAX_ITEMS),
      );
    }
    writeUnitsComputed += written.reduce((n, item) => n + writeUnitsOf(item), 0);
    const read = await queryDevice(options.client, table, layout.keySchema, device.deviceId);
    readUnitsMeasured += read.readUnits;
    // Computed on the items in the order Query returned them, so page boundaries match.
    readUnitsComputed += queryReadUnits(read.items.map(sizeOf));
    itemsWritten += written.length;
    deviceSeconds += occupiedSeconds(layout.fromItems(written));
  }
  return {
    itemsWritten,
    deviceSeconds,
    writeUnitsComputed,
    writeUnitsMeasured,
    readUnitsComputed,
    readUnitsMeasured,
    agree: writeUnitsComputed === writeUnitsMeasured && readUnitsComputed === readUnitsMeasured,
  };
}
